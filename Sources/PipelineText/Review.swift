import PipelineCore

/// One labelled movie review of the Large Movie Review Dataset (aclImdb).
///
/// ```swift
/// for try await review in entries.aclImdbReviews() {
///     print(review.split, review.id, review.rating, review.label)   // train 123 9 1
/// }
/// ```
///
/// Semantics: `label` is 1 for `pos` and 0 for `neg`; `rating` is the star rating from the
/// file name `ID_RATING.txt` (1–4 for neg, 7–10 for pos in the original data, but any
/// non-negative integer is accepted); `text` is the file content decoded as UTF-8, with every
/// invalid byte sequence replaced by U+FFFD (never fails; an empty file gives `""`).
public struct Review: Sendable, Equatable, Hashable {
    public var text: String
    public var label: Int
    public var split: ReviewSplit
    public var id: Int
    public var rating: Int
    /// The archive path the review came from (for error messages and provenance).
    public var path: String

    public init(text: String, label: Int, split: ReviewSplit, id: Int, rating: Int, path: String = "") {
        self.text = text; self.label = label; self.split = split
        self.id = id; self.rating = rating; self.path = path
    }
}

/// The two labelled splits of aclImdb. `train/unsup` is never read.
public enum ReviewSplit: String, Sendable, Codable, CaseIterable, Hashable {
    case train, test
}
