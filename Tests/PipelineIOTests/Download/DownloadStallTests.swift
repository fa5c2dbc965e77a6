import Crypto
import Foundation
import PipelineCore
import Testing
@testable import PipelineIO

/// Servers that drip bytes (scripts/io_test_server.py `/drip/`): stall timeout, retries with a
/// warning line each, progress lines while bytes trickle in.
@Suite struct DownloadStallTests {
    static let payload = TestFiles.bytes(300_000, seed: 7)
    static let sha = SHA256.hash(data: payload).hex

    /// The messages (warnings and progress lines) a download printed.
    final class Messages: Sendable {
        let lines = Locked<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        var sink: @Sendable (String) -> Void { { [lines] text in lines.withLock { $0.append(text) } } }
    }

    func options(_ cache: String, _ messages: Messages, timeout: Duration, retries: Int,
                 sha256: String? = DownloadStallTests.sha) -> SourceOptions {
        var o = SourceOptions(checksums: Checksums(sha256: sha256), cacheDirectory: cache, retries: retries,
                              retryDelay: .milliseconds(10), readTimeout: timeout, chunkSize: 64 << 10, progress: .quiet)
        o.messages = messages.sink
        return o
    }

    func setUp() async throws -> (HTTPTestServer, String) {
        let server = try await HTTPTestServer.start()
        try server.serve("data.bin", Self.payload)
        return (server, try TestFiles.temporaryDirectory("cache"))
    }

    /// One byte per attempt, then silence past the timeout: each attempt is retried with a
    /// warning, and the last one fails within seconds, naming the URL, the bytes received and
    /// the keys to raise. (Before: any byte reset the retry budget, so this retried forever.)
    @Test(.timeLimit(.minutes(1)))
    func dripSlowerThanTheTimeoutFailsNamingTheURL() async throws {
        let (server, cache) = try await setUp()
        let messages = Messages()
        let url = server.url("/drip/data.bin?every=1.5&first=0")
        let start = ContinuousClock.now
        let error = await errorOf {
            _ = try await DataSource.download(url, options: options(cache, messages, timeout: .milliseconds(700), retries: 1))
        }
        // Two attempts of ≈ 0.7 s each: well under the bound even on a loaded machine (before
        // the fix this never ended).
        #expect(ContinuousClock.now - start < .seconds(30))
        let e = try #require(error as? DownloadError, "\(String(describing: error))")
        #expect(e.kind == .timeout)
        let text = "\(e)"
        #expect(text.hasPrefix(url + ": stalled: no data for 0.7 s after 2 of 300000 bytes"), "\(text)")
        #expect(text.contains("gave up after 2 attempts"))
        #expect(text.contains("source.timeout_seconds (now 0.7 s)") && text.contains("source.retries (now 1)"))
        #expect(text.contains("resume from the 2 bytes"))
        let warnings = messages.all.filter { $0.contains("attempt") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix(url + ": attempt 1 of 2 failed: stalled: no data for 0.7 s") == true, "\(warnings)")
        #expect(warnings.first?.hasSuffix("; retrying in 0.01 s\n") == true, "\(warnings)")
        let final = try DataSource.cachePath(for: url, options: options(cache, messages, timeout: .seconds(1), retries: 0))
        #expect(!TestFiles.exists(final))                                  // nothing under the final name
        #expect(try TestFiles.read(final + ".part") == Array(Self.payload[..<2]))   // what arrived is kept
    }

    /// Bytes every 0.1 s never trip a 3 s read timeout; the rate floor catches the drip (≈ 30
    /// bytes in the 3 s window, under 300). The window is wide so that a busy machine delaying
    /// the server for a moment cannot turn it into a plain stall.
    @Test(.timeLimit(.minutes(1)))
    func dripFasterThanTheTimeoutIsAStallByRate() async throws {
        let (server, cache) = try await setUp()
        let messages = Messages()
        var o = options(cache, messages, timeout: .seconds(3), retries: 0)
        o.minBytesPerSecond = 100
        let url = server.url("/drip/data.bin?every=0.1&first=0")
        let start = ContinuousClock.now
        let error = await errorOf { _ = try await DataSource.download(url, options: o) }
        #expect(ContinuousClock.now - start < .seconds(30))   // ≈ 3 s; the bound only says it ends
        let e = try #require(error as? DownloadError, "\(String(describing: error))")
        #expect(e.kind == .timeout)
        #expect("\(e)".contains("under 100 bytes/s") && "\(e)".contains("of 300000 bytes in all"), "\(e)")
        #expect("\(e)".contains("source.min_bytes_per_second (now 100)"))
    }

