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
/// (capped at 30 s); connect timeout 15 s; read timeout 60 s (the longest the server may
/// stay silent); 10 redirects; 256 KiB chunks; progress on standard error when it is a terminal.
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
    /// Retries after the first attempt, for connection errors, dropped connections, 5xx, and
    /// read timeouts that follow some progress. Any progress resets the count.
    public var retries: Int
    /// Delay before the first retry; doubled for each further retry, capped at 30 s.
    public var retryDelay: Duration
    public var connectTimeout: Duration
    /// The longest the server may send nothing while a response is awaited or streamed. A
    /// stall right after (re)connecting fails with a `DownloadError` of kind `.timeout`.
    public var readTimeout: Duration
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
        if connectTimeout <= .zero { throw InputError("must be > 0", field: "connect_timeout", value: "\(connectTimeout)") }
        if cacheDirectory.isEmpty { throw InputError("must not be empty", field: "cache_directory", value: cacheDirectory) }
    }

    /// `$PIPELINE_CACHE_DIR`, else `$XDG_CACHE_HOME/pipeline`, else `~/.cache/pipeline`.
    public static var defaultCacheDirectory: String {
        func env(_ name: String) -> String? {
            guard let v = getenv(name) else { return nil }
            let s = String(cString: v)
            return s.isEmpty ? nil : s
        }
        if let dir = env("PIPELINE_CACHE_DIR") { return dir }
        if let xdg = env("XDG_CACHE_HOME") { return xdg + "/pipeline" }
        return (env("HOME") ?? "/tmp") + "/.cache/pipeline"
    }
}
