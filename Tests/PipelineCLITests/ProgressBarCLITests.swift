import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The live progress of `run` and `prepare` as a terminal shows it: standard error on a
/// pseudo-terminal (`openpty`), standard output on a pipe.
@Suite struct ProgressBarCLITests {
    struct TTYOutput { var code: Int32; var stdout: String; var tty: String; var seconds: Double }

    /// Runs the pipeline binary with standard error on a pseudo-terminal 120 columns wide.
    static func runOnTTY(_ args: [String]) throws -> TTYOutput {
        var master: Int32 = -1, slave: Int32 = -1
        var size = winsize(ws_row: 40, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else { throw POSIXError(.EIO) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: CLI.repoRoot)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        let start = Date()
        try p.run()
        close(slave)
        // Drain the terminal while the child runs (a full buffer would block it).
        var tty = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = read(master, &buffer, buffer.count)   // EIO once the child has closed its side
            if n <= 0 { break }
            tty += buffer[0..<n]
        }
        close(master)
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return TTYOutput(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                         tty: String(decoding: tty, as: UTF8.self), seconds: Date().timeIntervalSince(start))
    }

    static func scratch(_ name: String) -> String { NSTemporaryDirectory() + "progress-\(UUID().uuidString)-\(name)" }

    /// Redraws of the epoch bar: carriage return, erase to end of line, `Epoch N/M  step/total [`.
    static func barDraws(_ tty: String) -> [String] {
        tty.components(separatedBy: "\r\u{1B}[K").dropFirst().filter { $0.range(of: #"^Epoch \d+/\d+ +\d+/\d+ \["#, options: .regularExpression) != nil }
    }

    @Test func runOnATerminalRedrawsAKerasBarAtMostTenTimesASecond() throws {
        let out = Self.scratch("run"), cache = Self.scratch("cache")
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: cache) }
        // batch_size 1: 256 tiny steps per epoch, far more than 10 a second, so the rate limit shows.
        // An empty cache of its own: a cache hit (another test's run of this fixture) would skip prepare's bar.
        let r = try Self.runOnTTY(["run", "pipelines/fixtures/imdb-lstm.yaml", "--output", out, "--cache-dir", cache,
                                   "--set", "train.epochs=2", "--set", "train.batch_size=1"])
        #expect(r.code == 0, "\(r.tty)")
        let draws = Self.barDraws(r.tty)
        #expect(draws.count >= 2, "no bar drawn: \(r.tty.prefix(2000))")
        // Keras' format: `Epoch 1/2  120/256 [=====>....] - ETA: 2s - loss: 0.6931 - acc: 0.5000`.
        let pattern = #"^Epoch [12]/2 +\d+/256 \[=*[>=]?\.*\]( - ETA: \d+s)? - loss: \d+\.\d{4} - acc: \d+\.\d{4}$"#
        for d in draws { #expect(d.range(of: pattern, options: .regularExpression) != nil, "bar line: \(d.debugDescription)") }
        for d in draws {
            let bar = d.split(separator: "[")[1].prefix { $0 != "]" }
            #expect(bar.count == 30, "bar width: \(d)")
        }
        // At most ~10 redraws a second (plus one forced at the end of a long epoch); generous slack for slow machines.
        #expect(Double(draws.count) <= 10 * r.seconds + 4, "\(draws.count) redraws in \(r.seconds) s")
        #expect(draws.count < 512, "every step was drawn")
        // The final line of each epoch is today's, on a line of its own after the bar is erased.
        let lines = r.tty.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        let finals = lines.map { $0.components(separatedBy: "\r\u{1B}[K").last ?? $0 }.filter { $0.hasPrefix("Epoch ") && $0.contains("s - loss: ") }
        #expect(finals.count == 2, "\(finals)")
        for (i, f) in finals.enumerated() {
            #expect(f.range(of: #"^Epoch \#(i + 1)/2 - \d+\.\ds - loss: \d\.\d{4} - acc: \d\.\d{4} - val_loss: \d\.\d{4} - val_acc: \d\.\d{4}$"#,
                            options: .regularExpression) != nil, "final line: \(f.debugDescription)")
        }
        // prepare's bar: the compressed bytes of the archive against its size, not the decompressed text.
        let size = try FileManager.default.attributesOfItem(atPath: CLI.repoRoot + "/fixtures/aclImdb-mini.tar.gz")[.size] as! Int
        let kB = String(format: "%.1f kB", (Double(size) / 100).rounded() / 10)
        #expect(r.tty.contains("prepare aclImdb-mini.tar.gz: ["), "\(r.tty.prefix(600))")
        #expect(r.tty.contains("\(kB) / \(kB)"), "expected the archive's \(size) bytes: \(r.tty.prefix(600))")
        #expect(r.stdout.contains("imdb-lstm-fixture: 2 epochs"))
    }

    @Test func runWithoutATerminalPrintsPlainLines() throws {
        let out = Self.scratch("plain")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run(["run", "pipelines/fixtures/imdb-lstm.yaml", "--output", out, "--set", "train.epochs=2"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("\r") && !r.stderr.contains("\u{1B}"), "\(r.stderr.debugDescription)")
        let finals = r.stderr.split(separator: "\n").filter { $0.hasPrefix("Epoch ") }
        #expect(finals.count == 2 && finals.allSatisfy { $0.contains(" - loss: ") && $0.contains(" - val_acc: ") }, "\(r.stderr)")
    }

    @Test func jsonOnATerminalDrawsNoBar() throws {
        let out = Self.scratch("json")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try Self.runOnTTY(["run", "pipelines/fixtures/imdb-lstm.yaml", "--output", out, "--set", "train.epochs=1", "--json"])
        #expect(r.code == 0, "\(r.tty)")
        #expect(Self.barDraws(r.tty).isEmpty && !r.tty.contains("prepare "), "\(r.tty.debugDescription)")
    }
}