    /// The first response sends nothing; a retry (a `Range` request) completes and verifies.
    /// Spare retries: on a machine starved by the parallel test run the retry itself may stall for
    /// 2 s mid-transfer (seen in CI); the next one resumes from the bytes kept, which is the same
    /// behaviour under test.
    @Test func retryAfterAStallSucceeds() async throws {
        let (server, cache) = try await setUp()
        let messages = Messages()
        let url = server.url("/drip/data.bin?every=8&times=1")
        let path = try await DataSource.download(url, options: options(cache, messages, timeout: .seconds(2), retries: 8))
        #expect(try TestFiles.read(path) == Self.payload)
        #expect(!TestFiles.exists(path + ".part"))
        #expect(server.requests().count >= 2)
        #expect(messages.all.contains { $0.contains("attempt 1 of 9 failed: stalled: no data for 2 s after 0 of 300000 bytes") }, "\(messages.all)")
    }

    /// Bytes trickling in show up in the progress line (bytes, total, percent) before the end,
    /// and in the part file; `.quiet` prints no progress.
    @Test func progressShowsBytesWhileDripping() async throws {
        let (server, cache) = try await setUp()
        try server.serve("small.bin", Array(Self.payload[..<12]))
        let messages = Messages()
        var o = options(cache, messages, timeout: .seconds(30), retries: 0, sha256: SHA256.hash(data: Array(Self.payload[..<12])).hex)
        o.minBytesPerSecond = 0
        o.progress = .bar
        // A byte every 0.4 s: the bar (redrawn at most every 0.1 s) shows partial counts even
        // when the parallel test run keeps this process waiting.
        let path = try await DataSource.download(server.url("/drip/small.bin?every=0.4&first=0"), options: o)
        #expect(try TestFiles.read(path) == Array(Self.payload[..<12]))
        let partial = messages.all.filter { $0.contains("small.bin:") && $0.contains(" B / 12 B") && !$0.contains("12 B / 12 B") }
        #expect(!partial.isEmpty, "\(messages.all)")
        #expect(partial.contains { $0.contains("%") })
        #expect(messages.all.last?.contains("12 B / 12 B") == true && messages.all.last?.contains("done") == true)

        let quiet = Messages()
        var q = options(try TestFiles.temporaryDirectory("cache"), quiet, timeout: .seconds(30), retries: 0, sha256: nil)
        q.minBytesPerSecond = 0
        _ = try await DataSource.download(server.url("/drip/small.bin?every=0.05&first=0"), options: q)
        #expect(quiet.all.isEmpty, "\(quiet.all)")
    }

    /// A part file whose bytes are wrong is resumed, and the checksum over the whole file
    /// catches it: nothing is left under the final name (stream mode: the error reaches the
    /// consumer; download mode: one fresh download from zero).
    @Test func resumedDownloadIsVerified() async throws {
        let (server, cache) = try await setUp()
        let messages = Messages()
        // A generous stall timeout: this test is about the checksum, and a full parallel test run
        // (MPI jobs included) once kept the in-process server from sending for 5 s.
        var o = options(cache, messages, timeout: .seconds(60), retries: 0)
        o.delivery = .stream
        let url = server.url("/ok/data.bin")
        let final = try DataSource.cachePath(for: url, options: o)
        var bad = Array(Self.payload[..<100_000]); bad[5] ^= 0xFF
        try TestFiles.write(bad, to: final + ".part")
        let error = await errorOf { for try await _ in try DataSource.chunks(from: url, options: o) {} }
        #expect(error is ChecksumMismatch, "\(String(describing: error))")
        #expect(!TestFiles.exists(final) && !TestFiles.exists(final + ".part"))
        #expect(server.requests().first?.range == "bytes=100000-")

        try TestFiles.write(bad, to: final + ".part")
        o.delivery = .downloadFirst
        #expect(try await DataSource.download(url, options: o) == final)
        #expect(try TestFiles.read(final) == Self.payload)
    }
}
