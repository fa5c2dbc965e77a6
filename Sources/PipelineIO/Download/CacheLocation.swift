import Foundation
import PipelineCore

/// Where a URL's file lives in the cache: `CACHE/HOST[_PORT]/PATH…`, mirroring the URL so
/// two files with the same name on different servers or folders never collide.
///
/// `https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz` →
/// `~/.cache/pipeline/ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz`.
/// Characters outside `[A-Za-z0-9._~+-]` become `_`; a query string adds `-` and 8 hex digits
/// of its SHA-256 to the name; `.`/`..`/empty segments are dropped; an empty name is `index`.
enum CacheLocation {
    static func path(for url: String, cacheDirectory: String) throws -> String {
        guard let schemeEnd = url.range(of: "://") else {
            throw DownloadError(.badURL, url: url, message: "not a URL")
        }
        var rest = url[schemeEnd.upperBound...]
        var query = ""
        if let q = rest.firstIndex(of: "?") { query = String(rest[rest.index(after: q)...]); rest = rest[..<q] }
        if let f = rest.firstIndex(of: "#") { rest = rest[..<f] }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var host = String(rest[..<slash]).lowercased()
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }   // drop user:password@
        guard !host.isEmpty else { throw DownloadError(.badURL, url: url, message: "the URL has no host") }
        var segments = [sanitize(host)]
        segments += rest[slash...].split(separator: "/").map { sanitize(String($0)) }.filter { $0 != "." && $0 != ".." && !$0.isEmpty }
        if segments.count == 1 { segments.append("index") }
        if !query.isEmpty { segments[segments.count - 1] += "-" + String(SHA256.hash(Array(query.utf8)).hex.prefix(8)) }
        let dir = cacheDirectory.hasSuffix("/") ? String(cacheDirectory.dropLast()) : cacheDirectory
        return dir + "/" + segments.joined(separator: "/")
    }

    private static func sanitize(_ s: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~+-".utf8)
        return String(decoding: s.utf8.map { allowed.contains($0) ? $0 : UInt8(ascii: "_") }, as: UTF8.self)
    }
}
