import Crypto
import Foundation
import PipelineCore
import Testing
@testable import PipelineIO

/// Downloads against scripts/io_test_server.py on 127.0.0.1.
@Suite struct HTTPByteSourceTests {
    static let payload = TestFiles.bytes(300_000, seed: 42)
    static let sha = SHA256.hash(data: payload).hex

    /// A generous read timeout (30 s): these tests count requests, and a stall-timeout retry on a
    /// machine starved by the full parallel run (MPI jobs included) added one; the timeout tests
    /// set their own.
    func options(_ cache: String, retries: Int = 3, sha256: String? = HTTPByteSourceTests.sha) -> SourceOptions {
        SourceOptions(checksums: Checksums(sha256: sha256), cacheDirectory: cache, retries: retries,
                      retryDelay: .milliseconds(10), readTimeout: .seconds(30), chunkSize: 64 << 10, progress: .quiet)
    }

    func setUp() async throws -> (HTTPTestServer, String) {
        let server = try await HTTPTestServer.start()
        try server.serve("data.bin", Self.payload)
        return (server, try TestFiles.temporaryDirectory("cache"))
    }

    @Test func downloadsVerifiesAndThenHitsTheCache() async throws {
        let (server, cache) = try await setUp()
        let path = try await DataSource.download(server.url("/ok/data.bin"), options: options(cache))
        #expect(path.hasPrefix(cache + "/") && path.hasSuffix("-data.bin") && !path.dropFirst(cache.count + 1).contains("/"))
        #expect(try TestFiles.read(path) == Self.payload)
        #expect(!TestFiles.exists(path + ".part"))
        _ = try await DataSource.download(server.url("/ok/data.bin"), options: options(cache))
        let chunks = try await DataSource.chunks(from: server.url("/ok/data.bin"), options: options(cache)).collect()
        #expect(chunks.flatMap { $0 } == Self.payload)
        #expect(server.requests().count == 1)
    }

    @Test func droppedConnectionResumesByteIdentical() async throws {
        let (server, cache) = try await setUp()
        let url = server.url("/drop/data.bin?at=100000")
        let path = try await DataSource.download(url, options: options(cache))
        #expect(try TestFiles.read(path) == Self.payload)
        let requests = server.requests()
        #expect(requests.count == 2)
        let range = try #require(requests.last?.range)
        let resumedAt = try #require(Int(range.dropFirst(6).dropLast()))
        #expect(resumedAt > 0 && resumedAt <= 100_000)
    }

    @Test func partialFileFromAnEarlierRunIsResumed() async throws {
        let (server, cache) = try await setUp()
        for (i, route) in ["/ok/data.bin", "/norange/data.bin"].enumerated() {
            let url = server.url(route)
            let final = try DataSource.cachePath(for: url, options: options(cache))
            try TestFiles.write(Array(Self.payload[..<123_456]), to: final + ".part")
            #expect(try await DataSource.download(url, options: options(cache)) == final)
            #expect(try TestFiles.read(final) == Self.payload)
            #expect(server.requests()[i].range == "bytes=123456-")
        }
    }

    @Test func wrongBytesLeaveNothingInTheCache() async throws {
        let (server, cache) = try await setUp()
        let url = server.url("/wrong/data.bin")
        let error = await errorOf { _ = try await DataSource.download(url, options: options(cache)) }
        let mismatch = try #require(error as? ChecksumMismatch)
        #expect(mismatch.expected == Self.sha && mismatch.actual != Self.sha)
        #expect("\(mismatch)".contains(Self.sha) && "\(mismatch)".contains(mismatch.actual))
        let final = try DataSource.cachePath(for: url, options: options(cache))
        #expect(!TestFiles.exists(final) && !TestFiles.exists(final + ".part"))
    }

    @Test func cachedFileWithWrongDigestIsDownloadedAgain() async throws {
        let (server, cache) = try await setUp()
        let url = server.url("/ok/data.bin")
        let final = try DataSource.cachePath(for: url, options: options(cache))
        try TestFiles.write(Array("stale".utf8), to: final)
        _ = try await DataSource.download(url, options: options(cache))
        #expect(try TestFiles.read(final) == Self.payload)
        #expect(server.requests().count == 1)
    }

    @Test func notFoundFailsAtOnce() async throws {
        let (server, cache) = try await setUp()
        let error = await errorOf { _ = try await DataSource.download(server.url("/ok/missing.bin"), options: options(cache, retries: 5)) }
        let e = try #require(error as? DownloadError)
        #expect(e.kind == .httpStatus(404))
        #expect("\(e)".contains("HTTP 404") && "\(e)".contains("/ok/missing.bin") && "\(e)".contains("check the URL"))
        #expect(server.requests().count == 1)
    }

    @Test func serverErrorsAreRetried() async throws {
        let (server, cache) = try await setUp()
        let path = try await DataSource.download(server.url("/fail/data.bin?times=2"), options: options(cache))
        #expect(try TestFiles.read(path) == Self.payload)
        #expect(server.requests().count == 3)

        let error = await errorOf { _ = try await DataSource.download(server.url("/status/503"), options: options(cache, retries: 2)) }
        #expect((error as? DownloadError)?.kind == .httpStatus(503))
        #expect("\(error!)".contains("gave up after 3 attempts"))
    }

