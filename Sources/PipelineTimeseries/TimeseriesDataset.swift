import PipelineCore

/// Sliding windows over a time series with the semantics of Keras'
/// `keras.utils.timeseries_dataset_from_array`, as views over one matrix.
///
/// ```swift
/// // 10 past rows of every feature predict row + 10 of column 1 (Keras' example 2):
/// let ds = try TimeseriesDataset(data: values, features: 14, targets: Array(temperature.dropFirst(10)),
///                                sequenceLength: 10, batchSize: 128)
/// for try await batch in ds.batches(epoch: 0) { … }           // x [B, 10, 14], y [B, 1]
/// ```
///
/// Semantics (as Keras 3): with `start = startIndex ?? 0`, `end = endIndex ?? N`, there are
/// `numSeqs = min(end - start - (sequenceLength - 1) * samplingRate, targets.count)` candidate
/// starts and the windows start at rows `start + p` for `p` in `stride(0, numSeqs, sequenceStride)`.
/// Window rows are `start + p + k * samplingRate`, `k < sequenceLength`; its target is
/// `targets[start + p]`: the target is aligned with the window's START. For forecasting `delay`
/// rows after the last input row, pass `targets = column[(sequenceLength - 1) * samplingRate + delay ...]`
/// (the book's 2nd-edition form: `data[:-delay]` with `targets = column[delay:]` and `delay = rate * (length + 24 - 1)`).
/// `startIndex`/`endIndex` of 0 count as "not given" in the checks, as in Keras (an `endIndex`
/// of 0 then gives no windows). Shuffle: a Fisher–Yates permutation of all windows from
/// `SeededRandom(seed:, stage: "timeseries_dataset", epoch:)`: deterministic and different
/// each epoch, but not TF's order (Keras permutes with NumPy, then shuffles again in a buffer
/// of `8 * batchSize`). The last batch may be short. Cost: the matrix is shared, not copied;
/// each batch copies its windows once (``WindowGather``). Failures: ``InputError`` with Keras'
/// messages, e.g. "sampling_rate must be higher than 0. Received: sampling_rate=0".
public struct TimeseriesDataset: Sendable {
    public let data: [Float]
    public let features: Int
    public let targets: [Float]?
    public let targetWidth: Int
    public let sequenceLength, sequenceStride, samplingRate, batchSize: Int
    public let shuffle: Bool
    public let seed: UInt64
    public let start: Int
    /// Window start rows relative to `start`, in chronological order.
    public let positions: [Int]

    public init(data: [Float], features: Int, targets: [Float]? = nil, targetWidth: Int = 1,
                sequenceLength: Int, sequenceStride: Int = 1, samplingRate: Int = 1, batchSize: Int = 128,
                shuffle: Bool = false, seed: UInt64 = 0, startIndex: Int? = nil, endIndex: Int? = nil) throws {
        precondition(features > 0 && data.count % features == 0, "data is not whole rows")
        let n = data.count / features
        func fail(_ m: String) -> InputError { InputError(m) }
        if let s = startIndex, s != 0 {
            if s < 0 { throw fail("`start_index` must be 0 or greater. Received: start_index=\(s)") }
            if s >= n { throw fail("`start_index` must be lower than the length of the data. Received: start_index=\(s), for data of length \(n)") }
        }
        if let e = endIndex, e != 0 {
            if let s = startIndex, s != 0, e <= s {
                throw fail("`end_index` must be higher than `start_index`. Received: start_index=\(s), and end_index=\(e)")
            }
            if e >= n { throw fail("`end_index` must be lower than the length of the data. Received: end_index=\(e), for data of length \(n)") }
            if e <= 0 { throw fail("`end_index` must be higher than 0. Received: end_index=\(e)") }
        }
        if samplingRate <= 0 { throw fail("`sampling_rate` must be higher than 0. Received: sampling_rate=\(samplingRate)") }
        if samplingRate >= n { throw fail("`sampling_rate` must be lower than the length of the data. Received: sampling_rate=\(samplingRate), for data of length \(n)") }
        if sequenceStride <= 0 { throw fail("`sequence_stride` must be higher than 0. Received: sequence_stride=\(sequenceStride)") }
        if sequenceStride >= n { throw fail("`sequence_stride` must be lower than the length of the data. Received: sequence_stride=\(sequenceStride), for data of length \(n)") }
        if sequenceLength <= 0 { throw fail("`sequence_length` must be higher than 0. Received: sequence_length=\(sequenceLength)") }
        if batchSize <= 0 { throw fail("`batch_size` must be higher than 0. Received: batch_size=\(batchSize)") }
        let start = startIndex ?? 0, end = endIndex ?? n
        var numSeqs = end - start - (sequenceLength - 1) * samplingRate
        let t = targets
        if let t {
            precondition(targetWidth > 0 && t.count % targetWidth == 0, "targets are not whole rows")
            numSeqs = min(numSeqs, t.count / targetWidth)
        }
        positions = numSeqs > 0 ? Array(stride(from: 0, to: numSeqs, by: sequenceStride)) : []
        if let t, let last = positions.last, (start + last + 1) * targetWidth > t.count {
            throw fail("`targets` has \(t.count / targetWidth) rows; the window starting at row \(start + last) needs targets[\(start + last)]")
        }
        self.data = data; self.features = features; self.targets = t; self.targetWidth = targetWidth
        self.sequenceLength = sequenceLength; self.sequenceStride = sequenceStride; self.samplingRate = samplingRate
        self.batchSize = batchSize; self.shuffle = shuffle; self.seed = seed; self.start = start
    }

    public var windowCount: Int { positions.count }
    public var batchCount: Int { (positions.count + batchSize - 1) / batchSize }

    /// Absolute start rows of the windows in the order of `epoch`.
    public func order(epoch: Int) -> [Int] {
        var p = positions.map { $0 + start }
        if shuffle {
            var rng = SeededRandom(seed: seed, stage: "timeseries_dataset", epoch: epoch)
            p.shuffle(using: &rng)
        }
        return p
    }

    /// Assembles the batch of the windows starting at absolute rows `starts`.
    public func batch(starts: [Int], sampleOffset: Int = 0) -> Batch {
        let x = WindowGather.gather(data, features: features, starts: starts, timesteps: sequenceLength, rate: samplingRate)
        var y: [Float] = []
        if let targets {
            y.reserveCapacity(starts.count * targetWidth)
            for s in starts { y.append(contentsOf: targets[(s * targetWidth)..<((s + 1) * targetWidth)]) }
        }
        return Batch(x: x, xShape: [starts.count, sequenceLength, features],
                     y: y, yShape: [starts.count, targets == nil ? 0 : targetWidth], sampleOffset: sampleOffset)
    }

    /// The batches of one epoch, assembled lazily (memory: one batch at a time).
    public func batches(epoch: Int) -> AsyncWindowBatches<Epoch> {
        AsyncWindowBatches(Epoch(dataset: self, order: order(epoch: epoch)))
    }

    /// The batching state of one epoch: the window order and the next position.
    public struct Epoch: WindowBatcher {
        let dataset: TimeseriesDataset
        public let order: [Int]
        public var next = 0
        public mutating func nextBatch() -> Batch? {
            guard next < order.count else { return nil }
            let end = min(next + dataset.batchSize, order.count)
            defer { next = end }
            return dataset.batch(starts: Array(order[next..<end]), sampleOffset: next)
        }
    }
}
