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
}

private extension Array where Element == UInt8 {
    func firstIndex(of b: UInt8, after start: Int) -> Int { self[start...].firstIndex(of: b)! }
}
