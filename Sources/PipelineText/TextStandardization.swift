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
/// Cost: one pass over the UTF-8 bytes with two 256-entry tables (a few ns/byte). Never fails.
public struct TextStandardization: Sendable, Codable, Hashable {
    public var standardize: Standardize
    public var html: HTMLHandling
    public var lowercase: Lowercase

    public init(standardize: Standardize = .lowerAndStripPunctuation, html: HTMLHandling = .space,
                lowercase: Lowercase = .ascii) {
        self.standardize = standardize; self.html = html; self.lowercase = lowercase
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
    public var summary: String { "\(standardize.rawValue), html=\(html.rawValue), lowercase=\(lowercase.rawValue)" }
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
