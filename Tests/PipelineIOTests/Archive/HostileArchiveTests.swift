import CZlib
import Foundation
import PipelineCore
import Testing
@testable import PipelineIO

/// Hostile archives and gzip streams, generated here: decompression bombs at deflate levels 1
/// and 9, a damaged member header inside a valid gzip, a zip with two files where one is read.
@Suite struct HostileArchiveTests {
    // MARK: bombs

    @Test func level9BombIsStoppedByTheRatioAfterLittleOutput() async throws {
        // 256 MiB of 'a' in one entry at level 9: ≈ 256 KB of input (ratio ≈ 1,000:1). Before the
        // fix, libarchive got the whole file in one 1 MiB block, so the ratio only tripped after
        // 500 × 256 KB = 128 MiB had been decompressed (537 MB RSS for a 1 MB bomb).
        let bomb = Bomb.tarGz(entries: [("aclImdb/train/pos/0_9.txt", 256 << 20)], level: 9)
        #expect(bomb.count < 400_000)
        let limits = ArchiveLimits(maxEntryBytes: 1 << 30)   // let the ratio, not the entry size, stop it
        let e = await errorOf { _ = try await ChunkList(chunks: [bomb]).archiveEntries(source: "bomb.tgz", limits: limits).collect() }
        let error = try #require(e as? ArchiveError)
        #expect(error.kind == .limitExceeded)
        #expect(error.description.contains("max_compression_ratio 100:1"))
        #expect(error.description.contains("source.max_compression_ratio"))
        #expect(error.entry == "aclImdb/train/pos/0_9.txt")
        #expect(try Self.decompressedBytes(in: error.description) < 20 << 20)
    }

    @Test func level1BombIsRefusedByItsEntrySizeBeforeItsDataIsRead() async throws {
        // Level 1 (≈ 230:1) passed the old 500:1 limit and was held whole (2 GiB entry limit).
        let bomb = Bomb.tarGz(entries: [("aclImdb/train/pos/0_9.txt", 64 << 20)], level: 1)
        let e = await errorOf { _ = try await ChunkList(chunks: [bomb]).archiveEntries(source: "bomb.tgz").collect() }
        let error = try #require(e as? ArchiveError)
        #expect(error.kind == .limitExceeded)
        #expect(error.description.contains("entry size 67108864 bytes exceeds max_entry_bytes 16777216"))
        #expect(error.description.contains("raise source.max_entry_bytes"))
    }

