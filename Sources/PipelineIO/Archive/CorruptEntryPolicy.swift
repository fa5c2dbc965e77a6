import PipelineCore

/// What an archive reader does with a damaged member (a header whose checksum fails, an entry
/// whose data cannot be decoded while the archive itself goes on).
///
/// Spec key `source.on_corrupt_entry` (`error` | `skip`, default `error`).
public enum CorruptEntryPolicy: String, Sendable, Codable, CaseIterable {
    /// Throw ``ArchiveError`` of kind `.corrupt` naming the archive, the entry (or the last good
    /// entry before a damaged header) and the byte offset in the uncompressed archive.
    case error
    /// Skip the damaged member, resynchronise on the next valid header, and record it in the
    /// ``ArchiveReadReport`` (the caller reports the count and the places, and warns).
    case skip
}

/// What a reader skipped under ``CorruptEntryPolicy/skip``, filled by the reader's thread and read
/// by the caller after (or while) iterating. Thread-safe.
///
/// ```swift
/// let report = ArchiveReadReport()
/// for try await e in chunks.archiveEntries(onCorruptEntry: .skip, report: report) { … }
/// report.skipped   // ["offset 1536 (after 'a/1.txt'): Damaged tar archive"]
/// ```
public final class ArchiveReadReport: Sendable {
    private let state = Locked<[String]>([])

    public init() {}

    /// One line per skipped member: where it was and why.
    public var skipped: [String] { state.withLock { $0 } }

    func recordSkip(_ what: String) { state.withLock { $0.append(what) } }
}
