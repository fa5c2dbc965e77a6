import PipelineCore

extension AsyncSequence where Element == DataEntry {
    /// Turns archive entries into ``Review``s, skipping everything that is not a labelled review.
    ///
    /// ```swift
    /// let reviews = archive.entries().aclImdbReviews(splits: [.train])
    /// for try await r in reviews { … }
    /// ```
    ///
    /// Semantics: order is the entries' order; entries rejected by ``AclImdbPath/parse(_:)``
    /// (README, imdb.vocab, urls_*.txt, train/unsup/…) and reviews of splits not in `splits`
    /// are skipped. Text is decoded as UTF-8 with U+FFFD replacement, so no content can fail;
    /// a malformed review file name throws the ``InputError`` of `AclImdbPath.parse`.
    /// Cost: one UTF-8 validation pass per review (several GB/s); one review in memory at a time.
    public func aclImdbReviews(splits: Set<ReviewSplit> = [.train, .test]) -> AsyncAclImdbSequence<Self> {
        AsyncAclImdbSequence(base: self, splits: splits)
    }
}

/// Reviews parsed from aclImdb archive entries. See ``AsyncSequence/aclImdbReviews(splits:)``.
public struct AsyncAclImdbSequence<Base: AsyncSequence>: AsyncSequence where Base.Element == DataEntry {
    public typealias Element = Review
    let base: Base
    let splits: Set<ReviewSplit>

    public struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let splits: Set<ReviewSplit>

        public mutating func next() async throws -> Review? {
            while let entry = try await base.next() {
                guard let p = try AclImdbPath.parse(entry.path), splits.contains(p.split) else { continue }
                return Review(text: String(decoding: entry.data, as: UTF8.self), label: p.label,
                              split: p.split, id: p.id, rating: p.rating, path: entry.path)
            }
            return nil
        }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), splits: splits)
    }
}

extension AsyncAclImdbSequence: Sendable where Base: Sendable {}
