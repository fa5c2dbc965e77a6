import PipelineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Times the recurrent layers alone (forward + backward, training mode) at a given shape, for
/// quick release-mode measurements and the package benchmarks. Not public API:
/// `@_spi(Benchmarks) import PipelineTraining` to use it.
///
/// ```swift
/// let r = try RecurrentBenchmark.measure(.lstm(units: 32), batch: 128, timesteps: 500, features: 32)
/// print(r.totalMilliseconds)   // ms per training step of this layer
/// ```
///
/// Semantics: builds the stack with seed 1 on random inputs in [-1, 1), runs `warmup` untimed
/// steps, then `repetitions` timed steps and reports the median forward, backward and total
/// wall-clock milliseconds, and the median thread CPU milliseconds per step (what the step costs
/// when the machine is shared; wall time is what a user waits). Gradients accumulate (never applied). Cost: what it measures. Throws if a layer
/// rejects the shape.
@_spi(Benchmarks) public enum RecurrentBenchmark {
    /// The chapter's recurrent configurations.
    public enum Model: Sendable {
        case simpleRNN(units: Int)
        case lstm(units: Int)
        case gru(units: Int, dropout: Float = 0, recurrentDropout: Float = 0)
        case bidirectionalLSTM(units: Int)
        case bidirectionalGRU(units: Int)
        /// GRU(32, dropout 0.1, recurrent 0.5, sequences) → GRU(64, relu, dropout 0.1, recurrent 0.5).
        case stackedGRU

        public func makeLayers() -> [any Layer] {
            switch self {
            case .simpleRNN(let u): [SimpleRNN(units: u)]
            case .lstm(let u): [LSTM(units: u)]
            case .gru(let u, let d, let rd): [GRU(units: u, dropout: d, recurrentDropout: rd)]
            case .bidirectionalLSTM(let u): [Bidirectional(LSTM(units: u))]
            case .bidirectionalGRU(let u): [Bidirectional(GRU(units: u))]
            case .stackedGRU:
                [GRU(units: 32, dropout: 0.1, recurrentDropout: 0.5, returnSequences: true),
                 GRU(units: 64, activation: .relu, dropout: 0.1, recurrentDropout: 0.5, name: "gru_1")]
            }
        }
    }

    /// Median milliseconds per training step: wall-clock forward and backward, and thread CPU time.
    public struct Result: Sendable, CustomStringConvertible {
        public var forwardMilliseconds: Double
        public var backwardMilliseconds: Double
        public var totalMilliseconds: Double { forwardMilliseconds + backwardMilliseconds }
        public var cpuMilliseconds: Double
        public var parameterCount: Int
        public var description: String {
            "forward \(Self.f(forwardMilliseconds)) ms + backward \(Self.f(backwardMilliseconds)) ms = \(Self.f(totalMilliseconds)) ms (CPU \(Self.f(cpuMilliseconds)) ms)"
        }
        static func f(_ v: Double) -> String { String(Double(Int(v * 10)) / 10) }
    }

    public static func measure(_ model: Model, batch: Int, timesteps: Int, features: Int,
                               repetitions: Int = 5, warmup: Int = 1) throws -> Result {
        try measure(layers: model.makeLayers(), batch: batch, timesteps: timesteps, features: features,
                    repetitions: repetitions, warmup: warmup)
    }

    public static func measure(layers: [any Layer], batch: Int, timesteps: Int, features: Int,
                               repetitions: Int = 5, warmup: Int = 1) throws -> Result {
        var rng = SeededRandom(seed: 1)
        var shape = [timesteps, features]
        for l in layers { shape = try l.build(inputShape: shape, rng: &rng) }
        var x = Tensor(shape: [batch, timesteps, features])
        for i in 0..<x.count { x.data[i] = 2 * rng.nextFloat() - 1 }
        var ctx = ForwardContext(training: true, rng: SeededRandom(seed: 2))
        let clock = ContinuousClock()
        var fwd: [Double] = [], bwd: [Double] = [], cpu: [Double] = []
        for r in 0..<(warmup + repetitions) {
            let c0 = threadCPUMilliseconds()
            let t0 = clock.now
            var y = x
            for l in layers { y = l.forward(y, context: &ctx) }
            let t1 = clock.now
            var dy = Tensor(shape: y.shape, repeating: 1e-3)
            for l in layers.reversed() { dy = l.backward(dy) }
            let t2 = clock.now
            if r >= warmup { fwd.append(ms(t1 - t0)); bwd.append(ms(t2 - t1)); cpu.append(threadCPUMilliseconds() - c0) }
        }
        return Result(forwardMilliseconds: median(fwd), backwardMilliseconds: median(bwd), cpuMilliseconds: median(cpu),
                      parameterCount: layers.reduce(0) { $0 + $1.parameterCount })
    }

    /// CPU time of the calling thread (0 where the clock is unavailable).
    static func threadCPUMilliseconds() -> Double {
        var ts = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0 else { return 0 }
        return Double(ts.tv_sec) * 1e3 + Double(ts.tv_nsec) * 1e-6
    }

    static func ms(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15
    }

    static func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        return s.isEmpty ? 0 : s[s.count / 2]
    }
}
