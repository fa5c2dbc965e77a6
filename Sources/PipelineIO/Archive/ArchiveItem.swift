/// One archive member as the libarchive worker reports it: regular files carry their bytes;
/// directories and links are reported only to the extractor.
struct ArchiveItem: Sendable {
    /// `chunk`: a piece of a regular file streamed by a single-file read (pieces of one file
    /// come in order, each at most 1 MiB).
    enum Kind: Sendable { case file([UInt8]), chunk([UInt8]), directory, symlink(String), hardlink(String) }
    var path: String
    var kind: Kind
    /// Permission bits from the header (`0o644`…).
    var mode: UInt32
}

/// What an archive worker reads and how it reacts.
struct ArchiveReadConfig: Sendable {
    var source: String
    var filter: EntryFilter
    var limits: ArchiveLimits
    var onEmpty: EmptyArchivePolicy
    /// Also report directories, symlinks and hard links (the extractor needs them).
    var includeLinks: Bool
    var onCorrupt: CorruptEntryPolicy = .error
    var report: ArchiveReadReport? = nil
    /// Stream the one accepted regular file as `.chunk` items instead of holding it whole, and
    /// fail (kind `.severalEntries`) when a second one is accepted.
    var singleFile = false
}

extension ArchiveItem {
    /// Bytes held by the item (for the output queue's byte budget).
    var byteCount: Int {
        switch kind {
        case .file(let d), .chunk(let d): return d.count
        default: return 0
        }
    }
}

/// What ``AsyncSequence/archiveEntries(source:filter:limits:onEmpty:onCorruptEntry:report:)`` does when no entry is yielded.
public enum EmptyArchivePolicy: String, Sendable, Codable {
    /// Throw ``ArchiveError`` of kind `.empty` (no entries at all) or `.noMatchingEntries`
    /// (entries exist, the filter accepted none): the message gives the filter and the count read.
    case error
    /// End normally with no elements; the caller detects it by counting.
    case finish
}
