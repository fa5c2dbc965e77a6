import PipelineCore

extension AsyncSequence where Self: Sendable, Element == [UInt8] {
    /// The bytes of the one regular file of an archive that `filter` accepts (the CSV inside a
    /// zip), streamed in chunks of up to 1 MiB: the entry is never held whole.
    ///
    /// ```swift
    /// let csv = FileChunks(path: "jena_climate_2009_2016.csv.zip").archiveFileContent(source: "jena.zip")
    /// ```
    ///
    /// Semantics: as ``archiveEntries(source:filter:limits:onEmpty:onCorruptEntry:report:)``, but
    /// when a second accepted regular file appears the sequence fails with ``ArchiveError`` of
    /// kind `.severalEntries` naming the files (up to 10) and asking for `source.include`; no file
    /// at all fails with `.empty` / `.noMatchingEntries`. The error comes after the first
    /// file's bytes (archives are read in one pass), so consumers must not commit before the end.
    /// Limits: `maxTotalBytes` and the ratio, checked every 64 KiB (`maxEntryBytes` does not
    /// apply: nothing is buffered).
    public func archiveFileContent(source: String = "archive", filter: EntryFilter = .all,
                                   limits: ArchiveLimits = ArchiveLimits(),
                                   onCorruptEntry: CorruptEntryPolicy = .error,
                                   report: ArchiveReadReport? = nil) -> AsyncArchiveFileContentSequence<Self> {
        AsyncArchiveFileContentSequence(base: self, config: ArchiveReadConfig(
            source: source, filter: filter, limits: limits, onEmpty: .error, includeLinks: false,
            onCorrupt: onCorruptEntry, report: report, singleFile: true))
    }
}

/// The byte chunks of an archive's single accepted file. See
/// ``AsyncSequence/archiveFileContent(source:filter:limits:onCorruptEntry:report:)``.
public struct AsyncArchiveFileContentSequence<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable
where Base.Element == [UInt8] {
    public typealias Element = [UInt8]
    let base: Base
    let config: ArchiveReadConfig

    public struct Iterator: AsyncIteratorProtocol {
        var cursor: ArchiveCursor<Base>

        public mutating func next() async throws -> [UInt8]? {
            try await cursor.next { item in
                if case .chunk(let data) = item.kind { return data }
                return nil
            }
        }
    }

    public func makeAsyncIterator() -> Iterator { Iterator(cursor: ArchiveCursor(base: base, config: config)) }
}
