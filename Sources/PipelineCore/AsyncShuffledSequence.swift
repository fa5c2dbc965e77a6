extension AsyncSequence {
    /// Shuffles with a bounded buffer, like `tf.data.Dataset.shuffle(buffer_size, seed)`.
    ///
    /// ```swift
    /// for try await x in records.shuffled(bufferSize: 10_000, seed: 7, epoch: epoch) { … }
    /// ```
    ///
    /// Semantics: the buffer fills with the first `bufferSize` elements; each output is a
    /// uniformly chosen buffered element, replaced by the next input. When the base ends the
    /// remaining buffer is emitted in random order. A buffer at least as large as the input
    /// gives a uniform permutation. The order is a pure function of (input order, `seed`,
    /// `epoch`): the same seed and epoch give the same order, another epoch another order.
    /// Cost: memory of `bufferSize` elements; O(1) per element.
    public func shuffled(bufferSize: Int, seed: UInt64, epoch: Int = 0) -> AsyncShuffledSequence<Self> {
        precondition(bufferSize > 0, "shuffle buffer size must be > 0")
        return AsyncShuffledSequence(base: self, bufferSize: bufferSize,
                                     rng: SeededRandom(seed: seed, stage: "shuffle", epoch: epoch))
    }
}

/// A bounded-buffer shuffle of its base. See ``AsyncSequence/shuffled(bufferSize:seed:epoch:)``.
public struct AsyncShuffledSequence<Base: AsyncSequence>: AsyncSequence {
    public typealias Element = Base.Element
    let base: Base
    let bufferSize: Int
    let rng: SeededRandom

    public struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let bufferSize: Int
        var rng: SeededRandom
        var buffer: [Base.Element] = []
        var baseDone = false

        /// The number of elements held right now (never more than `bufferSize`).
        public var buffered: Int { buffer.count }

        public mutating func next() async throws -> Base.Element? {
            while !baseDone && buffer.count < bufferSize {
                if let x = try await base.next() { buffer.append(x) } else { baseDone = true }
            }
            if buffer.isEmpty { return nil }
            let i = rng.nextInt(below: buffer.count)
            if !baseDone, let x = try await base.next() {
                let out = buffer[i]
                buffer[i] = x
                return out
            }
            baseDone = true
            buffer.swapAt(i, buffer.count - 1)
            return buffer.removeLast()
        }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), bufferSize: bufferSize, rng: rng)
    }
}

extension AsyncShuffledSequence: Sendable where Base: Sendable {}
