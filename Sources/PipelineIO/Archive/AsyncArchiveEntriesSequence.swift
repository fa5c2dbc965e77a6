import PipelineCore

extension AsyncSequence where Self: Sendable, Element == [UInt8] {
    /// Reads an archive (tar, tar.gz/.bz2/.xz/.zst, zip, 7z, cpio…: format and compression are
    /// detected from the bytes) arriving as chunks, and yields its regular files as ``DataEntry``
    /// values without writing anything to disk.
    ///
    /// ```swift
    /// let filter = try EntryFilter(include: ["aclImdb/train/{pos,neg}/*.txt"])
    /// for try await entry in FileChunks(path: "aclImdb-train.tar.gz").archiveEntries(source: "aclImdb-train.tar.gz", filter: filter) {
    ///     print(entry.path, entry.size)      // aclImdb/train/neg/0_3.txt 1442
    /// }
    /// ```
    ///
    /// Semantics: entries come in archive order, paths normalized (`./a//b` → `a/b`). Only
    /// regular files accepted by `filter` are read; directories, symlinks, hard links and
    /// other entries are skipped. When nothing is yielded, `onEmpty` decides between an
    /// ``ArchiveError`` (`.empty` / `.noMatchingEntries`, the default) and a normal end.
    /// How: libarchive runs on a dedicated thread, pulling chunks through a 4-chunk queue fed
    /// by a task that iterates this sequence; entries come back in batches of up to 64 (or
    /// 1 MiB). Memory: bounded by the queues plus the entry being read; no temporary file.
    /// Cost: ≈ libarchive's speed (plus its gzip inflate when compressed); one task hop per batch.
    /// Failures (``ArchiveError`` naming `source` and the entry being read): truncated or
    /// corrupt input, an ``ArchiveLimits`` bound crossed, the input sequence failing (kind
    /// `.input`, with the original error as `underlying`). Dropping the iterator stops the thread.
    /// A damaged member header (or a member whose data is damaged while the archive goes on) is
    /// an error (kind `.corrupt`, naming the last good entry and the byte offset) unless
    /// `onCorruptEntry` is `.skip`: then it is skipped and recorded in `report`.
    public func archiveEntries(source: String = "archive", filter: EntryFilter = .all,
                               limits: ArchiveLimits = ArchiveLimits(),
                               onEmpty: EmptyArchivePolicy = .error,
                               onCorruptEntry: CorruptEntryPolicy = .error,
                               report: ArchiveReadReport? = nil) -> AsyncArchiveEntriesSequence<Self> {
        AsyncArchiveEntriesSequence(base: self, config: ArchiveReadConfig(
            source: source, filter: filter, limits: limits, onEmpty: onEmpty, includeLinks: false,
            onCorrupt: onCorruptEntry, report: report))
    }
}

/// The regular files of an archive. See ``AsyncSequence/archiveEntries(source:filter:limits:onEmpty:onCorruptEntry:report:)``.
public struct AsyncArchiveEntriesSequence<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable
where Base.Element == [UInt8] {
    public typealias Element = DataEntry
    let base: Base
    let config: ArchiveReadConfig

    public struct Iterator: AsyncIteratorProtocol {
        var cursor: ArchiveCursor<Base>

        public mutating func next() async throws -> DataEntry? {
            try await cursor.next { item in
                if case .file(let data) = item.kind { return DataEntry(path: item.path, data: data) }
                return nil
            }
        }
    }

    public func makeAsyncIterator() -> Iterator { Iterator(cursor: ArchiveCursor(base: base, config: config)) }
}

/// The consumer's side of an ``ArchiveSession``: batches of items popped from the worker, read
/// one at a time, the session started on the first `next` and dropped at the end or on failure
/// (which stops the worker thread). Shared by the archive operators; `pick` keeps the items an
/// operator yields.
struct ArchiveCursor<Base: AsyncSequence & Sendable> where Base.Element == [UInt8] {
    let base: Base
    let config: ArchiveReadConfig
    var session: ArchiveSession?
    var batch: [ArchiveItem] = []
    var index = 0
    var finished = false

    init(base: Base, config: ArchiveReadConfig) { self.base = base; self.config = config }

    mutating func next<T>(_ pick: (ArchiveItem) -> T?) async throws -> T? {
        while !finished {
            while index < batch.count {
                let item = batch[index]
                index += 1
                if let value = pick(item) { return value }
            }
            if session == nil { session = ArchiveSession(base: base, config: config) }
            do {
                guard let next = try await session!.output.pop() else { break }
                batch = next
                index = 0
            } catch {
                finished = true; session = nil
                throw error
            }
        }
        finished = true; session = nil; batch = []
        return nil
    }
}
