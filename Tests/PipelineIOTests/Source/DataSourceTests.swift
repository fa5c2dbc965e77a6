import Crypto
import Foundation
import PipelineCore
import Testing
@testable import PipelineIO

@Suite struct DataSourceTests {
    @Test func localPathsAndFileURLs() async throws {
        let dir = try TestFiles.temporaryDirectory("local with space")
        let data = TestFiles.bytes(3000)
        try TestFiles.write(data, to: dir + "/x.bin")
        let encoded = (dir + "/x.bin").replacingOccurrences(of: " ", with: "%20")
        for source in [dir + "/x.bin", "file://" + encoded] {
            let chunks = try DataSource.chunks(from: source, options: SourceOptions(chunkSize: 1000))
            #expect(try await chunks.collect().flatMap { $0 } == data, "\(source)")
        }
        #expect(try await DataSource.download(dir + "/x.bin") == dir + "/x.bin")
    }

    @Test func localChecksumsAreVerified() async throws {
        let dir = try TestFiles.temporaryDirectory("sum")
        try TestFiles.write(Array("abc".utf8), to: dir + "/x")
        let good = SourceOptions(checksums: Checksums(sha256: SHA256.hash(data: Array("abc".utf8)).hex))
        #expect(try await DataSource.chunks(from: dir + "/x", options: good).collect().flatMap { $0 } == Array("abc".utf8))
        let bad = SourceOptions(checksums: Checksums(md5: String(repeating: "0", count: 32)))
        let error = await errorOf { _ = try await DataSource.chunks(from: dir + "/x", options: bad).collect() }
        #expect((error as? ChecksumMismatch)?.algorithm == "md5")
        let downloadError = await errorOf { _ = try await DataSource.download(dir + "/x", options: bad) }
        #expect(downloadError is ChecksumMismatch)
    }

    @Test func otherSchemesAreRefusedAtOnce() {
        for source in ["ftp://example.com/x.tar.gz", "s3://bucket/key"] {
            let error = #expect(throws: InputError.self) { _ = try DataSource.chunks(from: source) }
            #expect(error?.value == source && error?.message.contains("unsupported URL scheme") == true)
        }
        #expect(throws: InputError.self) { _ = try DataSource.chunks(from: "file://relative/path") }
        #expect(throws: InputError.self) { _ = try DataSource.chunks(from: "x", options: SourceOptions(retries: -1)) }
    }

    /// Hash-named files in one folder (Tests/PipelineIOTests/Download/CacheLocationTests.swift has the hostile URLs).
    @Test func cachePathIsAHashedNameInTheCacheFolder() throws {
        let options = SourceOptions(cacheDirectory: "/c/")
        let imdb = try DataSource.cachePath(for: "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz", options: options)
        #expect(imdb.hasPrefix("/c/") && imdb.hasSuffix("-aclImdb_v1.tar.gz") && imdb.split(separator: "/").count == 2)
        #expect(try DataSource.cachePath(for: "http://User:pw@Host:8080/a/../b c.zip", options: options).hasSuffix("-b_c.zip"))
        let q1 = try DataSource.cachePath(for: "http://h/get?id=1", options: options)
        let q2 = try DataSource.cachePath(for: "http://h/get?id=2", options: options)
        #expect(q1.hasSuffix("-get") && q1 != q2)
        #expect(try DataSource.cachePath(for: "http://h/", options: options).hasSuffix("-index"))
    }

    @Test(.requiresSharedData(TestFiles.sharedData("aclImdb-train.tar.gz")))
    func entriesFromALocalArchive() async throws {
        let path = TestFiles.sharedData("aclImdb-train.tar.gz")
        let filter = try EntryFilter(include: ["aclImdb/README", "aclImdb/imdb.vocab"])
        let entries = try await DataSource.entries(from: path, filter: filter).collect()
        #expect(Set(entries.map(\.path)) == ["aclImdb/README", "aclImdb/imdb.vocab"])
    }
}
