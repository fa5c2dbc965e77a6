import Foundation
import Logging
import PipelineCore
import PipelineSpec
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

    /// The reporter of a stage that reads this source: for a file or URL it shows the bytes
    /// read from the source (compressed, for an archive) against the file's size, so the
    /// percentage and ETA are those of the read; pass it as `progress:` to ``entries(report:progress:)``
    /// or ``fileContent(report:progress:)``. A folder shows what the stage counts.
    public func reporter(label: String) -> ProgressReporter {
        if isDirectory || source.format == .directory { return ProgressReporter(label: label, style: progress) }
        let size = isRemote ? nil : (try? FileManager.default.attributesOfItem(atPath: location)[.size] as? Int) ?? nil
        return ProgressReporter(label: label, totalBytes: size, style: progress, shows: .source)
    }

    /// The raw bytes of the source, verified against the spec's checksums; each chunk counted
    /// as `sourceBytes` into `progress`.
    public func bytes(progress reporter: ProgressReporter? = nil) throws -> AnyByteSequence {
        let plain = try bytes()
        guard let reporter else { return plain }
        return AnyByteSequence(plain.map { chunk in reporter.advance(sourceBytes: chunk.count); return chunk })
    }

    /// The raw bytes of the source, verified against the spec's checksums.
    public func bytes() throws -> AnyByteSequence {
        if isRemote {
            var o = SourceOptions(checksums: checksums, cacheDirectory: source.expandedCacheDir)
            o.retries = source.retries
            o.readTimeout = .seconds(source.timeoutSeconds)   // the stall timeout (≤ 1 day, checked by the spec)
            o.minBytesPerSecond = source.minBytesPerSecond
            o.progress = progress
            o.delivery = source.delivery
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

    /// The files of an archive (or of a folder) accepted by the spec's include/exclude globs,
    /// read within the spec's `source.max_*` limits. Damaged members fail the read unless
    /// `source.on_corrupt_entry: skip`; then they are recorded in `report` (the caller reports
    /// them) or, without a report, printed as warnings on standard error when the read ends.
    public func entries(report: ArchiveReadReport? = nil, progress: ProgressReporter? = nil) throws -> AnyEntrySequence {
        let filter = try EntryFilter(include: source.include, exclude: source.exclude)
        if isDirectory || source.format == .directory {
            return AnyEntrySequence(DirectoryEntries(root: location, filter: filter))
        }
        let own = report ?? ArchiveReadReport()
        let entries = try bytes(progress: progress).archiveEntries(source: displayName, filter: filter, limits: source.archiveLimits,
                                                 onCorruptEntry: source.onCorruptEntry, report: own)
        if report != nil { return AnyEntrySequence(entries) }
        return AnyEntrySequence(WarningAtEnd(base: entries, report: own, source: displayName))
    }

    /// The bytes of a single-file source: the file itself, a gzip member's content, or the one
    /// entry of a zip/tar archive that the include globs select (e.g. the Jena CSV inside its .zip),
    /// streamed (never held whole). An archive where several files match fails (naming them and
    /// asking for `source.include`) rather than joining them. Decompression follows the spec's
    /// `source.max_*` limits; damaged members as in ``entries(report:)``.
    public func fileContent(report: ArchiveReadReport? = nil, progress: ProgressReporter? = nil) throws -> AnyByteSequence {
        let lower = location.lowercased()
        let format = source.format
        if format == .zip || format == .tar || format == .tar_gz || (format == .auto && (lower.hasSuffix(".zip") || lower.hasSuffix(".tar") || lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz"))) {
            let filter = try EntryFilter(include: source.include, exclude: source.exclude)
            let own = report ?? ArchiveReadReport()
            let content = try bytes(progress: progress).archiveFileContent(source: displayName, filter: filter, limits: source.archiveLimits,
                                                         onCorruptEntry: source.onCorruptEntry, report: own)
            if report != nil { return AnyByteSequence(content) }
            return AnyByteSequence(WarningAtEnd(base: content, report: own, source: displayName))
        }
        if format == .gzip || (format == .auto && lower.hasSuffix(".gz")) {
            return AnyByteSequence(try bytes(progress: progress).gunzipped(source: displayName, limits: source.archiveLimits))
        }
        return try bytes(progress: progress)
    }
}

/// Passes `base` through and, when it ends normally, logs one `warning` per member that
/// `report` says was skipped, on the `Logger` labelled `pipeline.run` (the CLI's callers that do
/// not report skips themselves).
struct WarningAtEnd<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element: Sendable {
    typealias Element = Base.Element
    let base: Base
    let report: ArchiveReadReport
    let source: String

    struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let report: ArchiveReadReport
        let source: String
        var done = false

        mutating func next() async throws -> Base.Element? {
            guard !done else { return nil }
            if let element = try await base.next() { return element }
            done = true
            let logger = Logger(label: "pipeline.run")
            for line in SourceOpener.skipMessages(report.skipped, source: source) { logger.warning("\(line)") }
            return nil
        }
    }

    func makeAsyncIterator() -> Iterator { Iterator(base: base.makeAsyncIterator(), report: report, source: source) }
}

extension SourceOpener {
    /// `warning:` lines for damaged members skipped under `source.on_corrupt_entry: skip`.
    public static func skipWarnings(_ skipped: [String], source: String) -> [String] {
        skipMessages(skipped, source: source).map { "warning: " + $0 }
    }

    /// ``skipWarnings(_:source:)`` without the `warning: ` prefix (for a `Logger`, whose level says it).
    static func skipMessages(_ skipped: [String], source: String) -> [String] {
        guard !skipped.isEmpty else { return [] }
        return ["\(source): skipped \(skipped.count) damaged member\(skipped.count == 1 ? "" : "s") (source.on_corrupt_entry: skip); "
                + "their data is missing from the output"] + skipped.map { "  \($0)" }
    }
}
