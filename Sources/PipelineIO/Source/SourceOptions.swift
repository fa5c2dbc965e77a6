import Logging
import PipelineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How ``DataSource`` fetches a file: checksums, cache, retries, timeouts, progress.
///
/// ```swift
/// var options = SourceOptions(checksums: Checksums(sha256: "c40f74a1…"))
/// options.delivery = .stream            // network → gunzip → untar in one pass
/// options.retries = 3
/// let chunks = try DataSource.chunks(from: "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz", options: options)
/// ```
///
/// Defaults: cache in ``defaultCacheDirectory``; 5 retries starting at 0.5 s and doubling
/// (capped at 30 s), each announced on ``logger``; connect timeout 15 s; stall timeout
/// (`readTimeout`) 60 s with a floor of 1000 B/s (`minBytesPerSecond`); 10 redirects;
/// 256 KiB chunks; progress on standard error (a bar on a terminal, a line every 5 s otherwise).
public struct SourceOptions: Sendable {
    /// How an HTTP(S) source reaches the consumer.
    public enum Delivery: String, Sendable, Codable {
        /// Download into the cache completely, verify, then read the cached file: the consumer
        /// never sees bytes that fail verification. Default.
        case downloadFirst = "download_first"
        /// Yield chunks as they arrive while also writing them into the cache (`NAME.part`,
        /// renamed when complete and verified): one pass, but a checksum error arrives after
        /// the last chunk.
        case stream
    }

    public var checksums: Checksums
    public var cacheDirectory: String
    public var delivery: Delivery
    /// Retries after the first attempt (spec key `source.retries`), for connection errors,
    /// dropped connections, 5xx and stalls; each resumes at the next byte. An attempt that
    /// brought at least 1 MiB resets the count (so a long download survives many drops, but a
    /// server dripping a few bytes per attempt does not get retried forever).
    public var retries: Int
    /// Delay before the first retry; doubled for each further retry, capped at 30 s.
    public var retryDelay: Duration
    public var connectTimeout: Duration
    /// The stall timeout (spec key `source.timeout_seconds`): an attempt fails, and is retried,
    /// when the server sends nothing for this long (while a response is awaited or streamed),
    /// or when over this much time spent waiting for the network it sends fewer than
    /// ``minBytesPerSecond`` per second on average (a server dripping bytes). Not a limit on
    /// the whole download, which may take as long as it needs while data flows. After the
    /// last retry: a `DownloadError` of kind `.timeout` naming the URL and the bytes received.
    public var readTimeout: Duration
    /// The slowest average rate (bytes per second, over each ``readTimeout`` of waiting) that
    /// does not count as a stall (spec key `source.min_bytes_per_second`, default 1000); 0
    /// turns the rate check off, leaving only total silence as a stall.
    public var minBytesPerSecond: Double = 1000
    /// Where diagnostics go, whatever ``progress`` says: at `notice`, each retry
    /// (`URL: attempt 1 of 4 failed: …; retrying in 0.5 s`), a cached file that fails its checksum
    /// and is downloaded again, a resumed partial download that fails its checksum and restarts
    /// from zero. Label `pipeline.io`; by default the handler `LoggingSystem.bootstrap` installed
    /// (swift-log's own default prints to standard output). Retry lines go to ``messages``
    /// instead when it is set.
    public var logger = Logger(label: "pipeline.io")
    /// Where progress lines go: nil (default) means standard error (``Console/error(_:)``).
    /// Kept from before ``logger``: when set, retry lines (full text, newline included) go here
    /// too, instead of to ``logger``. Set it to `{ _ in }` with `progress: .quiet` for silence.
    public var messages: (@Sendable (String) -> Void)?
    public var maxRedirects: Int
    /// Size of the chunks yielded (file reads; network data is gathered up to this size).
    public var chunkSize: Int
    public var progress: ProgressStyle

    public init(checksums: Checksums = Checksums(), cacheDirectory: String = SourceOptions.defaultCacheDirectory,
                delivery: Delivery = .downloadFirst, retries: Int = 5, retryDelay: Duration = .milliseconds(500),
                connectTimeout: Duration = .seconds(15), readTimeout: Duration = .seconds(60),
                maxRedirects: Int = 10, chunkSize: Int = 256 << 10, progress: ProgressStyle = .automatic) {
        self.checksums = checksums; self.cacheDirectory = cacheDirectory; self.delivery = delivery
        self.retries = retries; self.retryDelay = retryDelay; self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout; self.maxRedirects = maxRedirects; self.chunkSize = chunkSize
        self.progress = progress
    }

    /// Throws ``InputError`` naming the field when an option is out of range.
    public func validate() throws {
        try checksums.validate()
        if retries < 0 { throw InputError("must be >= 0", field: "retries", value: "\(retries)") }
        if maxRedirects < 0 { throw InputError("must be >= 0", field: "max_redirects", value: "\(maxRedirects)") }
        if chunkSize < 1 { throw InputError("must be > 0", field: "chunk_size", value: "\(chunkSize)") }
        if readTimeout <= .zero { throw InputError("must be > 0", field: "read_timeout", value: "\(readTimeout)") }
        if !(minBytesPerSecond >= 0) || !minBytesPerSecond.isFinite {
            throw InputError("must be a finite number >= 0", field: "min_bytes_per_second", value: "\(minBytesPerSecond)")
        }
        if connectTimeout <= .zero { throw InputError("must be > 0", field: "connect_timeout", value: "\(connectTimeout)") }
        if cacheDirectory.isEmpty { throw InputError("must not be empty", field: "cache_directory", value: cacheDirectory) }
    }

    /// `$PIPELINE_CACHE_DIR`, else `$XDG_CACHE_HOME/pipeline`, else `~/.cache/pipeline`
    /// (`~` as ``HomeDirectory/path``).
    public static var defaultCacheDirectory: String {
        func env(_ name: String) -> String? {
            guard let v = getenv(name) else { return nil }
            let s = String(cString: v)
            return s.isEmpty ? nil : s
        }
        if let dir = env("PIPELINE_CACHE_DIR") { return dir }
        if let xdg = env("XDG_CACHE_HOME") { return xdg + "/pipeline" }
        return HomeDirectory.expandingTilde("~/.cache/pipeline")
    }
}
