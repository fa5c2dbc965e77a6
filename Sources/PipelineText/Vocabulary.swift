import PipelineCore

/// Ranked words plus the settings that produced them: everything needed to turn text into the
/// same ids at training and at serving time. Built by ``VocabularyBuilder`` (or
/// ``prepareImdb(source:into:options:provenance:progress:)``), saved and loaded as `vocab.json`.
///
/// ```swift
/// let builder = VocabularyBuilder()
/// for text in trainingTexts { builder.add(text) }
/// let vocab = builder.vocabulary(index: .imdb(numWords: 10_000))
/// vocab.encode(text: "A great film")        // [1, 7, 88, 22]: start char, then word ids
/// try vocab.save(to: "out/vocab.json")
/// ```
///
/// Semantics: `words[r]` is the word of 0-based rank `r`: counts descending, ties broken by the
/// words' UTF-8 bytes in **descending** lexicographic order — exactly
/// `np.lexsort((tokens, counts))[::-1]` of Keras' `IndexLookup.finalize_state`, and independent of
/// input order. Ids follow ``VocabularyIndex``. `hash` is the FNV-1a 64 ``contentHash`` of the
/// settings and words (counts excluded): equal hashes mean identical tokenization.
/// Cost: a hash-table lookup per word. Construction fails (``InputError``) on duplicate words.
public struct Vocabulary: Sendable {
    public let standardization: TextStandardization
    public let index: VocabularyIndex
    /// Ranked words, most frequent first.
    public let words: [String]
    /// Training-split occurrences of each word (informational; not part of the hash).
    public let counts: [Int]
    let table: TokenTable   // word → rank; immutable after init

    public init(words: [String], counts: [Int]? = nil, standardization: TextStandardization = .init(),
                index: VocabularyIndex) throws {
        precondition(counts == nil || counts!.count == words.count, "counts and words differ in length")
        let table = TokenTable(capacity: words.count)
        for (r, w) in words.enumerated() where table.insert(w) != Int32(r) {
            throw InputError("duplicate word in vocabulary at rank \(r + 1)", field: "words", value: w)
        }
        self.words = words
        self.counts = counts ?? [Int](repeating: 0, count: words.count)
        self.standardization = standardization
        self.index = index
        self.table = table
    }

    /// The id of a (standardised) word in this vocabulary's convention; nil when it is dropped
    /// (imdb: never seen in training).
    public func id(of word: String) -> Int32? {
        let r = Int(table.find(word))
        let id = index.id(forRank: r)
        return id < 0 ? nil : id
    }

    /// The ids of `text`: standardised, split, looked up; imdb's start char first.
    public func encode(text: String) -> [Int32] {
        var encoder = TextEncoder(self)
        return encoder.encode(text)
    }

    /// The 64-bit FNV-1a hash of the canonical content (see ``contentHash``), as 16 hex digits.
    public var hash: String { hex(contentHash) }

    /// FNV-1a 64 over `key=value\n` lines of the settings (standardize, html, lowercase, split,
    /// index and its parameters) followed by every word and a `\n`.
    public var contentHash: UInt64 {
        var h = ByteHash.fnvOffset
        for line in settingLines { ByteHash.fnv1a(line.utf8, &h); ByteHash.fnv1a(CollectionOfOne(0x0A), &h) }
        for w in words { ByteHash.fnv1a(w.utf8, &h); ByteHash.fnv1a(CollectionOfOne(0x0A), &h) }
        return h
    }

    var settingLines: [String] {
        var lines = ["standardize=\(standardization.standardize.rawValue)", "html=\(standardization.html.rawValue)",
                     "lowercase=\(standardization.lowercase.rawValue)", "split=whitespace", "index=\(index.name)"]
        // Listed only when not the default, so vocabularies written before the key keep their hash.
        if standardization.maxTokenBytes != TextStandardization.defaultMaxTokenBytes {
            lines.insert("max_token_bytes=\(standardization.maxTokenBytes)", at: 4)
        }
        switch index {
        case let .imdb(numWords, skipTop, startChar, oovChar, indexFrom):
            lines += ["num_words=\(numWords.map(String.init) ?? "null")", "skip_top=\(skipTop)",
                      "start_char=\(startChar.map(String.init) ?? "null")",
                      "oov_char=\(oovChar.map(String.init) ?? "null")", "index_from=\(indexFrom)"]
        case let .textVectorization(maxTokens):
            lines += ["max_tokens=\(maxTokens.map(String.init) ?? "null")"]
        }
        return lines
    }
}

func hex(_ v: UInt64) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
}

/// Encodes many texts with one vocabulary, reusing its scratch buffers (not `Sendable`: one per task).
///
/// ```swift
/// var encoder = TextEncoder(vocab)
/// let ids = encoder.encode("What a film")     // [Int32]
/// ```
/// Cost: a few ns per byte plus 20–100 ns per word; never fails.
public struct TextEncoder {
    public let vocabulary: Vocabulary
    var tokenizer: ByteTokenizer
    private let index: VocabularyIndex
    private let table: TokenTable

    public init(_ vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
        tokenizer = ByteTokenizer(vocabulary.standardization)
        index = vocabulary.index
        table = vocabulary.table
    }

    public mutating func encode(_ text: String) -> [Int32] {
        var out: [Int32] = []
        encode(text, into: &out)
        return out
    }

    /// Appends the ids of `text` to `out`.
    public mutating func encode(_ text: String, into out: inout [Int32]) {
        if let s = index.startChar { out.append(s) }
        var t = text
        let index = self.index, table = self.table
        t.withUTF8 { bytes in
            tokenizer.forEachToken(in: bytes) { word in
                let id = index.id(forRank: Int(table.find(word)))
                if id >= 0 { out.append(id) }
            }
        }
    }
}
