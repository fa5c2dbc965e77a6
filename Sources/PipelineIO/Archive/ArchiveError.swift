/// A failure while reading or extracting an archive, naming the archive (`source`) and the
/// entry being read.
///
/// ```
/// aclImdb_v1.tar.gz: entry 'aclImdb/train/pos/1_7.txt': truncated archive: Truncated tar archive
/// data.tar: no entries match include [aclImdb/train/{pos,neg}/*.txt] (12 entries read)
/// ```
/// `kind` lets callers react without parsing the message (for example treat `.empty` and
/// `.noMatchingEntries` as "nothing to do").
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The input ended inside an entry or a header.
        case truncated
        /// The bytes are not a readable archive, or are damaged.
        case corrupt
        /// An ``ArchiveLimits`` bound was crossed (a likely decompression bomb).
        case limitExceeded
        /// The archive holds no entries at all.
        case empty
        /// The archive has entries but the ``EntryFilter`` accepted none of them.
        case noMatchingEntries
        /// The extractor refused an entry: `..`, an absolute path, or a link leaving the target.
        case unsafeEntry
        /// The chunk sequence feeding the archive failed (see `underlying`).
        case input
        /// A single-file read found more than one accepted regular file (the message names them).
        case severalEntries
    }

    public var kind: Kind
    public var source: String
    public var entry: String?
    public var message: String
    public var underlying: (any Error)?

    public init(_ kind: Kind, source: String, entry: String? = nil, message: String,
                underlying: (any Error)? = nil) {
        self.kind = kind; self.source = source; self.entry = entry
        self.message = message; self.underlying = underlying
    }

    public var description: String {
        // The input's own error names its source (a download names its URL): say it once.
        if kind == .input, let underlying {
            let inner = "\(underlying)"
            if inner.hasPrefix(source) { return entry.map { inner + " (while reading entry '\($0)')" } ?? inner }
        }
        var s = "\(source): "
        if let entry { s += "entry '\(entry)': " }
        s += message
        if let underlying { s += ": \(underlying)" }
        return s
    }
}
