/// An HTTP download that failed: the URL, what happened, and what to do.
///
/// ```
/// http://127.0.0.1:8080/missing.tar.gz: HTTP 404 Not Found (check the URL)
/// https://host/x.tar.gz: connection closed after 1048576 of 4194304 bytes (Content-Length); gave up after 6 attempts (run again to resume from …/x.tar.gz.part)
/// ```
/// `kind` lets callers react without parsing the message. Checksum failures are
/// ``ChecksumMismatch``, not this type.
public struct DownloadError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The server answered with this status (4xx at once; 5xx after the retries).
        case httpStatus(Int)
        /// The server stalled: nothing for the stall timeout (`source.timeout_seconds`), or less
        /// than `source.min_bytes_per_second` on average over that long; after the retries.
        case timeout
        /// More redirects than allowed, or a redirect loop.
        case tooManyRedirects
        /// The body ended (connection closed) before Content-Length bytes arrived.
        case incomplete
        /// Connecting or reading failed (refused, reset, DNS…), after the retries.
        case connection
        /// The URL is malformed, or its scheme is not http, https or file.
        case badURL
        /// The server's answer makes resuming impossible (a Content-Range we did not ask for…).
        case protocolError
    }

    public var kind: Kind
    public var url: String
    public var message: String
    public var hint: String?
    /// The error from the HTTP client, when there is one.
    public var underlying: (any Error)?

    public init(_ kind: Kind, url: String, message: String, hint: String? = nil, underlying: (any Error)? = nil) {
        self.kind = kind; self.url = url; self.message = message; self.hint = hint; self.underlying = underlying
    }

    public var description: String {
        "\(url): \(message)" + (underlying.map { " [\($0)]" } ?? "") + (hint.map { " (\($0))" } ?? "")
    }
}
