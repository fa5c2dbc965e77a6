/// Bounds that stop a malicious or broken archive (a "zip bomb") from exhausting memory or disk.
///
/// ```swift
/// let entries = chunks.archiveEntries(limits: ArchiveLimits(maxEntryBytes: 64 << 20))
/// ```
///
/// Semantics: `maxEntryBytes` bounds one entry's uncompressed size (checked against the size
/// the header declares before reading, and again while reading); `maxTotalBytes` bounds the
/// sum of the accepted entries' sizes; `maxCompressionRatio` bounds
/// uncompressed-bytes-read ÷ input-bytes-consumed once more than `ratioGraceBytes` have been
/// decompressed (small, very repetitive files are normal). Entries skipped by the filter still
/// count towards the ratio. Crossing a bound throws ``ArchiveError`` of kind `.limitExceeded`
/// naming the entry, the bound and the value reached.
/// Defaults: 2 GiB per entry, 16 GiB in total, ratio 500 (deflate's maximum is ≈ 1,030).
public struct ArchiveLimits: Sendable, Equatable {
    public var maxEntryBytes: Int
    public var maxTotalBytes: Int
    public var maxCompressionRatio: Double
    public var ratioGraceBytes: Int

    public init(maxEntryBytes: Int = 2 << 30, maxTotalBytes: Int = 16 << 30,
                maxCompressionRatio: Double = 500, ratioGraceBytes: Int = 16 << 20) {
        precondition(maxEntryBytes > 0 && maxTotalBytes > 0 && maxCompressionRatio > 0 && ratioGraceBytes >= 0,
                     "archive limits must be > 0")
        self.maxEntryBytes = maxEntryBytes; self.maxTotalBytes = maxTotalBytes
        self.maxCompressionRatio = maxCompressionRatio; self.ratioGraceBytes = ratioGraceBytes
    }
}
