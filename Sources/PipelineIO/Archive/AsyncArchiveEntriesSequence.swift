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
    public func archiveEntries(source: String = "archive", filter: EntryFilter = .all,
                               limits: ArchiveLimits = ArchiveLimits(),
                               onEmpty: EmptyArchivePolicy = .error) -> AsyncArchiveEntriesSequence<Self> {
        AsyncArchiveEntriesSequence(base: self, config: ArchiveReadConfig(
            source: source, filter: filter, limits: limits, onEmpty: onEmpty, includeLinks: false))
    }
}

/// The regular files of an archive. See ``AsyncSequence/archiveEntries(source:filter:limits:onEmpty:)``.
public struct AsyncArchiveEntriesSequence<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable
where Base.Element == [UInt8] {
    public typealias Element = DataEntry
    let base: Base
    let config: ArchiveReadConfig

    public struct Iterator: AsyncIteratorProtocol {
        let base: Base
        let config: ArchiveReadConfig
        var session: ArchiveSession?
        var batch: [ArchiveItem] = []
        var index = 0
        var finished = false

        public mutating func next() async throws -> DataEntry? {
            while !finished {
                while index < batch.count {
                    let item = batch[index]
                    index += 1
                    if case .file(let data) = item.kind { return DataEntry(path: item.path, data: data) }
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

    public func makeAsyncIterator() -> Iterator { Iterator(base: base, config: config) }
}
