import Foundation
import PipelineCore
import Testing
@testable import PipelineIO

@Suite struct AsyncArchiveEntriesSequenceTests {
    static func sampleTar() -> [UInt8] {
        var t = TarBuilder()
        t.directory("data/")
        t.file("./data/pos/1_9.txt", "great film")
        t.file("data/neg/2_1.txt", "dull")
        t.symlink("data/latest", to: "pos/1_9.txt")
        t.file("data/unsup/3_0.txt", "?")
        t.file("data/big.bin", TestFiles.bytes(200_000))
        return t.finished()
    }

    @Test func tarYieldsRegularFilesInOrderWithNormalizedPaths() async throws {
        let entries = try await TestFiles.chunked(Self.sampleTar(), size: 1000).archiveEntries().collect()
        #expect(entries.map(\.path) == ["data/pos/1_9.txt", "data/neg/2_1.txt", "data/unsup/3_0.txt", "data/big.bin"])
        #expect(entries[0].data == Array("great film".utf8))
        #expect(entries[3].data == TestFiles.bytes(200_000))
    }

    @Test func gzipIsDetectedOrCanBeDecodedUpstream() async throws {
        let gz = try await TestFiles.gzip(Self.sampleTar())
        let direct = try await TestFiles.chunked(gz, size: 333).archiveEntries().collect()
        let viaGunzip = try await TestFiles.chunked(gz, size: 333).gunzipped().archiveEntries().collect()
        #expect(direct.count == 4 && direct == viaGunzip)
    }

    @Test func zipIsDetected() async throws {
        let dir = try TestFiles.temporaryDirectory("zip")
        try TestFiles.write(Array("hello".utf8), to: dir + "/src/a/one.txt")
        try TestFiles.write(TestFiles.bytes(50_000), to: dir + "/src/b/two.bin")
        try await TestFiles.run(["zip", "-q", "-r", dir + "/out.zip", "a", "b"], in: dir + "/src")
        let entries = try await FileChunks(path: dir + "/out.zip", chunkSize: 4096).archiveEntries().collect()
        let byPath = Dictionary(uniqueKeysWithValues: entries.map { ($0.path, $0.data) })
        #expect(byPath["a/one.txt"] == Array("hello".utf8))
        #expect(byPath["b/two.bin"] == TestFiles.bytes(50_000))
    }

    @Test func filterSelectsEntries() async throws {
        let filter = try EntryFilter(include: ["data/{pos,neg}/*.txt", "data/*.bin"], exclude: ["**/*.bin"])
        let entries = try await TestFiles.chunked(Self.sampleTar(), size: 4096).archiveEntries(filter: filter).collect()
        #expect(entries.map(\.path) == ["data/pos/1_9.txt", "data/neg/2_1.txt"])
    }

    @Test func noMatchingEntriesAndEmptyArchives() async throws {
        let filter = try EntryFilter(include: ["nothing/**"])
        let error = await errorOf { _ = try await TestFiles.chunked(Self.sampleTar(), size: 4096).archiveEntries(source: "s.tar", filter: filter).collect() }
        let noMatch = try #require(error as? ArchiveError)
        #expect(noMatch.kind == .noMatchingEntries)
        #expect("\(noMatch)".contains("nothing/**") && "\(noMatch)".contains("6 entries") && "\(noMatch)".contains("s.tar"))
        let tolerated = try await TestFiles.chunked(Self.sampleTar(), size: 4096).archiveEntries(filter: filter, onEmpty: .finish).collect()
        #expect(tolerated.isEmpty)

        for empty in [[UInt8](), TarBuilder().finished()] {
            let e = await errorOf { _ = try await TestFiles.chunked(empty, size: 512).archiveEntries(source: "e.tar").collect() }
            #expect((e as? ArchiveError)?.kind == .empty, "\(String(describing: e))")
            #expect(try await TestFiles.chunked(empty, size: 512).archiveEntries(onEmpty: .finish).collect().isEmpty)
        }
    }

    @Test func truncatedTarNamesTheEntry() async throws {
        let tar = Self.sampleTar()
        let cut = Array(tar[..<(tar.count - 1024 - 100_000)])   // inside data/big.bin
        let error = await errorOf { _ = try await TestFiles.chunked(cut, size: 4096).archiveEntries(source: "t.tar").collect() }
        let e = try #require(error as? ArchiveError)
        #expect(e.kind == .truncated)
        #expect(e.entry == "data/big.bin")
        #expect("\(e)".contains("t.tar: entry 'data/big.bin'"))
    }

