import PipelineCore

/// The trainer's view of ``EncodedRows``: ``Batch``es with `x` `[B, maxlen]` ids as `Float`
/// (exact below 2^24) and `y` `[B, 1]` labels. Made by ``EncodedRows/batched(size:dropRemainder:)``.
///
/// ```swift
/// for try await b in data.rows(0..<20_000).shuffled(seed: 7, epoch: 2).batched(size: 128) {
///     b.xShape   // [128, 500]; the last batch holds the remainder unless dropRemainder
/// }
/// ```
///
/// Semantics: the rows in ``EncodedRows/order``; `sampleOffset` is the batch's first position in
/// the epoch's order. Resuming mid-epoch: ``Iterator/skip(batches:)``. Cost: one permutation per
/// iterator, one `Float` copy per batch. Never fails.
public struct EncodedBatchSequence: AsyncSequence, Sendable {
    public typealias Element = Batch
    let rows: EncodedRows
    let batchSize: Int
    let dropRemainder: Bool

    /// The row indices of one epoch, in order.
    public var order: [Int] { rows.order }

    /// Batches in one epoch.
    public var batchCount: Int {
        dropRemainder ? rows.range.count / batchSize : (rows.range.count + batchSize - 1) / batchSize
    }

    public struct Iterator: AsyncIteratorProtocol {
        let dataset: EncodedDataset
        let order: [Int]
        let batchSize: Int
        let dropRemainder: Bool
        /// Position in the epoch's order of the next batch's first sample.
        public private(set) var position = 0

        /// Skips the next `n` batches (to resume an epoch where a checkpoint left it).
        public mutating func skip(batches n: Int) { position = Swift.min(order.count, position + n * batchSize) }

        public mutating func next() async throws -> Batch? { nextBatch() }

        public mutating func nextBatch() -> Batch? {
            let b = Swift.min(batchSize, order.count - position)
            if b <= 0 || (dropRemainder && b < batchSize) { return nil }
            let maxlen = dataset.maxlen
            var x = [Float](repeating: 0, count: b * maxlen)
            var y = [Float](repeating: 0, count: b)
            dataset.x.withUnsafeBufferPointer { src in
                x.withUnsafeMutableBufferPointer { dst in
                    for k in 0..<b {
                        let row = order[position + k]
                        for j in 0..<maxlen { dst[k * maxlen + j] = Float(src[row * maxlen + j]) }
                        y[k] = Float(dataset.y[row])
                    }
                }
            }
            let batch = Batch(x: x, xShape: [b, maxlen], y: y, yShape: [b, 1], sampleOffset: position)
            position += b
            return batch
        }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(dataset: rows.dataset, order: order, batchSize: batchSize, dropRemainder: dropRemainder)
    }
}
