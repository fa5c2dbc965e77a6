import PipelineCore

/// Classifies archive paths of the aclImdb dataset (internal: the public stage is ``AsyncSequence/aclImdbReviews(splits:)``).
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
enum AclImdbPath {
    struct Parsed: Sendable, Equatable {
        var split: ReviewSplit
        var label: Int
        var id: Int
        var rating: Int
    }

    static func parse(_ path: String) throws -> Parsed? {
        var bytes = path
        return try bytes.withUTF8 { try parse(utf8: $0, path: path) }
    }

    /// The same over the path's UTF-8 bytes: no substrings or arrays (25,000 calls per IMDB run).
    static func parse(utf8 b: UnsafeBufferPointer<UInt8>, path: String) throws -> Parsed? {
        // The last three non-empty components: name, folder, split.
        var parts: [Range<Int>] = []
        parts.reserveCapacity(3)
        var end = b.count
        var i = b.count - 1
        while i >= -1 && parts.count < 3 {
            if i == -1 || b[i] == 0x2F {
                if i + 1 < end { parts.append((i + 1)..<end) }
                end = i
            }
            i -= 1
        }
        guard parts.count == 3 else { return nil }
        let name = parts[0], folder = parts[1], splitName = parts[2]
        func equals(_ r: Range<Int>, _ s: StaticString) -> Bool {
            r.count == s.utf8CodeUnitCount && (0..<r.count).allSatisfy { b[r.lowerBound + $0] == s.utf8Start[$0] }
        }
        guard name.count >= 4, equals((name.upperBound - 4)..<name.upperBound, ".txt") else { return nil }
        let split: ReviewSplit
        if equals(splitName, "train") { split = .train } else if equals(splitName, "test") { split = .test } else { return nil }
        let label: Int
        if equals(folder, "pos") { label = 1 } else if equals(folder, "neg") { label = 0 } else { return nil }
        let stem = name.lowerBound..<(name.upperBound - 4)
        let underscores = stem.filter { b[$0] == 0x5F }
        guard underscores.count == 1, let id = decimal(b, stem.lowerBound..<underscores[0]),
              let rating = decimal(b, (underscores[0] + 1)..<stem.upperBound) else {
            throw InputError("review file name is not ID_RATING.txt", at: SourceLocation(file: path),
                             field: "file name", value: String(decoding: UnsafeBufferPointer(rebasing: b[name]), as: UTF8.self),
                             hint: "aclImdb reviews are named like 123_9.txt (id 123, rating 9)")
        }
        return Parsed(split: split, label: label, id: id, rating: rating)
    }

    /// A non-negative decimal integer of at most 18 digits in `b[r]`, or nil.
    static func decimal(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int? {
        guard !r.isEmpty, r.count <= 18 else { return nil }
        var v = 0
        for i in r {
            guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
            v = v * 10 + Int(b[i] - 0x30)
        }
        return v
    }
}
