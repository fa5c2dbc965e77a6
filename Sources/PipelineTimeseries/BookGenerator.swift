import PipelineCore

/// The data generator of the book (Chollet, *Deep Learning with Python*, 1st ed., listing 6.33),
/// with the same semantics, over one normalised matrix.
///
/// ```swift
/// var train = try BookGenerator(data: values, features: 14, lookback: 1440, delay: 144,
///                               minIndex: 0, maxIndex: 200_000, shuffle: true, step: 6,
///                               targetColumn: 1, seed: 42)
/// let batch = train.next()              // x [128, 240, 14], y [128, 1]
/// ```
///
/// Semantics, as the Python: `maxIndex == nil` means `N - delay - 1`. Shuffled: `rows` are
/// `batchSize` uniform draws in `minIndex + lookback ..< maxIndex` (NumPy's `randint`, here from
/// ``SeededRandom``, so not NumPy's numbers). Sequential: `i` starts at `minIndex + lookback`;
/// before each batch, `if i + batchSize >= maxIndex { i = minIndex + lookback }`; rows are
/// `i ..< min(i + batchSize, maxIndex)`, then `i` advances. Sample `j` holds rows
/// `rows[j] - lookback ..< rows[j]` every `step` (`lookback / step` timesteps); its target is
/// `data[rows[j] + delay][targetColumn]`. The generator never ends; the caller takes
/// `steps` batches (book: 500 per training epoch; ``stepsPerPass`` for validation).
/// Cost: one gather per batch. Failures: ``InputError`` for ranges that would make the Python
/// fail or loop (lookback not a multiple of step, empty range, a target past the end).
public struct BookGenerator: WindowBatcher, Sendable {
    public let data: [Float]
    public let features, lookback, delay, minIndex, maxIndex, step, batchSize, targetColumn: Int
    public let shuffle: Bool
    public let seed: UInt64
    /// The resumable state: next sequential row and the random stream.
    public var state: State

    /// The generator's position: `i`, the next sequential row, and the random stream (Codable,
    /// so a run can save it and resume mid-epoch).
    public struct State: Codable, Sendable, Equatable {
        public var i: Int
        public var rng: SeededRandom
    }

    public init(data: [Float], features: Int, lookback: Int, delay: Int, minIndex: Int, maxIndex: Int?,
                shuffle: Bool = false, batchSize: Int = 128, step: Int = 6, targetColumn: Int, seed: UInt64 = 0) throws {
        precondition(features > 0 && data.count % features == 0, "data is not whole rows")
        let n = data.count / features
        let maxIndex = maxIndex ?? n - delay - 1
        func fail(_ m: String) -> InputError { InputError(m) }
        if step <= 0 || lookback <= 0 || lookback % step != 0 {
            throw fail("lookback must be a positive multiple of step. Received: lookback=\(lookback), step=\(step)")
        }
        if batchSize <= 0 { throw fail("batch_size must be higher than 0. Received: batch_size=\(batchSize)") }
        if minIndex < 0 || minIndex + lookback >= maxIndex {
            throw fail("min_index + lookback must be lower than max_index. Received: min_index=\(minIndex), lookback=\(lookback), max_index=\(maxIndex)")
        }
        if delay < 0 || maxIndex - 1 + delay >= n {
            throw fail("max_index - 1 + delay must be a row of the data. Received: max_index=\(maxIndex), delay=\(delay), for data of length \(n)")
        }
        if targetColumn < 0 || targetColumn >= features {
            throw fail("target column must be in 0..<\(features). Received: \(targetColumn)")
        }
        self.data = data; self.features = features; self.lookback = lookback; self.delay = delay
        self.minIndex = minIndex; self.maxIndex = maxIndex; self.step = step; self.batchSize = batchSize
        self.targetColumn = targetColumn; self.shuffle = shuffle; self.seed = seed
        state = State(i: minIndex + lookback, rng: SeededRandom(seed: seed, stage: "book_generator"))
    }

    /// Timesteps per sample: `lookback / step`.
    public var timesteps: Int { lookback / step }

    /// Batches in one pass over the range, the book's way: `(maxIndex - minIndex - lookback) / batchSize`
    /// (its `val_steps` and `test_steps`).
    public var stepsPerPass: Int { (maxIndex - minIndex - lookback) / batchSize }

    /// The rows (`rows` in the Python) of the next batch; advances the state.
    public mutating func nextRows() -> [Int] {
        let low = minIndex + lookback
        if shuffle { return (0..<batchSize).map { _ in low + state.rng.nextInt(below: maxIndex - low) } }
        if state.i + batchSize >= maxIndex { state.i = low }
        let rows = Array(state.i..<min(state.i + batchSize, maxIndex))
        state.i += rows.count
        return rows
    }

    /// The next batch: `x [B, lookback / step, F]`, `y [B, 1]`.
    public mutating func next() -> Batch {
        let rows = nextRows()
        let x = WindowGather.gather(data, features: features, starts: rows.map { $0 - lookback },
                                    timesteps: timesteps, rate: step)
        let y = rows.map { data[($0 + delay) * features + targetColumn] }
        return Batch(x: x, xShape: [rows.count, timesteps, features], y: y, yShape: [rows.count, 1])
    }

    public mutating func nextBatch() -> Batch? { next() }

    /// `steps` batches of epoch `epoch` as an async sequence. Shuffled: a random stream of its
    /// own per epoch. Sequential: continues where `epoch * steps` batches from the start would
    /// have left `i`, as Keras' `fit_generator` pulling from one generator across epochs.
    public func batches(epoch: Int, steps: Int) -> AsyncWindowBatches<Epoch> {
        var g = self
        if shuffle {
            g.state.rng = SeededRandom(seed: seed, stage: "book_generator", epoch: epoch)
        } else {
            for _ in 0..<(epoch * steps) {
                if g.state.i + batchSize >= maxIndex { g.state.i = minIndex + lookback }
                g.state.i += min(batchSize, maxIndex - g.state.i)
            }
        }
        return AsyncWindowBatches(Epoch(generator: g, remaining: steps))
    }

    /// `remaining` batches of a generator.
    public struct Epoch: WindowBatcher {
        public var generator: BookGenerator
        public var remaining: Int
        public mutating func nextBatch() -> Batch? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            return generator.next()
        }
    }
}