    @Test func entryOfUnknownSizeIsCheckedWhileStreaming() async throws {
        // Python's zipfile writing to a pipe puts no size in the local header (a data
        // descriptor follows the data), so the size is known only once the entry is read.
        let dir = try TestFiles.temporaryDirectory("zipbomb")
        let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.stdout.buffer, 'w', zipfile.ZIP_DEFLATED)\n"
            + "with z.open('-', 'w') as f:\n    for _ in range(24): f.write(b'a' * (1 << 20))\nz.close()\n"
        try TestFiles.write(Array(script.utf8), to: dir + "/make.py")
        try await TestFiles.run(["sh", "-c", "python3 make.py | cat > out.zip"], in: dir)
        let e = await errorOf {
            _ = try await FileChunks(path: dir + "/out.zip").archiveEntries(source: "out.zip",
                limits: ArchiveLimits(maxEntryBytes: 4 << 20, maxCompressionRatio: 10_000)).collect()
        }
        let error = try #require(e as? ArchiveError)
        #expect(error.kind == .limitExceeded)
        #expect(error.description.contains("entry size exceeds max_entry_bytes 4194304"))
    }

    @Test func manyEntriesWithinTheRatioStopAtTheTotalLimit() async throws {
        let bomb = Bomb.tarGz(entries: (0..<8).map { ("d/\($0).txt", 1 << 20) }, level: 1)
        let limits = ArchiveLimits(maxTotalBytes: 5 << 20, maxCompressionRatio: 10_000)
        let e = await errorOf { _ = try await ChunkList(chunks: [bomb]).archiveEntries(limits: limits).collect() }
        let error = try #require(e as? ArchiveError)
        #expect(error.kind == .limitExceeded && error.entry == "d/5.txt")
        #expect(error.description.contains("exceeds max_total_bytes 5242880"))
    }

    @Test func gzipBombIsStoppedByTheRatioAndTheTotal() async throws {
        let gz = Bomb.gzip(repeating: 0x31, count: 128 << 20, level: 9)
        let ratio = await errorOf { for try await _ in ChunkList(chunks: [gz]).gunzipped(source: "x.csv.gz") {} }
        let r = try #require(ratio as? IOFailure)
        #expect("\(r)".contains("compression ratio") && "\(r)".contains("source.max_compression_ratio"))
        #expect(try Self.decompressedBytes(in: "\(r)") < 20 << 20)
        let total = await errorOf {
            for try await _ in ChunkList(chunks: [gz]).gunzipped(source: "x.csv.gz",
                limits: ArchiveLimits(maxTotalBytes: 1 << 20, maxCompressionRatio: 10_000)) {}
        }
        #expect("\(try #require(total))".contains("more than max_total_bytes 1048576 bytes decompressed"))
    }

    @Test func singleFileContentIsStreamedNotHeldWhole() async throws {
        // 40 MiB in one entry, read through the single-file path with the default 16 MiB entry
        // limit: the chunks come in pieces of at most 1 MiB.
        let bomb = Bomb.tarGz(entries: [("big.csv", 40 << 20)], level: 6)
        var total = 0, largest = 0
        for try await chunk in ChunkList(chunks: [bomb]).archiveFileContent(source: "big.tgz",
                                                                            limits: ArchiveLimits(maxCompressionRatio: 10_000)) {
            total += chunk.count; largest = max(largest, chunk.count)
        }
        #expect(total == 40 << 20 && largest <= 1 << 20)
    }

    // MARK: damaged members

    static func threeMembers() -> [UInt8] {
        var t = TarBuilder()
        t.file("a/1.txt", "one"); t.file("a/2.txt", "two"); t.file("a/3.txt", "three")
        var bytes = t.finishedBytes()
        bytes[512 + 512 + 150] ^= 0x07   // 2nd header's checksum field: the header no longer verifies
        return bytes
    }

    @Test func damagedMemberHeaderIsAnErrorNamingThePlace() async throws {
        let gz = Bomb.gzip(Self.threeMembers(), level: 6)
        let e = await errorOf { _ = try await ChunkList(chunks: [gz]).archiveEntries(source: "r.tgz").collect() }
        let error = try #require(e as? ArchiveError)
        #expect(error.kind == .corrupt)
        #expect(error.description.hasPrefix("r.tgz: the header after entry 'a/1.txt', at byte 1024 of the uncompressed archive, is damaged"))
        #expect(error.description.contains("source.on_corrupt_entry: skip"))
    }

    @Test func damagedMemberIsSkippedAndReportedWhenAsked() async throws {
        let gz = Bomb.gzip(Self.threeMembers(), level: 6)
        let report = ArchiveReadReport()
        let entries = try await ChunkList(chunks: [gz]).archiveEntries(source: "r.tgz", onCorruptEntry: .skip, report: report).collect()
        #expect(entries.map(\.path) == ["a/1.txt", "a/3.txt"])
        #expect(report.skipped.count == 1)
        #expect(report.skipped.first?.hasPrefix("the header after entry 'a/1.txt' (byte 1024)") == true)
    }

    // MARK: several files where one is read

    @Test func zipWithTwoFilesFailsTheSingleFileReadNamingThem() async throws {
        let dir = try TestFiles.temporaryDirectory("zip2")
        try TestFiles.write(Array("x\n1\n".utf8), to: dir + "/src/a.csv")
        try TestFiles.write(Array("x\n2\n".utf8), to: dir + "/src/b.csv")
        try await TestFiles.run(["zip", "-q", dir + "/two.zip", "a.csv", "b.csv"], in: dir + "/src")
        let e = await errorOf { for try await _ in FileChunks(path: dir + "/two.zip").archiveFileContent(source: "two.zip") {} }
        let error = try #require(e as? ArchiveError)
        #expect(error.kind == .severalEntries)
        #expect(error.description == "two.zip: 2 files match where one is read: 'a.csv', 'b.csv'; set source.include to the one to read, e.g. include: [\"a.csv\"]")
        // With an include that picks one, the content is that file's.
        var bytes: [UInt8] = []
        for try await c in FileChunks(path: dir + "/two.zip").archiveFileContent(filter: try EntryFilter(include: ["b.csv"])) { bytes += c }
        #expect(bytes == Array("x\n2\n".utf8))
    }

    /// The `N bytes from M` figure of a ratio error.
    static func decompressedBytes(in message: String) throws -> Int {
        let r = try #require(message.range(of: #"\((\d+) bytes from"#, options: .regularExpression))
        return try #require(Int(message[r].dropFirst().split(separator: " ")[0]))
    }
}

