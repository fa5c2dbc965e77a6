import Crypto
import Logging
import PipelineCore
import Testing
@testable import PipelineIO

/// Download diagnostics go through swift-log (`SourceOptions.logger`), so a library user can
/// redirect or silence them; before, they were written to standard error with no way around it.
@Suite struct DownloadLoggingTests {
    /// A swift-log handler that keeps every message with its level and label.
    struct Capture: LogHandler {
        final class Store: Sendable {
            let entries = Locked<[(label: String, level: Logger.Level, message: String)]>([])
            var all: [(label: String, level: Logger.Level, message: String)] { entries.withLock { $0 } }
        }
        let store: Store
        let label: String
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?,
                 source: String, file: String, function: String, line: UInt) {
            store.entries.withLock { $0.append((label, level, message.description)) }
        }
    }

    static let payload = TestFiles.bytes(50_000, seed: 11)

    func options(_ cache: String, _ store: Capture.Store) -> SourceOptions {
        var o = SourceOptions(checksums: Checksums(sha256: SHA256.hash(data: Self.payload).hex), cacheDirectory: cache,
                              retries: 2, retryDelay: .milliseconds(10), progress: .quiet)
        o.logger = Logger(label: "test.io") { Capture(store: store, label: $0) }
        return o
    }

    /// A 500 then the file: the retry is one `notice` on the injected logger, with the text the
    /// CLI prints, and nothing goes to `messages` (left nil).
    @Test(.timeLimit(.minutes(1)))
    func retryNoticeReachesTheInjectedLogger() async throws {
        let server = try await HTTPTestServer.start()
        try server.serve("data.bin", Self.payload)
        let cache = try TestFiles.temporaryDirectory("cache")
        let store = Capture.Store()
        let url = server.url("/fail/data.bin?times=1")
        let path = try await DataSource.download(url, options: options(cache, store))
        #expect(try TestFiles.read(path) == Self.payload)
        let entries = store.all
        #expect(entries.count == 1, "\(entries)")
        #expect(entries.first?.label == "test.io")
        #expect(entries.first?.level == .notice)
        #expect(entries.first?.message.hasPrefix(url + ": attempt 1 of 3 failed: ") == true, "\(entries)")
        #expect(entries.first?.message.hasSuffix("; retrying in 0.01 s") == true, "\(entries)")
    }

    /// A cached file that fails its checksum is downloaded again, and says so on the logger.
    @Test(.timeLimit(.minutes(1)))
    func cachedFileMismatchNoticeReachesTheInjectedLogger() async throws {
        let server = try await HTTPTestServer.start()
        try server.serve("data.bin", Self.payload)
        let cache = try TestFiles.temporaryDirectory("cache")
        let store = Capture.Store()
        let url = server.url("/ok/data.bin")
        let o = options(cache, store)
        let final = try DataSource.cachePath(for: url, options: o)
        try Directories.make(parentOf: final)
        try TestFiles.write(Array(Self.payload.reversed()), to: final)
        let path = try await DataSource.download(url, options: o)
        #expect(try TestFiles.read(path) == Self.payload)
        let entries = store.all
        #expect(entries.count == 1, "\(entries)")
        #expect(entries.first?.level == .notice)
        #expect(entries.first?.message.hasPrefix(final + ": cached file has the wrong sha256 (got ") == true, "\(entries)")
        #expect(entries.first?.message.hasSuffix("); downloading again") == true, "\(entries)")
    }

    /// With `messages` set (the older API), retry lines still go there, whole, and not to the logger.
    @Test(.timeLimit(.minutes(1)))
    func messagesSinkStillTakesRetryLines() async throws {
        let server = try await HTTPTestServer.start()
        try server.serve("data.bin", Self.payload)
        let cache = try TestFiles.temporaryDirectory("cache")
        let store = Capture.Store()
        let lines = Locked<[String]>([])
        var o = options(cache, store)
        o.messages = { line in lines.withLock { $0.append(line) } }
        let url = server.url("/fail/data.bin?times=1")
        _ = try await DataSource.download(url, options: o)
        let captured = lines.withLock { $0 }
        #expect(captured.count == 1 && captured[0].hasPrefix(url + ": attempt 1 of 3 failed: ") && captured[0].hasSuffix("\n"), "\(captured)")
        #expect(store.all.isEmpty, "\(store.all)")
    }
}
