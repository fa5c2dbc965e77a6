/// One archive member as the libarchive worker reports it: regular files carry their bytes;
/// directories and links are reported only to the extractor.
struct ArchiveItem: Sendable {
    enum Kind: Sendable { case file([UInt8]), directory, symlink(String), hardlink(String) }
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
}

/// What ``AsyncSequence/archiveEntries(source:filter:limits:onEmpty:)`` does when no entry is yielded.
public enum EmptyArchivePolicy: String, Sendable, Codable {
    /// Throw ``ArchiveError`` of kind `.empty` (no entries at all) or `.noMatchingEntries`
    /// (entries exist, the filter accepted none): the message gives the filter and the count read.
    case error
    /// End normally with no elements; the caller detects it by counting.
    case finish
}