extension TarBuilder {
    /// The archive with its two zero end blocks.
    func finishedBytes() -> [UInt8] { bytes + [UInt8](repeating: 0, count: 1024) }
}

/// Writes gzip streams with zlib at a chosen level, streaming (nothing as large as the
/// decompressed size is ever held).
enum Bomb {
    /// A .tar.gz whose entries hold `size` bytes of 'a' each (one giant word).
    static func tarGz(entries: [(String, Int)], level: Int32) -> [UInt8] {
        let z = Deflater(level: level)
        for (name, size) in entries {
            z.add(tarHeader(name, size: size))
            let block = [UInt8](repeating: 0x61, count: 1 << 20)
            var left = size
            while left > 0 { let n = min(left, block.count); z.add(Array(block[..<n])); left -= n }
            z.add([UInt8](repeating: 0, count: (512 - size % 512) % 512))
        }
        z.add([UInt8](repeating: 0, count: 1024))
        return z.finish()
    }

    static func gzip(repeating byte: UInt8, count: Int, level: Int32) -> [UInt8] {
        let z = Deflater(level: level)
        let block = [UInt8](repeating: byte, count: 1 << 20)
        var left = count
        while left > 0 { let n = min(left, block.count); z.add(Array(block[..<n])); left -= n }
        return z.finish()
    }

    static func gzip(_ bytes: [UInt8], level: Int32) -> [UInt8] {
        let z = Deflater(level: level)
        z.add(bytes)
        return z.finish()
    }

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

    /// zlib keeps a pointer back to its `z_stream`, so the stream lives at a fixed heap address.
    final class Deflater {
        private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        private var out: [UInt8] = []

        init(level: Int32) {
            stream.initialize(to: z_stream())
            let rc = deflateInit2_(stream, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            precondition(rc == Z_OK)
        }

        deinit { stream.deallocate() }

        func add(_ bytes: [UInt8]) { run(bytes, flush: Z_NO_FLUSH) }

        func finish() -> [UInt8] {
            run([], flush: Z_FINISH)
            deflateEnd(stream)
            return out
        }

        private func run(_ bytes: [UInt8], flush: Int32) {
            var input = bytes
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            input.withUnsafeMutableBufferPointer { inBuf in
                stream.pointee.next_in = inBuf.baseAddress
                stream.pointee.avail_in = UInt32(inBuf.count)
                while true {
                    let (rc, made) = buffer.withUnsafeMutableBufferPointer { o -> (Int32, Int) in
                        stream.pointee.next_out = o.baseAddress
                        stream.pointee.avail_out = UInt32(o.count)
                        let rc = deflate(stream, flush)
                        return (rc, o.count - Int(stream.pointee.avail_out))
                    }
                    precondition(rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR, "deflate failed: \(rc)")
                    out += buffer[..<made]
                    if flush == Z_FINISH ? rc == Z_STREAM_END : stream.pointee.avail_in == 0 && made < buffer.count { break }
                }
                stream.pointee.next_in = nil; stream.pointee.next_out = nil
            }
        }
    }
}
