import PipelineCore

/// How ranked words become integer ids: Keras' two conventions.
///
/// ```swift
/// .imdb(numWords: 10_000)            // keras.datasets.imdb.load_data(num_words=10000)
/// .textVectorization(maxTokens: 20_000)  // keras.layers.TextVectorization(max_tokens=20000)
/// ```
///
/// With `rank` the 1-based position of a word in the frequency order (most frequent = 1):
/// - `imdb`: exactly `imdb.load_data`: `0` pad, `startChar` (1) prepended to every sequence,
///   a word's id is `rank + indexFrom` (so with `indexFrom` 3 the most frequent word is **4** and
///   3 is never used, as in Keras' data), and an id is kept when `skipTop <= id < numWords`,
///   otherwise it becomes `oovChar` (2), or is dropped when `oovChar` is nil (the start char is
///   filtered the same way, as in Keras). Words never seen in
///   the training split are skipped ("simply skipped", as Keras documents). `numWords` nil keeps
///   every word (Keras would, oddly, also turn the single highest id into `oovChar`: we do not).
///   The vocabulary stores every training word, like `imdb.get_word_index()`.
/// - `textVectorization`: `0` pad, `1` is `[UNK]` (every unknown or cut word), words from 2
///   (`id = rank + 1`); `maxTokens` counts pad and `[UNK]`, so `maxTokens - 2` words are kept.
/// Invalid values (numWords < 1, maxTokens < 3, negative chars) are rejected by ``validate()``.
public enum VocabularyIndex: Sendable, Hashable {
    case imdb(numWords: Int? = nil, skipTop: Int = 0, startChar: Int32? = 1, oovChar: Int32? = 2, indexFrom: Int32 = 3)
    case textVectorization(maxTokens: Int? = nil)

    /// `imdb` or `text_vectorization`, the YAML/JSON spelling.
    public var name: String {
        switch self { case .imdb: "imdb"; case .textVectorization: "text_vectorization" }
    }

    /// How many ranked words the vocabulary must keep (nil: all).
    var storedWords: Int? {
        switch self {
        case .imdb: nil
        case .textVectorization(let maxTokens): maxTokens.map { max(0, $0 - 2) }
        }
    }

    /// The id written for the word of 0-based rank `r`; -1 means "drop". `r == -1` is a word
    /// that is not in the vocabulary.
    @inline(__always)
    func id(forRank r: Int) -> Int32 {
        switch self {
        case let .imdb(numWords, skipTop, _, oovChar, indexFrom):
            if r < 0 { return -1 }
            let id = r + 1 + Int(indexFrom)
            if id < skipTop || (numWords.map { id >= $0 } ?? false) { return oovChar ?? -1 }
            return Int32(id)
        case let .textVectorization(maxTokens):
            if r < 0 || (maxTokens.map { r + 2 >= $0 } ?? false) { return 1 }
            return Int32(r + 2)
        }
    }

    /// The id prepended to every sequence, if any. Keras applies the `skip_top`/`num_words`
    /// filter to it as well: a start char outside `skipTop..<numWords` becomes `oovChar`.
    var startChar: Int32? {
        guard case let .imdb(numWords, skipTop, startChar?, oovChar, _) = self else { return nil }
        if Int(startChar) < skipTop || (numWords.map { Int(startChar) >= $0 } ?? false) { return oovChar }
        return startChar
    }

    /// Throws an ``InputError`` naming the first invalid setting and the value received.
    public func validate() throws {
        switch self {
        case let .imdb(numWords, skipTop, startChar, oovChar, indexFrom):
            if let numWords, numWords < 1 { throw InputError("num_words must be >= 1", field: "num_words", value: "\(numWords)") }
            if skipTop < 0 { throw InputError("skip_top must be >= 0", field: "skip_top", value: "\(skipTop)") }
            if let s = startChar, s < 0 { throw InputError("start_char must be >= 0", field: "start_char", value: "\(s)") }
            if let o = oovChar, o < 0 { throw InputError("oov_char must be >= 0", field: "oov_char", value: "\(o)") }
            if indexFrom < 0 { throw InputError("index_from must be >= 0", field: "index_from", value: "\(indexFrom)") }
        case let .textVectorization(maxTokens):
            if let m = maxTokens, m < 3 {
                throw InputError("max_tokens must be >= 3 (it counts the pad and [UNK] tokens)", field: "max_tokens", value: "\(m)")
            }
        }
    }
}
