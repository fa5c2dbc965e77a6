import Crypto
import PipelineCore

/// Where a URL's file lives in the cache: one flat folder of `HASH16-NAME` files, where
/// `HASH16` is the first 16 hex digits of the SHA-256 of the URL (without its `#fragment`)
/// and `NAME` is the URL's last path segment reduced to `[A-Za-z0-9._-]` for recognition.
///
/// `https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz` →
/// `~/.cache/pipeline/9d1ef3c1e0b5a0f2-aclImdb_v1.tar.gz` (digits illustrative).
///
/// Semantics: the file name never contains `/`, never starts with `.` and is at most
/// 16 + 1 + ``maxNameLength`` bytes (plus `.part` while downloading), so nothing is ever
/// written outside the cache folder whatever the URL holds (`..` as host or segment,
/// percent-encoded dots, NUL, a 5,000-character name). Other characters become `_`; a name
/// longer than ``maxNameLength`` keeps its last ``maxNameLength`` characters (the extension);
/// an empty one is `index`. Two URLs differing anywhere (host, port, path, query) get
/// different files; the name is for people only: formats are detected from the URL and the
/// bytes, never from the cache name. Cost: one SHA-256 of the URL.
/// Failures: ``DownloadError`` `.badURL` when the text has no `scheme://` or no host.
enum CacheLocation {
    /// Longest recognizable suffix kept from the URL's file name.
    static let maxNameLength = 64

    static func path(for url: String, cacheDirectory: String) throws -> String {
        let (key, name) = try parts(of: url)
        let hash = String(SHA256.hash(data: Array(key.utf8)).hex.prefix(16))
        let dir = cacheDirectory.hasSuffix("/") && cacheDirectory.count > 1 ? String(cacheDirectory.dropLast()) : cacheDirectory
        return (dir == "/" ? "" : dir) + "/" + hash + "-" + name
    }

    /// The URL's last path segment for messages and progress lines: control characters
    /// become `?` and it is capped at 80 characters (the end is kept).
    static func displayName(for url: String) -> String {
        let segment = lastSegment(of: url)
        let clean = String(segment.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
        let shown = clean.count > 80 ? "…" + clean.suffix(79) : clean
        return shown.isEmpty ? url : shown
    }

    /// The text hashed (the URL without its fragment) and the sanitized name.
    private static func parts(of url: String) throws -> (String, String) {
        guard let schemeEnd = url.range(of: "://") else {
            throw DownloadError(.badURL, url: url, message: "not a URL")
        }
        var key = Substring(url)
        if let f = key.firstIndex(of: "#") { key = key[..<f] }
        let rest = key[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        guard !rest[..<authorityEnd].isEmpty else { throw DownloadError(.badURL, url: url, message: "the URL has no host") }
        var name = sanitize(lastSegment(of: url))
        if name.utf8.count > maxNameLength { name = String(name.suffix(maxNameLength)) }   // ASCII after sanitize
        return (String(key), name.isEmpty ? "index" : name)
    }

    /// The text after the last `/` of the URL's path (query and fragment removed); empty for
    /// `http://host` and `http://host/`.
    private static func lastSegment(of url: String) -> Substring {
        var rest = Substring(url)
        if let s = rest.range(of: "://") { rest = rest[s.upperBound...] }
        if let q = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<q] }
        guard let slash = rest.firstIndex(of: "/") else { return "" }   // host only
        let path = rest[slash...]
        return path[path.index(after: path.lastIndex(of: "/")!)...]
    }

    private static func sanitize(_ s: Substring) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".utf8)
        return String(decoding: s.utf8.map { allowed.contains($0) ? $0 : UInt8(ascii: "_") }, as: UTF8.self)
    }
}