    @Test func truncatedTarGzNamesTheEntry() async throws {
        var t = TarBuilder()
        t.file("a.txt", "small")
        t.file("b.bin", TestFiles.bytes(300_000))
        let gz = try await TestFiles.gzip(t.finished())
        let cut = Array(gz[..<(gz.count * 2 / 3)])
        for chunks in [TestFiles.chunked(cut, size: 2048)] {
            let direct = await errorOf { _ = try await chunks.archiveEntries(source: "t.tgz").collect() }
            #expect((direct as? ArchiveError)?.entry == "b.bin", "\(String(describing: direct))")
            #expect((direct as? ArchiveError)?.kind == .truncated)
            // Through gunzipped(): the gzip error names the offset, the archive error the entry.
            let staged = await errorOf { _ = try await chunks.gunzipped(source: "t.tgz").archiveEntries(source: "t.tgz").collect() }
            let e = try #require(staged as? ArchiveError)
            #expect(e.kind == .input && e.entry == "b.bin")
            #expect("\(e)".contains("truncated gzip data") && "\(e)".contains("offset \(cut.count)"))
        }
    }

    /// Bytes after the end of the archive are still pulled from the input, so a failure there
    /// (a checksum mismatch found at the very end of a download) reaches the consumer.
    @Test func inputIsDrainedAfterTheArchiveEnds() async throws {
        let tar = Self.sampleTar() + [UInt8](repeating: 0, count: 50_000)
        let failing = ChunkList(chunks: TestFiles.chunked(tar, size: 4096).chunks, failure: IOFailure("late failure", path: "u"))
        let error = await errorOf { _ = try await failing.archiveEntries().collect() }
        #expect((error as? IOFailure)?.message == "late failure", "\(String(describing: error))")
    }

    @Test func garbageIsCorrupt() async throws {
        let error = await errorOf { _ = try await TestFiles.chunked(TestFiles.bytes(5000), size: 512).archiveEntries(source: "g").collect() }
        #expect((error as? ArchiveError)?.kind == .corrupt)
    }

    @Test func limitsStopBombs() async throws {
        var t = TarBuilder()
        t.file("ok.txt", "fine")
        t.file("zeros.bin", [UInt8](repeating: 0, count: 8 << 20))
        let gz = try await TestFiles.gzip(t.finished())
        let ratio = await errorOf {
            _ = try await TestFiles.chunked(gz, size: 4096)
                .archiveEntries(limits: ArchiveLimits(maxCompressionRatio: 50, ratioGraceBytes: 1 << 20)).collect()
        }
        #expect((ratio as? ArchiveError)?.kind == .limitExceeded)
        #expect((ratio as? ArchiveError)?.entry == "zeros.bin")
        #expect("\(ratio!)".contains("compression ratio"))

        let entry = await errorOf {
            _ = try await TestFiles.chunked(gz, size: 4096).archiveEntries(limits: ArchiveLimits(maxEntryBytes: 1 << 20)).collect()
        }
        #expect("\(entry!)".contains("max_entry_bytes") && (entry as? ArchiveError)?.entry == "zeros.bin")

        let total = await errorOf {
            _ = try await TestFiles.chunked(gz, size: 4096).archiveEntries(limits: ArchiveLimits(maxTotalBytes: 4 << 20)).collect()
        }
        #expect("\(total!)".contains("max_total_bytes"))
    }

    @Test func upstreamFailureIsReportedWithTheEntry() async throws {
        let tar = Self.sampleTar()
        let failing = ChunkList(chunks: [Array(tar[..<3000])], failure: IOFailure("network down", path: "u"))
        let error = await errorOf { _ = try await failing.archiveEntries(source: "s").collect() }
        let e = try #require(error as? ArchiveError)
        #expect(e.kind == .input && (e.underlying as? IOFailure)?.message == "network down")
    }

    @Test(.requiresSharedData(TestFiles.sharedData("aclImdb-train.tar.gz")))
    func stoppingEarlyReleasesTheReader() async throws {
        let path = TestFiles.sharedData("aclImdb-train.tar.gz")
        for _ in 0..<3 {
            var it = FileChunks(path: path).archiveEntries().makeAsyncIterator()
            let first = try await it.next()
            #expect(first != nil)
        }   // each iterator is dropped here: its thread and producer task must stop
    }

    /// The real IMDB archive: 25,000 reviews under train/pos and train/neg (see shared/data/README.md).
    @Test(.requiresSharedData(TestFiles.sharedData("aclImdb-train.tar.gz")))
    func realImdbArchive() async throws {
        let path = TestFiles.sharedData("aclImdb-train.tar.gz")
        let filter = try EntryFilter(include: ["aclImdb/train/{pos,neg}/*.txt"])
        var count = 0, pos = 0
        for try await entry in FileChunks(path: path).archiveEntries(source: path, filter: filter) {
            count += 1
            if entry.path.hasPrefix("aclImdb/train/pos/") { pos += 1 }
            #expect(!entry.data.isEmpty)
        }
        #expect(count == 25_000 && pos == 12_500)
    }
}
