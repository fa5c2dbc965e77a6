import Foundation
import PipelineCore
import PipelineIO

/// Opens a spec's data source as bytes or archive entries.
///
/// Local paths and `file://` URLs are read in chunks (and verified when the spec gives checksums);
/// `http(s)` URLs go through PipelineIO's download stage (cache, checksums on every hit, resume,
/// retries). Relative paths in a spec are relative to the spec's folder.
public struct SourceOpener: Sendable {
    public let source: SourceSpec
    public let location: String
    public let progress: ProgressStyle

    public init(spec: PipelineSpec, progress: ProgressStyle) {
        source = spec.source
        location = PathResolution.resolve(spec.source.url, relativeTo: spec.file)
        self.progress = progress
    }

    public var isRemote: Bool { location.hasPrefix("http://") || location.hasPrefix("https://") }
    public var displayName: String { isRemote ? location : (location as NSString).lastPathComponent }

    var isDirectory: Bool {
        var dir: ObjCBool = false
        return !isRemote && FileManager.default.fileExists(atPath: location, isDirectory: &dir) && dir.boolValue
    }

    var checksums: Checksums { Checksums(sha256: source.sha256, md5: source.md5) }

    /// The raw bytes of the source, verified against the spec's checksums.
    public func bytes() throws -> AnyByteSequence {
        if isRemote {
            var o = SourceOptions(checksums: checksums, cacheDirectory: source.expandedCacheDir)
            o.retries = source.retries
            o.readTimeout = .seconds(source.timeoutSeconds)   // the stall timeout (≤ 1 day, checked by the spec)
            o.minBytesPerSecond = source.minBytesPerSecond
            o.progress = progress
            o.delivery = source.delivery == .stream ? .stream : .downloadFirst
            return AnyByteSequence(try DataSource.chunks(from: location, options: o))
        }
        guard FileManager.default.isReadableFile(atPath: location) else {
            throw IOFailure("cannot read the data source", path: location,
                            hint: "check source.url in the spec, or pass --source PATH_OR_URL")
        }
        let chunks = FileChunks(path: location)
        if checksums.sha256 == nil && checksums.md5 == nil { return AnyByteSequence(chunks) }
        return AnyByteSequence(chunks.verified(checksums, source: location))
    }

    /// The files of an archive (or of a folder) accepted by the spec's include/exclude globs.
    public func entries() throws -> AnyEntrySequence {
        let filter = try EntryFilter(include: source.include, exclude: source.exclude)
        if isDirectory || source.format == .directory {
            return AnyEntrySequence(DirectoryEntries(root: location, filter: filter))
        }
        return AnyEntrySequence(try bytes().archiveEntries(source: displayName, filter: filter))
    }

    /// The bytes of a single-file source: the file itself, a gzip member's content, or the one
    /// entry of a zip/tar archive that the include globs select (e.g. the Jena CSV inside its .zip).
    public func fileContent() throws -> AnyByteSequence {
        let lower = location.lowercased()
        let format = source.format
        if format == .zip || format == .tar || format == .tar_gz || (format == .auto && (lower.hasSuffix(".zip") || lower.hasSuffix(".tar") || lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz"))) {
            let filter = try EntryFilter(include: source.include, exclude: source.exclude)
            return AnyByteSequence(try bytes().archiveEntries(source: displayName, filter: filter).map { $0.data })
        }
        if format == .gzip || (format == .auto && lower.hasSuffix(".gz")) {
            return AnyByteSequence(try bytes().gunzipped(source: displayName))
        }
        return try bytes()
    }
}
