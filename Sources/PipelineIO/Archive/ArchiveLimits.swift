/// Bounds that stop a malicious or broken archive or gzip stream (a "decompression bomb") from
/// exhausting memory, disk or time.
///
/// ```swift
/// let entries = chunks.archiveEntries(limits: ArchiveLimits(maxEntryBytes: 64 << 20))
/// ```
///
/// Semantics, all checked WHILE decompressing (never after buffering the whole entry):
/// - `maxEntryBytes` bounds one entry read whole into memory (each file yielded by
///   ``AsyncSequence/archiveEntries(source:filter:limits:onEmpty:onCorruptEntry:report:)`` and
///   each file ``ArchiveExtractor`` writes): checked against the size the header declares before
///   reading, and again every 64 KiB while reading. A single file streamed by
///   ``AsyncSequence/archiveFileContent(source:filter:limits:onCorruptEntry:report:)`` is not held
///   in memory and is bounded by `maxTotalBytes` only.
/// - `maxTotalBytes` bounds the sum of the accepted entries' sizes (for a gzip stream: the
///   decompressed bytes).
/// - `maxCompressionRatio` bounds decompressed bytes ÷ compressed bytes consumed, checked every
///   64 KiB of output once more than `ratioGraceBytes` have been decompressed (small, very
///   repetitive files are normal). Input is handed to the decompressor in blocks of at most
///   64 KiB, so a bomb is stopped after at most `ratioGraceBytes` + 64 KiB × ratio of output.
///   Entries skipped by the filter still count towards the ratio.
///
/// Crossing a bound throws ``ArchiveError`` of kind `.limitExceeded` (an ``IOFailure`` for a
/// gzip stream) naming the entry, the bound, its spec key and the value reached.
/// Defaults (spec keys `source.max_entry_bytes`, `source.max_total_bytes`,
/// `source.max_compression_ratio`): 16 MiB per entry held in memory, 16 GiB in total, ratio 100
/// (real text and CSV data compress 3–20:1; deflate's maximum is ≈ 1,030:1), grace 16 MiB.
/// With them, any input of 10 MB or less stays far below 256 MB of memory.
public struct ArchiveLimits: Sendable, Equatable {
    public var maxEntryBytes: Int
    public var maxTotalBytes: Int
    public var maxCompressionRatio: Double
    public var ratioGraceBytes: Int

    public static let defaultMaxEntryBytes = 16 << 20
    public static let defaultMaxTotalBytes = 16 << 30
    public static let defaultMaxCompressionRatio: Double = 100

    public init(maxEntryBytes: Int = ArchiveLimits.defaultMaxEntryBytes, maxTotalBytes: Int = ArchiveLimits.defaultMaxTotalBytes,
                maxCompressionRatio: Double = ArchiveLimits.defaultMaxCompressionRatio, ratioGraceBytes: Int = 16 << 20) {
        precondition(maxEntryBytes > 0 && maxTotalBytes > 0 && maxCompressionRatio > 0 && ratioGraceBytes >= 0,
                     "archive limits must be > 0")
        self.maxEntryBytes = maxEntryBytes; self.maxTotalBytes = maxTotalBytes
        self.maxCompressionRatio = maxCompressionRatio; self.ratioGraceBytes = ratioGraceBytes
    }
}
