/// Counts the words of training texts and ranks them into a ``Vocabulary`` (Keras' `adapt`).
///
/// ```swift
/// let builder = VocabularyBuilder(standardization: TextStandardization(html: .keep))
/// for review in trainReviews { builder.add(review.text) }
/// let vocab = builder.vocabulary(index: .textVectorization(maxTokens: 20_000))
/// ```
///
/// Semantics: every occurrence counts (term frequency, as `TextVectorization.adapt`); ranking
/// is counts descending, ties by UTF-8 bytes descending (see ``Vocabulary``), so the result does
/// not depend on the order texts are added. Cost: a few ns/byte + 20–100 ns/word; memory ≈ distinct
/// words × (length + 32 bytes). Not thread-safe.
public final class VocabularyBuilder {
    public let standardization: TextStandardization
    let table = TokenTable(capacity: 1 << 16)
    var tokenizer: ByteTokenizer

    public init(standardization: TextStandardization = .init()) {
        self.standardization = standardization
        tokenizer = ByteTokenizer(standardization)
    }

    /// The number of distinct words seen so far.
    public var distinctWords: Int { table.count }

    public func add(_ text: String) {
        var t = text
        t.withUTF8 { add(bytes: $0) }
    }

    public func add(bytes: UnsafeBufferPointer<UInt8>) {
        let table = self.table
        tokenizer.forEachToken(in: bytes) { word in
            let id = Int(table.insert(word))
            table.counts[id] += 1
        }
    }

    /// The ranked vocabulary (imdb: all words; text_vectorization: the `maxTokens - 2` first).
    public func vocabulary(index: VocabularyIndex) -> Vocabulary {
        let order = VocabularyBuilder.rank(table, limit: index.storedWords)
        // Keys of a TokenTable are distinct bytes, but `add(bytes:)` may have seen invalid UTF-8,
        // and two invalid keys can decode to the same String (U+FFFD): those are merged into the
        // first (higher-ranked) one, so building never fails on input data.
        var words: [String] = [], counts: [Int] = [], seen: [String: Int] = [:]
        for id in order {
            let w = table.keyString(Int(id)), c = Int(table.counts[Int(id)])
            if let at = seen[w] { counts[at] += c; continue }
            seen[w] = words.count
            words.append(w); counts.append(c)
        }
        do {
            return try Vocabulary(words: words, counts: counts, standardization: standardization, index: index)
        } catch {
            preconditionFailure("distinct words were refused: \(error)")   // unreachable: `words` are distinct
        }
    }

    /// Ids of `table` with a count > 0, by count descending then key bytes descending.
    static func rank(_ table: TokenTable, limit: Int?) -> [Int32] {
        // Sort keys carry the count and the first 8 key bytes (big-endian, zero-padded), so most
        // comparisons never touch the key arena; equal prefixes fall back to the full bytes.
        struct Entry { var count: Int64; var prefix: UInt64; var id: Int32 }
        var entries: [Entry] = []
        entries.reserveCapacity(table.count)
        for id in 0..<table.count where table.counts[id] > 0 {
            let key = table.key(id)
            var prefix: UInt64 = 0
            for i in 0..<8 { prefix = prefix << 8 | UInt64(i < key.count ? key[i] : 0) }
            entries.append(Entry(count: table.counts[id], prefix: prefix, id: Int32(id)))
        }
        entries.sort { a, b in
            if a.count != b.count { return a.count > b.count }
            if a.prefix != b.prefix { return a.prefix > b.prefix }
            return lexicographicallyGreater(table.key(Int(a.id)), table.key(Int(b.id)))
        }
        if let limit, entries.count > limit { entries.removeLast(entries.count - limit) }
        return entries.map(\.id)
    }

    static func lexicographicallyGreater(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = min(a.count, b.count)
        for i in 0..<n where a[i] != b[i] { return a[i] > b[i] }
        return a.count > b.count
    }
}
