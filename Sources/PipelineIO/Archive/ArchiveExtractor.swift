import PipelineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Extracts an archive arriving as byte chunks into a folder, refusing entries that would
/// write outside it.
///
/// ```swift
/// let extractor = ArchiveExtractor(target: "/data/imdb", source: "aclImdb_v1.tar.gz",
///                                  filter: try EntryFilter(exclude: ["**/unsup/**"]))
/// let summary = try await extractor.extract(try DataSource.chunks(from: url, options: options))
/// print(summary.files, summary.bytes)
/// ```
///
/// Semantics: regular files accepted by `filter` are written with ``AtomicFile`` (temp file +
/// rename, so a file is complete or absent) and get the archive's permission bits (plus
/// owner read/write); parent folders are created as needed; empty folders are created only
/// when the filter accepts everything. Symbolic links are recreated when their target,
/// resolved from the link's folder, stays inside `target` and does not pass through another
/// link; hard links when they point to a file extracted earlier in the same run (skipped when
/// the filter left their target out).
/// Refused (``ArchiveError`` of kind `.unsafeEntry`, naming the entry; extraction stops there,
/// files already written stay): absolute paths, any `..` component, links leaving `target`,
/// paths whose parent is a symbolic link. Existing files are replaced.
/// Reading is the same as ``AsyncSequence/archiveEntries(source:filter:limits:onEmpty:onCorruptEntry:report:)``
/// (same limits and errors). Cost: reading plus one `open`/`write`/`fsync`/`rename` per file.
public struct ArchiveExtractor: Sendable {
    public let target: String
    public let source: String
    public let filter: EntryFilter
    public let limits: ArchiveLimits

    public init(target: String, source: String = "archive", filter: EntryFilter = .all,
                limits: ArchiveLimits = ArchiveLimits()) {
        self.target = target; self.source = source; self.filter = filter; self.limits = limits
    }

    /// What an extraction wrote.
    public struct Summary: Sendable, Equatable {
        public var files = 0
        public var directories = 0
        public var links = 0
        /// Bytes of file content written.
        public var bytes = 0
    }

    /// Reads `chunks` as an archive and writes its entries below `target` (created if missing).
    public func extract<Chunks: AsyncSequence & Sendable>(_ chunks: Chunks) async throws -> Summary
    where Chunks.Element == [UInt8] {
        try makeDirectories(target)
        let config = ArchiveReadConfig(source: source, filter: filter, limits: limits, onEmpty: .error, includeLinks: true)
        let session = ArchiveSession(base: chunks, config: config)
        var state = ExtractionState()
        while let batch = try await session.output.pop() {
            for item in batch { try write(item, &state) }
        }
        return state.summary
    }

    struct ExtractionState {
        var summary = Summary()
        var links: Set<String> = []
        var files: Set<String> = []
    }

    private func write(_ item: ArchiveItem, _ state: inout ExtractionState) throws {
        let path = item.path
        func refuse(_ why: String) -> ArchiveError {
            ArchiveError(.unsafeEntry, source: source, entry: path, message: "refused: \(why) (extracting into '\(target)')")
        }
        if path.isEmpty { return }
        if let why = EntryPath.unsafeReason(path) { throw refuse(why) }
        let parents = path.split(separator: "/").dropLast()
        var prefix = ""
        for part in parents {
            prefix += prefix.isEmpty ? String(part) : "/" + part
            if state.links.contains(prefix) { throw refuse("its parent '\(prefix)' is a symbolic link") }
        }
        let full = target + "/" + path
        switch item.kind {
        case .directory:
            guard filter.acceptsAll else { return }
            try makeDirectories(full)
            state.summary.directories += 1
        case .file(let data):
            guard filter.accepts(path) else { return }
            try makeParents(of: path, refuse: refuse)
            let file = try AtomicFile(path: full)
            try file.write(data)
            try file.commit()
            chmod(full, mode_t((item.mode & 0o777) | 0o600))
            state.files.insert(path)
            state.summary.files += 1
            state.summary.bytes += data.count
        case .chunk:
            return   // only single-file reads stream chunks
        case .symlink(let destination):
            guard filter.accepts(path) else { return }
            guard let resolved = EntryPath.resolve(linkTarget: destination, from: path) else {
                throw refuse("symbolic link to '\(destination)' leaves the target folder")
            }
            var p = ""
            for part in resolved.split(separator: "/") {
                p += p.isEmpty ? String(part) : "/" + part
                if state.links.contains(p) { throw refuse("symbolic link to '\(destination)' passes through the link '\(p)'") }
            }
            try makeParents(of: path, refuse: refuse)
            unlink(full)
            guard symlink(destination, full) == 0 else {
                throw IOFailure("cannot create symbolic link: \(String(cString: strerror(errno)))", path: full)
            }
            state.links.insert(path)
            state.summary.links += 1
        case .hardlink(let destination):
            guard filter.accepts(path) else { return }
            if let why = EntryPath.unsafeReason(destination) { throw refuse("hard link to '\(destination)': \(why)") }
            guard state.files.contains(destination) else {
                if !filter.accepts(destination) { return }   // its target was filtered out
                throw refuse("hard link to '\(destination)', which is not a file extracted earlier")
            }
            try makeParents(of: path, refuse: refuse)
            unlink(full)
            if link(target + "/" + destination, full) != 0 {
                let file = try AtomicFile(path: full)   // different device or no hard links: copy
                try file.write(try FileDescriptorBox.readAll(path: target + "/" + destination))
                try file.commit()
            }
            state.files.insert(path)
            state.summary.links += 1
        }
    }

    /// Creates the parent folders of `path` (relative to `target`), refusing to go through
    /// anything that is not a real folder (a symbolic link placed there before extraction).
    private func makeParents(of path: String, refuse: (String) -> ArchiveError) throws {
        var current = target
        for part in path.split(separator: "/").dropLast() {
            current += "/" + part
            var st = stat()
            if lstat(current, &st) == 0 {
                if st.st_mode & S_IFMT == S_IFDIR { continue }
                if st.st_mode & S_IFMT == S_IFLNK { throw refuse("its parent '\(current)' is a symbolic link") }
                throw IOFailure("not a folder", path: current, hint: "remove the file or extract elsewhere")
            }
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw IOFailure("cannot create folder: \(String(cString: strerror(errno)))", path: current)
            }
        }
    }

    private func makeDirectories(_ path: String) throws { try Directories.make(path) }
}
