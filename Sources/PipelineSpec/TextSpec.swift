import PipelineCore
import PipelineText
import Yams

/// `text:` the IMDB path's preprocessing, with Keras' names and defaults.
///
/// ```yaml
/// text:
///   num_words: 10000        # top words kept, Keras imdb.load_data(num_words=…)
///   maxlen: 500             # pad_sequences(maxlen=…); null = longest
///   padding: pre            # pre | post
///   truncating: pre         # pre | post
///   index: imdb             # imdb (0 pad, 1 start, 2 OOV, words from index_from) | text_vectorization (0 pad, 1 OOV, words from 2)
///   max_token_bytes: 1024   # longer words are cut to this many bytes, counted as tokens_cut (4 … 1048576)
/// ```
public struct TextSpec: Sendable, Equatable {
    // `standardize`, `html`, `padding` and `truncating` are the engine's own option types
    // (``Standardize``, ``HTMLHandling``, ``SequencePadding``, ``Truncating``), spelled as in Keras.
    public enum IndexConvention: String, Sendable, CaseIterable { case imdb, text_vectorization }

    public var standardize: Standardize
    public var html: HTMLHandling
    public var numWords: Int
    public var index: IndexConvention
    public var indexFrom: Int
    public var maxlen: Int?
    public var padding: SequencePadding
    public var truncating: Truncating
    public var value: Int
    public var maxTokenBytes: Int

    static let keys = ["standardize", "html", "num_words", "index", "index_from", "maxlen", "padding", "truncating", "value", "max_token_bytes"]

    init(_ m: SpecMap?) throws {
        standardize = try m?.choice("standardize", default: .lowerAndStripPunctuation) ?? .lowerAndStripPunctuation
        html = try m?.choice("html", default: .space, among: [.space, .keep]) ?? .space
        numWords = try m?.int("num_words", default: 10_000, min: 1) ?? 10_000
        index = try m?.choice("index", default: .imdb) ?? .imdb
        indexFrom = try m?.int("index_from", default: 3, min: 1) ?? 3
        if let m, m.has("maxlen") { maxlen = try m.int("maxlen", min: 1) } else { maxlen = m == nil ? 500 : (m!.node("maxlen") == nil ? 500 : nil) }
        padding = try m?.choice("padding", default: .pre) ?? .pre
        truncating = try m?.choice("truncating", default: .pre) ?? .pre
        value = try m?.int("value", default: 0) ?? 0
        maxTokenBytes = try m?.int("max_token_bytes", default: TextStandardization.defaultMaxTokenBytes,
                                   min: TextStandardization.minimumTokenBytes, max: TextStandardization.maximumTokenBytes)
            ?? TextStandardization.defaultMaxTokenBytes
    }

    var yaml: Node {
        Y.map([("standardize", Y.str(standardize.rawValue)), ("html", Y.str(html.rawValue)),
               ("num_words", Y.int(numWords)), ("index", Y.str(index.rawValue)), ("index_from", Y.int(indexFrom)),
               ("maxlen", Y.opt(maxlen, Y.int)), ("padding", Y.str(padding.rawValue)),
               ("truncating", Y.str(truncating.rawValue)), ("value", Y.int(value))]
              + (maxTokenBytes == TextStandardization.defaultMaxTokenBytes ? [] : [("max_token_bytes", Y.int(maxTokenBytes))]))
    }
}
