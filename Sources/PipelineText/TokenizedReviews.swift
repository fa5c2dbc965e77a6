import PipelineCore

extension AsyncAclImdbSequence {
    /// Pass 1 of IMDB preparation, the stage after ``AsyncSequence/aclImdbReviews(splits:)``:
    /// tokenizes every review, counts the training split's words and spills each review's word
    /// ids to an unlinked temporary file in `spillDirectory` (created if missing).
    ///
    /// ```swift
    /// let tokenized = try await entries.aclImdbReviews().tokenized(TextStandardization(), spillDirectory: "data/imdb")
    /// tokenized.count(.train)   // 25_000
    /// let result = try tokenized.prepare(into: "data/imdb", options: ImdbPrepareOptions())   // pass 2
    /// ```
    ///
    /// Semantics: the reviews ``AsyncSequence/aclImdbReviews(splits:)`` yields (same paths, same
    /// skips, same errors), but read straight from the archive entries: no ``Review`` value is
    /// built, each entry's bytes go to the tokenizer. Reviews are gathered in batches of 512
    /// (fewer once they hold 4 MiB) and each batch is tokenized by two worker threads
    /// (``ByteTokenizer``, one word table each) while the next one is read. Words longer than
    /// `standardization.maxTokenBytes` are cut to it and counted (``TokenizedReviews/cutTokens``).
    /// Memory: two word tables, one batch and ~32 bytes per review; the spill file takes 4 bytes
    /// per word on disk and vanishes with the result. Errors: the base's, ``IOFailure`` for the
    /// spill file, ``InputError`` for a malformed review name.
    public func tokenized(_ standardization: TextStandardization = .init(), spillDirectory: String,
                          progress: ProgressReporter? = nil) async throws -> TokenizedReviews {
        try Directories.make(spillDirectory)
        let spill = try SpillFile(directory: spillDirectory)
        let counter = ParallelTokenCounter(standardization: standardization, spill: spill)
        for try await entry in base {
            guard let p = try AclImdbPath.parse(entry.path), splits.contains(p.split) else { continue }
            try counter.add(entry, p)
            progress?.advance(items: 1, bytes: entry.data.count)
        }
        try counter.flush()
        try spill.flush()
        return TokenizedReviews(standardization: standardization, spill: spill, counter: counter)
    }
}

/// The result of ``AsyncAclImdbSequence/tokenized(_:spillDirectory:progress:)``: every review's
/// word ids (on disk), its split, label and id, and the training split's word counts. Pass 2,
/// ``prepare(into:options:provenance:)``, ranks the vocabulary and writes the arrays.
public final class TokenizedReviews {
    public let standardization: TextStandardization
    let spill: SpillFile
    let counter: ParallelTokenCounter
    var prepared = false
    /// Class names in id order, recorded in `meta.json` (`nil`: aclImdb's `neg`, `pos`).
    public internal(set) var classNames: [String]?
    /// More `meta.json` keys (the labelled-text reader's format, label mode and counts).
    var extraMeta: [(String, JSONValue)] = []

    init(standardization: TextStandardization, spill: SpillFile, counter: ParallelTokenCounter) {
        self.standardization = standardization; self.spill = spill; self.counter = counter
    }

    /// Words cut to `standardization.maxTokenBytes`.
    public var cutTokens: Int { counter.cutTokens }

    /// Reviews of `split`.
    public func count(_ split: ReviewSplit) -> Int { counter.records.reduce(0) { $0 + ($1.split == split ? 1 : 0) } }
}
