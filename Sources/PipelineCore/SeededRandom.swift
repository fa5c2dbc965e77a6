/// The one seeded random number generator used everywhere in the toolkit: xoshiro256**.
///
/// ```swift
/// var rng = SeededRandom(seed: 42)
/// let x = rng.nextFloat()                       // in [0, 1)
/// var shuffle = SeededRandom(seed: 42, stage: "shuffle", epoch: 3)  // an independent stream
/// ```
///
/// Semantics: the state is seeded through SplitMix64, so every 64-bit seed (0 included)
/// gives a well-mixed state. `init(seed:stage:epoch:)` derives an independent stream from
/// (run seed, stage name, epoch) with a stable FNV-1a hash of the name, so adding a stage
/// never changes another stage's stream. The state is `Codable`, so a run can resume mid-stream.
/// Cost: a few ns per draw. It never fails.
public struct SeededRandom: RandomNumberGenerator, Sendable, Codable, Equatable {
    public private(set) var state: [UInt64]

    public init(seed: UInt64) {
        var sm = seed
        var s: [UInt64] = []
        for _ in 0..<4 { s.append(SeededRandom.splitMix64(&sm)) }
        state = s
    }

    /// An independent stream for one stage and one epoch of a run.
    public init(seed: UInt64, stage: String, epoch: Int = 0) {
        var h = SeededRandom.stableHash(stage)
        h ^= seed &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt64(bitPattern: Int64(epoch)) &* 0xD1B5_4A32_D192_ED03
        var sm = h
        self.init(seed: SeededRandom.splitMix64(&sm))
    }

    /// FNV-1a 64-bit over the UTF-8 bytes: stable across runs, processes and platforms
    /// (unlike `Hasher`, which is randomly seeded per process).
    public static func stableHash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h ^= UInt64(b); h = h &* 0x100_0000_01b3 }
        return h
    }

    /// One SplitMix64 step: advances `x` and returns a bijective mix of it (every bit of the
    /// input affects every bit of the output). The seeding step of this generator, also used to
    /// derive independent streams from keys (PipelineTraining's `DropoutStreams`).
    @inline(__always)
    public static func splitMix64(_ x: inout UInt64) -> UInt64 {
        x = x &+ 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotl(state[3], 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform `Float` in [0, 1) with 24 random bits.
    @inline(__always)
    public mutating func nextFloat() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// A uniform `Double` in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func nextDouble() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

    /// A uniform integer in `0..<bound` (Lemire's unbiased method via the standard library).
    @inline(__always)
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be > 0")
        return Int(next(upperBound: UInt64(bound)))
    }

    /// A standard normal draw (Box–Muller).
    public mutating func nextGaussian() -> Double {
        var u1 = nextDouble()
        if u1 < 1e-300 { u1 = 1e-300 }
        let u2 = nextDouble()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
