import PipelineCore

/// The settings of ``prepareImdb(source:into:options:provenance:progress:)``, with Keras' names.
///
/// ```swift
/// var o = ImdbPrepareOptions()                   // the book: num_words 10,000, maxlen 500
/// o.index = .textVectorization(maxTokens: 20_000)
/// o.padding = .post
/// ```
/// Defaults: `lower_and_strip_punctuation`, `<br />` → space, ASCII lowercasing, `imdb`
/// indices with `num_words` 10,000, `maxlen` 500, `padding`/`truncating` `pre`, pad value 0,
/// shuffled with seed 113 (Keras' imdb seed; the permutation is ours, not Keras').
/// `maxlen` nil pads to the longest encoded review of each split.
public struct ImdbPrepareOptions: Sendable, Hashable {
    public var standardization = TextStandardization()
    public var index = VocabularyIndex.imdb(numWords: 10_000)
    public var maxlen: Int? = 500
    public var padding = SequencePadding.pre
    public var truncating = Truncating.pre
    public var value: Int32 = 0
    /// Shuffle each split (after sorting it by label then id) with `SeededRandom(seed:stage:)`.
    /// Off, the order is label 0 (neg) then 1 (pos), by review id: then Keras'
    /// `validation_split` (the last 20%) would hold positive reviews only.
    public var shuffle = true
    public var seed: UInt64 = 113

    public init() {}

    /// Throws an ``InputError`` for a negative `maxlen` or an invalid index convention.
    public func validate() throws {
        if let m = maxlen, m < 0 { throw InputError("maxlen must be >= 0", field: "maxlen", value: "\(m)") }
        try index.validate()
    }
}

/// What the caller knows about the run, recorded verbatim in `meta.json`.
public struct ImdbProvenance: Sendable, Hashable {
    public var specHash: String
    public var sourceChecksum: String
    public var toolVersion: String
    public init(specHash: String = "", sourceChecksum: String = "", toolVersion: String = "") {
        self.specHash = specHash; self.sourceChecksum = sourceChecksum; self.toolVersion = toolVersion
    }
}

/// What ``prepareImdb(source:into:options:provenance:progress:)`` wrote.
public struct ImdbPreparationResult: Sendable {
    /// Per split: rows written, per-label counts, word occurrences read and rows truncated.
    public struct SplitSummary: Sendable, Equatable {
        public var split: ReviewSplit
        public var count: Int
        public var labelCounts: [Int: Int]
        public var tokens: Int
        public var truncated: Int
        public var maxlen: Int
    }
    public var splits: [SplitSummary]
    public var vocabulary: Vocabulary
    /// Distinct words in the training split.
    public var distinctWords: Int
    /// Paths of every file written (x/y per split, vocab.json, meta.json).
    public var files: [String]
    /// Words longer than the standardization's `maxTokenBytes`, cut to it (both splits).
    public var tokensCut = 0
    /// Damaged archive members skipped under `source.on_corrupt_entry: skip` (filled by the caller
    /// that read the archive; one line each: where and why).
    public var skippedEntries: [String] = []
    /// Class names in id order (`meta.json`'s `class_names`): aclImdb's `neg`, `pos` unless the
    /// labelled-text reader found others.
    public var classNames = ["neg", "pos"]
}
