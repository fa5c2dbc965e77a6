import PipelineCore

/// Classifies archive paths of the aclImdb dataset.
///
/// ```swift
/// try AclImdbPath.parse("aclImdb/train/pos/123_9.txt")   // (train, label 1, id 123, rating 9)
/// try AclImdbPath.parse("aclImdb/imdb.vocab")            // nil: not a review, skip it
/// try AclImdbPath.parse("aclImdb/train/pos/12.txt")      // throws InputError naming the path
/// ```
///
/// Semantics: a review is a `.txt` file whose parent folder is `pos` or `neg` and whose
/// grand-parent folder is `train` or `test` (any prefix before that, such as `aclImdb/`, is
/// allowed). Everything else (README, imdb.vocab, `urls_*.txt`, `*.feat`, `train/unsup/*`,
/// directories) is not a review and gives `nil`. A review whose file name is not
/// `ID_RATING.txt` with two non-negative decimal integers throws an ``InputError`` naming the path.
/// Cost: a scan of the path's bytes.
public enum AclImdbPath {
    public struct Parsed: Sendable, Equatable {
        public var split: ReviewSplit
        public var label: Int
        public var id: Int
        public var rating: Int
    }

    public static func parse(_ path: String) throws -> Parsed? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 3 else { return nil }
        let name = parts[parts.count - 1], folder = parts[parts.count - 2], splitName = parts[parts.count - 3]
        guard name.hasSuffix(".txt"), let split = ReviewSplit(rawValue: String(splitName)) else { return nil }
        let label: Int
        switch folder {
        case "pos": label = 1
        case "neg": label = 0
        default: return nil
        }
        let stem = name.dropLast(4)
        let fields = stem.split(separator: "_", omittingEmptySubsequences: false)
        guard fields.count == 2, let id = decimal(fields[0]), let rating = decimal(fields[1]) else {
            throw InputError("review file name is not ID_RATING.txt", at: SourceLocation(file: path),
                             field: "file name", value: String(name),
                             hint: "aclImdb reviews are named like 123_9.txt (id 123, rating 9)")
        }
        return Parsed(split: split, label: label, id: id, rating: rating)
    }

    /// A non-negative decimal integer of at most 18 digits, or nil.
    static func decimal(_ s: Substring) -> Int? {
        guard !s.isEmpty, s.utf8.count <= 18 else { return nil }
        var v = 0
        for b in s.utf8 {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            v = v * 10 + Int(b - 0x30)
        }
        return v
    }
}
