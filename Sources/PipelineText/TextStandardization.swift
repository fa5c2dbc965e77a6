/// How raw text becomes words before the vocabulary lookup, with Keras' `TextVectorization` names.
///
/// ```swift
/// let s = TextStandardization()                        // Keras' defaults, <br /> → space
/// s.tokens("Great film!<br />I'd SEE it again.")       // ["great", "film", "id", "see", "it", "again"]
/// TextStandardization(standardize: .lower, html: .keep).tokens("A<br />b")   // ["a<br", "/>b"]
/// ```
///
/// Semantics, applied in this order (exactly `TextVectorization._preprocess` for `ascii`):
/// 1. `html: .space` replaces every exact, case-sensitive `<br />` with one space (`.keep` leaves it).
/// 2. `standardize` `lower…` lowercases: `lowercase: .ascii` maps only A–Z, as
///    `tf.strings.lower(x)` (Keras' default) does; `.utf8` also lowercases Latin-1 Supplement
///    (À–Þ), Latin Extended-A (Ā–ž), Greek (Α–Ω) and basic Cyrillic (Ѐ–Я) like
///    `tf.strings.lower(x, encoding="utf-8")`; other characters are unchanged.
/// 3. `standardize` `…strip_punctuation` deletes (does not replace by a space) the 32 ASCII
///    characters of Keras' regex ``[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']`` — `string.punctuation`.
///    Non-ASCII punctuation is kept.
/// 4. Splits on runs of the six ASCII whitespace bytes (space, \t, \n, \v, \f, \r) like
///    `tf.strings.split`; U+00A0 and other Unicode spaces are part of words. Empty words never occur.
/// 5. A word longer than `maxTokenBytes` UTF-8 bytes (spec key `text.max_token_bytes`, default
///    1,024) is cut to its first `maxTokenBytes` bytes (at a character boundary) and counted
///    (``ByteTokenizer/cutTokens``). Keras has no such bound; cutting rather than skipping keeps
///    the number of words, and so every sequence, identical to Keras', and a word that long is
///    out of any real vocabulary either way. It bounds the tokenizer's memory whatever the input.
/// Cost: one pass over the UTF-8 bytes with two 256-entry tables (a few ns/byte). Never fails.
public struct TextStandardization: Sendable, Codable, Hashable {
    public var standardize: Standardize
    public var html: HTMLHandling
    public var lowercase: Lowercase
    /// The longest word kept whole, in UTF-8 bytes (clamped to ``minimumTokenBytes``…``maximumTokenBytes``).
    public var maxTokenBytes: Int

    public static let defaultMaxTokenBytes = 1024
    /// The accepted range of `maxTokenBytes`: 4 bytes (one character always fits) to 1 MiB.
    public static let minimumTokenBytes = 4
    public static let maximumTokenBytes = 1 << 20

    public init(standardize: Standardize = .lowerAndStripPunctuation, html: HTMLHandling = .space,
                lowercase: Lowercase = .ascii, maxTokenBytes: Int = TextStandardization.defaultMaxTokenBytes) {
        self.standardize = standardize; self.html = html; self.lowercase = lowercase
        self.maxTokenBytes = min(max(TextStandardization.minimumTokenBytes, maxTokenBytes), TextStandardization.maximumTokenBytes)
    }

    enum CodingKeys: String, CodingKey { case standardize, html, lowercase, maxTokenBytes }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(standardize: try c.decode(Standardize.self, forKey: .standardize),
                  html: try c.decode(HTMLHandling.self, forKey: .html),
                  lowercase: try c.decode(Lowercase.self, forKey: .lowercase),
                  maxTokenBytes: try c.decodeIfPresent(Int.self, forKey: .maxTokenBytes) ?? TextStandardization.defaultMaxTokenBytes)
    }

    /// The words of `text` (for tests, debugging and small inputs; hot paths use ``ByteTokenizer``).
    public func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var tokenizer = ByteTokenizer(self)
        var t = text
        t.withUTF8 { bytes in
            tokenizer.forEachToken(in: bytes) { out.append(String(decoding: $0, as: UTF8.self)) }
        }
        return out
    }

    /// A one-line description such as `lower_and_strip_punctuation, html=space, lowercase=ascii`.
    public var summary: String {
        "\(standardize.rawValue), html=\(html.rawValue), lowercase=\(lowercase.rawValue)"
            + (maxTokenBytes == TextStandardization.defaultMaxTokenBytes ? "" : ", max_token_bytes=\(maxTokenBytes)")
    }
}

/// Keras' `TextVectorization(standardize=…)` choices.
public enum Standardize: String, Sendable, Codable, CaseIterable, Hashable {
    case lowerAndStripPunctuation = "lower_and_strip_punctuation"
    case lower
    case stripPunctuation = "strip_punctuation"
    case none

    var lowers: Bool { self == .lower || self == .lowerAndStripPunctuation }
    var strips: Bool { self == .stripPunctuation || self == .lowerAndStripPunctuation }
}

/// What to do with the `<br />` tags of IMDB reviews: `keep` them (Keras), or turn each into a `space`.
public enum HTMLHandling: String, Sendable, Codable, CaseIterable, Hashable {
    case keep, space
}

/// Which letters `lower` maps: `ascii` (A–Z, Keras' `tf.strings.lower` default) or `utf8` (also
/// the Latin, Greek and Cyrillic capitals listed in ``TextStandardization``).
public enum Lowercase: String, Sendable, Codable, CaseIterable, Hashable {
    case ascii, utf8
}