    @Test func fewerBytesThanContentLength() async throws {
        let (server, cache) = try await setUp()
        let error = await errorOf { _ = try await DataSource.download(server.url("/short/data.bin?at=50000"), options: options(cache, retries: 0)) }
        let e = try #require(error as? DownloadError)
        #expect(e.kind == .incomplete)
        #expect("\(e)".contains("of 300000 bytes"))
        #expect("\(e)".contains(".part"))   // hint: run again to resume
    }

    @Test func stalledServerTimesOut() async throws {
        let (server, cache) = try await setUp()
        var o = options(cache)
        o.readTimeout = .milliseconds(400)
        let start = ContinuousClock.now
        let error = await errorOf { _ = try await DataSource.download(server.url("/stall/data.bin?at=1000"), options: o) }
        #expect((error as? DownloadError)?.kind == .timeout, "\(String(describing: error))")
        #expect("\(error!)".contains("stalled"))
        #expect(ContinuousClock.now - start < .seconds(30))   // ≈ 1.6 s (4 × 0.4 s); the bound only says it ends (10.2 s once on a starved CI machine)
    }

    @Test func redirects() async throws {
        let (server, cache) = try await setUp()
        let path = try await DataSource.download(server.url("/redirect/data.bin"), options: options(cache))
        #expect(try TestFiles.read(path) == Self.payload)
        let error = await errorOf { _ = try await DataSource.download(server.url("/loop"), options: options(cache, sha256: nil)) }
        #expect((error as? DownloadError)?.kind == .tooManyRedirects, "\(String(describing: error))")
    }

    @Test func refusedConnectionGivesUpAfterRetries() async throws {
        let cache = try TestFiles.temporaryDirectory("cache")
        var o = options(cache, retries: 1)
        o.connectTimeout = .milliseconds(500)   // refused at once locally; dropped in some sandboxes
        let error = await errorOf { _ = try await DataSource.download("http://127.0.0.1:9/x.bin", options: o) }
        #expect((error as? DownloadError)?.kind == .connection, "\(String(describing: error))")
    }

    @Test func streamingTeeIsOnePassAndFillsTheCache() async throws {
        let (server, cache) = try await setUp()
        var t = TarBuilder()
        t.file("aclImdb/train/pos/1_9.txt", "good")
        t.file("aclImdb/train/unsup/1_0.txt", "?")
        t.file("aclImdb/train/neg/2_2.txt", TestFiles.bytes(400_000))
        let tgz = try await TestFiles.gzip(t.finished())
        try server.serve("imdb.tar.gz", tgz)
        var o = options(cache, sha256: SHA256.hash(data: tgz).hex)
        o.delivery = .stream
        let url = server.url("/drop/imdb.tar.gz?at=200000")
        let filter = try EntryFilter(exclude: ["**/unsup/**"])
        let entries = try await DataSource.entries(from: url, options: o, filter: filter).collect()
        #expect(entries.map(\.path) == ["aclImdb/train/pos/1_9.txt", "aclImdb/train/neg/2_2.txt"])
        #expect(entries[1].data == TestFiles.bytes(400_000))
        #expect(try TestFiles.read(DataSource.cachePath(for: url, options: o)) == tgz)
        #expect(server.requests().count == 2)
        // A second pass reads the cache.
        #expect(try await DataSource.entries(from: url, options: o, filter: filter).collect() == entries)
        #expect(server.requests().count == 2)
    }

    @Test func streamingTeeReportsChecksumErrorAtTheEnd() async throws {
        let (server, cache) = try await setUp()
        var o = options(cache)
        o.delivery = .stream
        let url = server.url("/wrong/data.bin")
        var received = 0
        let error = await errorOf {
            for try await chunk in try DataSource.chunks(from: url, options: o) { received += chunk.count }
        }
        #expect(error is ChecksumMismatch)
        #expect(received == Self.payload.count)
        let final = try DataSource.cachePath(for: url, options: o)
        #expect(!TestFiles.exists(final) && !TestFiles.exists(final + ".part"))
    }

    /// A consumer pausing longer than the read timeout lets the connection idle; that is not
    /// the server stalling, so the download resumes instead of failing.
    @Test func slowConsumerInStreamModeResumes() async throws {
        let (server, cache) = try await setUp()
        let big = TestFiles.bytes(1_500_000, seed: 5)
        try server.serve("big.bin", big)
        // Spare retries and a 2 s timeout: a clean-clone CI run once starved the in-process server
        // into four real 1 s stalls in a row (the pause itself is 3 s, still above the timeout).
        var o = options(cache, retries: 8, sha256: nil)   // byte identity is checked below
        o.delivery = .stream
        o.readTimeout = .seconds(2)
        var received: [UInt8] = []
        for try await chunk in try DataSource.chunks(from: server.url("/ok/big.bin"), options: o) {
            if received.isEmpty { try await Task.sleep(for: .milliseconds(3000)) }
            received += chunk
        }
        #expect(received == big)
    }
}
