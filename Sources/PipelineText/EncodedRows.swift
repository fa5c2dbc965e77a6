import PipelineCore

extension EncodedDataset {
    /// The rows of `range` (all rows when nil) as the source of the training stages.
    ///
    /// ```swift
    /// let (fit, val) = Split.lastFraction(count: train.count, fraction: 0.2)   // Keras validation_split
    /// for try await b in train.rows(fit).shuffled(seed: 1, epoch: e).batched(size: 128) { … }   // what `pipeline run` trains on
    /// ```
    ///
    /// Fails (precondition) when `range` is outside `0..<count`.
    public func rows(_ range: Range<Int>? = nil) -> EncodedRows {
        let r = range ?? 0..<count
        precondition(r.lowerBound >= 0 && r.upperBound <= count, "range \(r) outside 0..<\(count)")
        return EncodedRows(dataset: self, range: r, shuffle: nil)
    }
}

/// Rows of an ``EncodedDataset`` in the order the trainer will see them: the first stage of
/// `pipeline run`'s IMDB input, before ``shuffled(seed:epoch:)`` and ``batched(size:dropRemainder:)``.
///
/// Why not `AsyncSequence.shuffled(bufferSize:seed:epoch:)` and `.batched(size:)`: Keras shuffles
/// every row of an in-memory array each epoch (a uniform permutation), which needs random access;
/// and a batch is gathered row by row straight into one `Float` buffer, with no per-row element
/// passing through an async iterator. These operators keep the names and meanings of the
/// general ones on that random-access source. Never fails; cost: see ``EncodedBatchSequence``.
public struct EncodedRows: Sendable {
    public let dataset: EncodedDataset
    public let range: Range<Int>
    let shuffle: (seed: UInt64, epoch: Int)?

    /// The same rows in a uniform permutation drawn from `SeededRandom(seed:stage: "batches", epoch:)`:
    /// a pure function of (seed, epoch, range); another epoch gives another order.
    public func shuffled(seed: UInt64, epoch: Int = 0) -> EncodedRows {
        EncodedRows(dataset: dataset, range: range, shuffle: (seed, epoch))
    }

    /// Trainer ``Batch``es of `size` rows in this order; the last holds the remainder unless
    /// `dropRemainder`. Fails (precondition) unless `size > 0`.
    public func batched(size: Int, dropRemainder: Bool = false) -> EncodedBatchSequence {
        precondition(size > 0, "batch size must be > 0")
        return EncodedBatchSequence(rows: self, batchSize: size, dropRemainder: dropRemainder)
    }

    /// The row indices in order (drawing the permutation when shuffled).
    public var order: [Int] {
        var rows = Array(range)
        if let shuffle {
            var rng = SeededRandom(seed: shuffle.seed, stage: "batches", epoch: shuffle.epoch)
            rows.shuffle(using: &rng)
        }
        return rows
    }
}
