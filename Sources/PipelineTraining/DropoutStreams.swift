import PipelineCore

/// The per-sample random streams of one dropout mask draw: row `i` of the batch (the sample at
/// position `firstSample + i` of its epoch) draws its mask values from ``random(row:)``.
///
/// ```swift
/// var ctx = ForwardContext(training: true, maskSeed: 42, firstSample: 256)
/// let streams = ctx.nextMaskDraw()       // draw index 0 of this forward pass
/// var row3 = streams.random(row: 3)      // the stream of sample 259, whatever the batch
/// ```
///
/// Semantics: the stream of a row is `SeededRandom(seed:)` seeded with a SplitMix64 hash of
/// (`ForwardContext.maskSeed`, draw index, `firstSample + row`), so a sample's mask depends on the
/// run seed, the epoch, the step, the layer's place in the forward pass and the sample's position
/// in its epoch, and NOT on the batch's size or on how the batch was split (over ranks by
/// `DataParallel`, or over threads by `RecurrentBatchSplit`). Within one draw, distinct samples
/// get distinct seeds (every step of the hash is a bijection of the 64-bit key).
/// Cost: one hash and one generator seeding per row (a few ns and a 4-word array); the values
/// then cost one generator step each. It never fails.
public struct DropoutStreams: Sendable, Equatable {
    /// The mask seed mixed with the draw index.
    public let seed: UInt64
    /// The epoch position of row 0.
    public let firstSample: Int

    public init(maskSeed: UInt64, draw: Int, firstSample: Int) {
        var key = maskSeed ^ (UInt64(bitPattern: Int64(draw)) &* 0xD6E8_FEB8_6659_FD93)
        self.seed = Self.mix(&key)
        self.firstSample = firstSample
    }

    /// The stream of row `row` (sample `firstSample + row`).
    @inline(__always)
    public func random(row: Int) -> SeededRandom {
        var key = seed ^ (UInt64(bitPattern: Int64(firstSample + row)) &* 0x9E37_79B9_7F4A_7C15)
        return SeededRandom(seed: Self.mix(&key))
    }

    /// One SplitMix64 step (``SeededRandom/splitMix64(_:)``, the generator's own seeding).
    @inline(__always)
    static func mix(_ x: inout UInt64) -> UInt64 { SeededRandom.splitMix64(&x) }

    /// Fills `values[0..<count]` with inverted-dropout mask values (`0` with probability `rate`,
    /// else `1/(1−rate)`), one draw of `rng` each, in order.
    @inline(__always)
    static func fill(_ values: UnsafeMutablePointer<Float>, count: Int, rate: Float, rng: inout SeededRandom) {
        let scale = 1 / (1 - rate)
        for i in 0..<count { values[i] = rng.nextFloat() >= rate ? scale : 0 }
    }
}
