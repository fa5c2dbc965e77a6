import Testing
import Foundation

/// Messages that used to mislead: "done" before an error, non-UTF-8 specs accepted.
@Suite struct MessagesCLITests {
    @Test func aSpecWithANonUTF8ByteIsRefusedWithItsPlace() throws {
        var bytes = Array(try String(contentsOfFile: CLI.repoRoot + "/pipelines/fixtures/jena-dense.yaml", encoding: .utf8).utf8)
        let text = String(decoding: bytes, as: UTF8.self)
        let nameLine = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("name:") }!
        let at = bytes.firstIndex(of: UInt8(ascii: "j"), after: text.utf8.distance(from: text.utf8.startIndex, to: text.range(of: "name: ")!.upperBound))
        bytes.insert(0xFF, at: at)
        let path = NSTemporaryDirectory() + "cli-utf8-\(UUID().uuidString).yaml"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLI.run(["validate", path])
        #expect(r.code == 2, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("\(path):\(nameLine + 1):7") && r.stderr.contains("byte 0xFF at byte offset \(at)"), "\(r.stderr)")
    }

    @Test func aFailedPrepareDoesNotSayDone() throws {
        let dir = NSTemporaryDirectory() + "cli-done-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var lines = try String(contentsOfFile: CLI.repoRoot + "/fixtures/jena-mini.csv", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var cells = lines[2000].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[3] = "warm"                          // not a number, deep in the file
        lines[2000] = cells.joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let r = try CLI.run(["prepare", "pipelines/fixtures/jena-dense.yaml", "--source", dir + "/bad.csv", "--output", dir + "/out"])
        #expect(r.code != 0)
        #expect(r.stderr.contains("error:"), "\(r.stderr)")
        #expect(!r.stderr.contains("done in"), "\(r.stderr)")
    }

    /// A short write (the file-size limit reached mid-buffer, as a nearly full disk does) used to
    /// report the stale errno, `cannot write temporary data: Success`; now the next write's reason.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash"), "needs /bin/bash"))
    func aShortWriteReportsTheRealReason() throws {
        let dir = NSTemporaryDirectory() + "cli-short-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // SIGXFSZ ignored (inherited through exec), files limited to 16 KB: the spill file of the
        // fixture's reviews is larger, so its first write is cut short.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", "trap '' XFSZ; ulimit -f 16; exec \"$0\" \"$@\"", CLI.binary,
                       "prepare", "pipelines/fixtures/imdb.yaml", "--output", dir + "/out", "--quiet"]
        p.currentDirectoryURL = URL(fileURLWithPath: CLI.repoRoot)
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let r = CLI.Output(code: p.terminationStatus, stdout: "", stderr: stderr)
        #expect(r.code == 1, "\(r.stderr)")
        #expect(r.stderr.contains(dir + "/out") && r.stderr.contains("File too large"), "\(r.stderr)")
        #expect(!r.stderr.contains("Success"), "\(r.stderr)")
    }
}

private extension Array where Element == UInt8 {
    func firstIndex(of b: UInt8, after start: Int) -> Int { self[start...].firstIndex(of: b)! }
}
