import PipelineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The regular files of an already extracted folder, as the same ``DataEntry`` stream an
/// archive gives: the drop-in replacement for ``AsyncSequence/archiveEntries(source:filter:limits:onEmpty:onCorruptEntry:report:)``
/// when the data was unpacked beforehand.
///
/// ```swift
/// let filter = try EntryFilter(include: ["aclImdb/train/{pos,neg}/*.txt"])
/// for try await entry in DirectoryEntries(root: "/data", filter: filter) {
///     print(entry.path)      // aclImdb/train/neg/0_3.txt (relative to root, '/'-separated)
/// }
/// ```
///
/// Semantics: the tree is listed on the first `next()`; paths are sorted byte-wise (so the
/// order is the same on every machine, unlike `readdir`) and filtered; then one file is read
/// per `next()`. Symbolic links are not followed (neither to files nor to folders), and
/// hidden files are included. An empty result follows `onEmpty` like archives do.
/// Cost: one `lstat` per tree node, one `open`/`read` per yielded file; listing holds all paths.
/// Fails with ``IOFailure`` naming the path (missing root, unreadable file or folder).
public struct DirectoryEntries: AsyncSequence, Sendable {
    public typealias Element = DataEntry
    public let root: String
    public let filter: EntryFilter
    public let onEmpty: EmptyArchivePolicy

    public init(root: String, filter: EntryFilter = .all, onEmpty: EmptyArchivePolicy = .error) {
        self.root = root; self.filter = filter; self.onEmpty = onEmpty
    }

    public struct Iterator: AsyncIteratorProtocol {
        let owner: DirectoryEntries
        var paths: [String]?
        var index = 0

        public mutating func next() async throws -> DataEntry? {
            if paths == nil {
                paths = []
                var all: [String] = []
                try DirectoryEntries.walk(root: owner.root, relative: "", into: &all)
                let kept = all.filter(owner.filter.accepts).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                if kept.isEmpty && owner.onEmpty == .error {
                    throw ArchiveError(all.isEmpty ? .empty : .noMatchingEntries, source: owner.root,
                                       message: all.isEmpty ? "the folder has no files"
                                           : "none of the \(all.count) files matches \(owner.filter)")
                }
                paths = kept
            }
            guard index < paths!.count else { return nil }
            let path = paths![index]
            index += 1
            return DataEntry(path: path, data: try FileDescriptorBox.readAll(path: owner.root + "/" + path))
        }
    }

    public func makeAsyncIterator() -> Iterator { Iterator(owner: self) }

    /// Appends the relative paths of the regular files below `root/relative`.
    static func walk(root: String, relative: String, into files: inout [String]) throws {
        let dirPath = relative.isEmpty ? root : root + "/" + relative
        guard let dir = opendir(dirPath) else {
            throw IOFailure("cannot open folder: \(String(cString: strerror(errno)))", path: dirPath,
                            hint: "check the path; extract the archive first or read it directly")
        }
        var names: [String] = []
        while let ent = readdir(dir) {
            let name = withUnsafeBytes(of: ent.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(dir)
        for name in names {
            let rel = relative.isEmpty ? name : relative + "/" + name
            var st = stat()
            guard lstat(root + "/" + rel, &st) == 0 else { continue }   // vanished meanwhile
            switch st.st_mode & S_IFMT {
            case S_IFREG: files.append(rel)
            case S_IFDIR: try walk(root: root, relative: rel, into: &files)
            default: break
            }
        }
    }
}
