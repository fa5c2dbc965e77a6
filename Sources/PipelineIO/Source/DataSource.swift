import Foundation
import Logging
import PipelineCore

/// The one entry point for reading raw bytes: a local path, a `file://` URL, or an HTTP(S)
/// URL (downloaded into the cache with verification, retries and resume).
///
/// ```swift
/// let options = SourceOptions(checksums: Checksums(sha256: "c40f74a18d3b…"))
/// let url = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"
/// let filter = try EntryFilter(include: ["aclImdb/train/{pos,neg}/*.txt"])
/// for try await entry in try DataSource.entries(from: url, options: options, filter: filter) { … }
/// let local = try await DataSource.download(url, options: options)   // path of the verified file
/// ```
///
/// Kinds of source, told apart by the text: `http://`, `https://` → network through the
/// cache (see ``SourceOptions/Delivery`` and ``HTTPByteSource``); `file:///abs/path` and
/// anything without `scheme://` → a local file (a leading `~` is expanded by ``HomeDirectory/expandingTilde(_:)``), checked against the
/// checksums while it is read (the mismatch error comes after the last chunk). Any other
/// scheme (`ftp://`, `s3://`…) throws ``InputError`` at once.
public enum DataSource {
    enum Kind: Sendable { case local(String), http(String) }

    static func kind(of pathOrURL: String) throws -> Kind {
        let lower = pathOrURL.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return .http(pathOrURL) }
        if lower.hasPrefix("file://") {
            var rest = String(pathOrURL.dropFirst(7))
            if rest.lowercased().hasPrefix("localhost/") { rest = String(rest.dropFirst(9)) }
            guard rest.hasPrefix("/"), let path = rest.removingPercentEncoding else {
                throw InputError("a file URL needs an absolute path, as in file:///data/x.tar.gz", field: "source", value: pathOrURL)
            }
            return .local(path)
        }
        if let sep = pathOrURL.range(of: "://") {
            let scheme = pathOrURL[..<sep.lowerBound]
            if !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+.-".contains($0) }) {
                throw InputError("unsupported URL scheme '\(scheme)' (supported: http, https, file, or a local path)",
                                 field: "source", value: pathOrURL)
            }
        }
        if pathOrURL.isEmpty { throw InputError("the source path is empty", field: "source", value: pathOrURL) }
        return .local(HomeDirectory.expandingTilde(pathOrURL))
    }

    /// The bytes of `pathOrURL` as chunks. Throws ``InputError`` at once for an unsupported
    /// scheme or invalid options; everything else fails while iterating.
    public static func chunks(from pathOrURL: String, options: SourceOptions = SourceOptions()) throws -> SourceChunks {
        try options.validate()
        switch try kind(of: pathOrURL) {
        case .local(let path):
            return SourceChunks(storage: .local(path: path, checksums: options.checksums, chunkSize: options.chunkSize))
        case .http(let url):
            let source = try HTTPByteSource(url: url, options: options)
            return SourceChunks(storage: options.delivery == .stream ? .stream(source) : .downloadFirst(url: url, options: options))
        }
    }

    /// The regular files of the archive at `pathOrURL` (tar, tar.gz, zip…): ``chunks(from:options:)``
    /// followed by ``AsyncSequence/archiveEntries(source:filter:limits:onEmpty:onCorruptEntry:report:)``.
    public static func entries(from pathOrURL: String, options: SourceOptions = SourceOptions(),
                               filter: EntryFilter = .all, limits: ArchiveLimits = ArchiveLimits(),
                               onEmpty: EmptyArchivePolicy = .error) throws -> AsyncArchiveEntriesSequence<SourceChunks> {
        try chunks(from: pathOrURL, options: options)
            .archiveEntries(source: pathOrURL, filter: filter, limits: limits, onEmpty: onEmpty)
    }

    /// A local path holding the verified bytes of `pathOrURL`: for a URL, the cache file
    /// (downloaded if missing or wrong); for a local file, the path itself after checking it.
    /// If a download resumed from an old partial file fails verification, it is retried once
    /// from zero before ``ChecksumMismatch`` is thrown.
    public static func download(_ pathOrURL: String, options: SourceOptions = SourceOptions()) async throws -> String {
        try options.validate()
        switch try kind(of: pathOrURL) {
        case .local(let path):
            guard FileManager.default.fileExists(atPath: path) else {
                throw IOFailure("no such file", path: path, hint: "check the path (relative paths start from the current directory)")
            }
            try options.checksums.verify(file: path)
            return path
        case .http(let url):
            let engine = try DownloadEngine(url: url, options: options, yieldCachedFile: false)
            do {
                while try await engine.next() != nil {}
            } catch let mismatch as ChecksumMismatch where engine.partBytesAtStart > 0 {
                options.logger.notice("\(url): \(mismatch.algorithm) mismatch after resuming an old partial download; starting again from zero")
                let again = try DownloadEngine(url: url, options: options, yieldCachedFile: false)
                while try await again.next() != nil {}
            }
            return engine.finalPath
        }
    }

    /// Where `url` is (or will be) cached under `options.cacheDirectory`.
    public static func cachePath(for url: String, options: SourceOptions = SourceOptions()) throws -> String {
        try CacheLocation.path(for: url, cacheDirectory: options.cacheDirectory)
    }
}
