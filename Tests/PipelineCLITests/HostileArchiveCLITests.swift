import CZlib
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The `pipeline` binary on hostile archives generated here (kept in a temporary folder, deleted
/// afterwards): decompression bombs at deflate levels 1 and 9 (≤ 10 MB of input) must end with a
/// clear message or a counted cut — never a signal — with the child's peak RSS ≤ 256 MB; a
/// damaged member is an error unless skipping is asked for; a zip of two CSVs is refused.
@Suite(.serialized) struct HostileArchiveCLITests {
    static let rssLimitKB = 256 * 1024

    @Test func level9BombIsRefusedWithLittleMemory() throws {
        try withFolder { dir in
            // 1 GiB of 'a' as one review: ≈ 1 MB of input.
            let bomb = dir + "/bomb9.tar.gz"
            try BombFile.write(to: bomb, entries: [("aclImdb/train/pos/0_9.txt", 1 << 30)], level: 9)
            #expect(BombFile.size(bomb) < 10_000_000)
            // The entry size refuses it at its header…
            let byHeader = try Measured.run(["prepare", CLI.repoRoot + "/pipelines/fixtures/imdb.yaml", "--source", bomb,
                                             "--output", dir + "/out", "--quiet"])
            #expect(byHeader.exitCode == 1 && byHeader.signal == nil)
            #expect(byHeader.stderr.contains("exceeds max_entry_bytes 16777216"))
            #expect(byHeader.peakKB <= Self.rssLimitKB, "peak RSS \(byHeader.peakKB) KB")
            // …and with that bound raised, the compression ratio stops it after a few MB of output.
            let byRatio = try Measured.run(["prepare", CLI.repoRoot + "/pipelines/fixtures/imdb.yaml", "--source", bomb,
                                            "--output", dir + "/out2", "--quiet", "--set", "source.max_entry_bytes=2000000000"])
            #expect(byRatio.exitCode == 1 && byRatio.signal == nil)
            #expect(byRatio.stderr.contains("exceeds max_compression_ratio 100:1"), "\(byRatio.stderr)")
            #expect(byRatio.stderr.contains("source.max_compression_ratio"))
            #expect(byRatio.peakKB <= Self.rssLimitKB, "peak RSS \(byRatio.peakKB) KB")
            #expect(!FileManager.default.fileExists(atPath: dir + "/out2/x_train.npy"))
        }
    }

    @Test func level1BombOfManyGiantWordsIsCutAndCounted() throws {
        try withFolder { dir in
            // 24 reviews of 12 MiB, each one word: 288 MiB from ≈ 1.3 MB (≈ 230:1). Refused by the
            // ratio by default; accepted when the ratio is raised, each word cut to 1,024 bytes.
            let bomb = dir + "/bomb1.tar.gz"
            let entries = (0..<24).map { ("aclImdb/train/\($0 % 2 == 0 ? "pos" : "neg")/\($0)_\($0 % 2 == 0 ? 9 : 1).txt", 12 << 20) }
            try BombFile.write(to: bomb, entries: entries, level: 1)
            #expect(BombFile.size(bomb) < 10_000_000)
            let refused = try Measured.run(["prepare", CLI.repoRoot + "/pipelines/fixtures/imdb.yaml", "--source", bomb,
                                            "--output", dir + "/out", "--quiet"])
            #expect(refused.exitCode == 1 && refused.signal == nil)
            #expect(refused.stderr.contains("max_compression_ratio"), "\(refused.stderr)")
            #expect(refused.peakKB <= Self.rssLimitKB, "peak RSS \(refused.peakKB) KB")

            let accepted = try Measured.run(["prepare", CLI.repoRoot + "/pipelines/fixtures/imdb.yaml", "--source", bomb,
                                             "--output", dir + "/out2", "--json", "--set", "source.max_compression_ratio=1000"])
            #expect(accepted.exitCode == 0 && accepted.signal == nil, "\(accepted.stderr)")
            #expect(accepted.stdout.contains("\"tokens_cut\": 24") || accepted.stdout.contains("\"tokens_cut\":24"), "\(accepted.stdout)")
            #expect(accepted.peakKB <= Self.rssLimitKB, "peak RSS \(accepted.peakKB) KB")
        }
    }

    @Test func damagedMemberFailsUnlessSkipIsAsked() throws {
        try withFolder { dir in
            let archive = dir + "/damaged.tar.gz"
            var tar: [UInt8] = []
            let names = ["aclImdb/train/pos/1_9.txt", "aclImdb/train/neg/2_1.txt", "aclImdb/train/pos/3_8.txt", "aclImdb/train/neg/4_2.txt"]
            for (i, name) in names.enumerated() {
                let text = Array((i % 2 == 0 ? "a great film" : "a bad film").utf8)
                tar += BombFile.tarHeader(name, size: text.count) + text + [UInt8](repeating: 0, count: 512 - text.count)
            }
            tar += [UInt8](repeating: 0, count: 1024)
            tar[1024 + 150] ^= 0x07   // the second member's header checksum
            try Data(BombFile.gzip(tar, level: 6)).write(to: URL(fileURLWithPath: archive))

            let failed = try CLI.run(["prepare", CLI.repoRoot + "/pipelines/fixtures/imdb.yaml", "--source", archive, "--output", dir + "/out", "--quiet"])
            #expect(failed.code == 1)
            #expect(failed.stderr.contains("damaged.tar.gz: the header after entry 'aclImdb/train/pos/1_9.txt', at byte 1024"), "\(failed.stderr)")
            #expect(failed.stderr.contains("source.on_corrupt_entry: skip"))

            let skipped = try CLI.run(["prepare", CLI.repoRoot + "/pipelines/fixtures/imdb.yaml", "--source", archive, "--output", dir + "/out2",
                                       "--set", "source.on_corrupt_entry=skip"])
            #expect(skipped.code == 0, "\(skipped.stderr)")
            #expect(skipped.stdout.contains("prepared train 3") && skipped.stdout.contains("1 damaged archive member skipped"), "\(skipped.stdout)")
            #expect(skipped.stderr.contains("warning: damaged.tar.gz: skipped 1 damaged member"), "\(skipped.stderr)")
            let json = try CLI.run(["prepare", CLI.repoRoot + "/pipelines/fixtures/imdb.yaml", "--source", archive, "--output", dir + "/out3",
                                    "--set", "source.on_corrupt_entry=skip", "--json"])
            #expect(json.code == 0 && json.stdout.contains("skipped_entries"))
            #expect(json.stdout.contains("the header after entry 'aclImdb/train/pos/1_9.txt' (byte 1024)"), "\(json.stdout)")
        }
    }

    @Test func zipOfTwoCSVsIsRefusedNamingThem() throws {
        try withFolder { dir in
            try FileManager.default.createDirectory(atPath: dir + "/src", withIntermediateDirectories: true)
            for name in ["a.csv", "b.csv"] {
                try FileManager.default.copyItem(atPath: CLI.repoRoot + "/fixtures/jena-mini.csv", toPath: dir + "/src/" + name)
            }
            let zip = Process()
            zip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            zip.arguments = ["zip", "-q", dir + "/two.zip", "a.csv", "b.csv"]
            zip.currentDirectoryURL = URL(fileURLWithPath: dir + "/src")
            try zip.run(); zip.waitUntilExit()
            try #require(zip.terminationStatus == 0, "zip(1) is needed")
            let r = try CLI.run(["prepare", CLI.repoRoot + "/pipelines/fixtures/jena.yaml", "--source", dir + "/two.zip", "--output", dir + "/out", "--quiet"])
            #expect(r.code == 1)
            #expect(r.stderr.contains("two.zip: 2 files match where one is read: 'a.csv', 'b.csv'; set source.include"), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/out/data.npy"))
            let picked = try CLI.run(["prepare", CLI.repoRoot + "/pipelines/fixtures/jena.yaml", "--source", dir + "/two.zip", "--output", dir + "/out2",
                                      "--quiet", "--set", "source.include=[b.csv]"])
            #expect(picked.code == 0, "\(picked.stderr)")
        }
    }

    func withFolder(_ body: (String) throws -> Void) throws {
        let dir = NSTemporaryDirectory() + "hostile-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }
}

/// Runs the binary through ``MeasuredRun`` (peak RSS of the child alone, killed past 60 s or 1.5 GB).
enum Measured {
    struct Result { var exitCode: Int32?; var signal: Int32?; var peakKB: Int; var stdout: String; var stderr: String }

    static func run(_ args: [String]) throws -> Result {
        let r = try MeasuredRun.run([CLI.binary] + args, timeout: 60, killAboveKB: 1_500_000)
        return Result(exitCode: r.code >= 0 ? r.code : nil, signal: r.code < 0 ? -r.code : nil,
                      peakKB: r.maxRSSKB, stdout: r.stdout, stderr: r.stderr)
    }
}

/// Writes .tar.gz bombs with zlib, streaming: each entry holds `size` bytes of 'a' (one word).
/// The compressed form of a 16 MiB run of 'a' is made once and repeated as further gzip members
/// (a valid multi-member gzip, as `cat a.gz b.gz` makes), so a 1 GiB bomb takes well under a second.
enum BombFile {
    static func write(to path: String, entries: [(String, Int)], level: Int32) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? out.close() }
        let block = 16 << 20
        let run = gzip([UInt8](repeating: 0x61, count: block), level: level)
        for (name, size) in entries {
            try out.write(contentsOf: gzip(tarHeader(name, size: size), level: level))
            var left = size
            while left >= block { try out.write(contentsOf: run); left -= block }
            try out.write(contentsOf: gzip([UInt8](repeating: 0x61, count: left) + [UInt8](repeating: 0, count: (512 - size % 512) % 512), level: level))
        }
        try out.write(contentsOf: gzip([UInt8](repeating: 0, count: 1024), level: level))
    }

    static func size(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0 }

    static func tarHeader(_ name: String, size: Int) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ s: String, _ at: Int) { for (i, b) in s.utf8.enumerated() { h[at + i] = b } }
        func octal(_ v: Int, _ width: Int) -> String {
            let s = String(v, radix: 8); return String(repeating: "0", count: max(0, width - 1 - s.count)) + s
        }
        put(name, 0); put(octal(0o644, 8), 100); put(octal(0, 8), 108); put(octal(0, 8), 116)
        put(octal(size, 12), 124); put(octal(1_700_000_000, 12), 136); put("0", 156); put("ustar", 257); put("00", 263)
        for i in 148..<156 { h[i] = 0x20 }
        put(octal(h.reduce(0) { $0 + Int($1) }, 7), 148); h[154] = 0; h[155] = 0x20
        return h
    }

    /// One gzip member of `bytes` at `level` (zlib's `compress2` with a gzip wrapper).
    static func gzip(_ bytes: [UInt8], level: Int32) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { deflateEnd(stream); stream.deallocate() }
        precondition(deflateInit2_(stream, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        var input = bytes
        var out = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(bytes.count))) + 64)
        let made = input.withUnsafeMutableBufferPointer { i in
            out.withUnsafeMutableBufferPointer { o -> Int in
                stream.pointee.next_in = i.baseAddress; stream.pointee.avail_in = UInt32(i.count)
                stream.pointee.next_out = o.baseAddress; stream.pointee.avail_out = UInt32(o.count)
                precondition(deflate(stream, Z_FINISH) == Z_STREAM_END)
                return o.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(out[..<made])
    }
}
