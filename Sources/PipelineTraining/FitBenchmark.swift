import PipelineCore

/// Measurement bodies for the training benchmarks (no timing assertions; callers report).
///
/// ```swift
/// let ms = try FitBenchmark.denseStepMilliseconds()       // Flatten+Dense(32,relu)+Dense(1), 128×240×14
/// ```
/// Semantics: builds the book's Jena densely connected baseline (seed 42), compiles it with
/// RMSprop and MSE, feeds one fixed random batch `steps` times through ``Sequential/trainStep(_:epoch:step:)``
/// after `warmup` steps, and returns the mean wall time per step in milliseconds.
/// Cost: `warmup + steps` training steps. Fails only if the model fails to build.
public enum FitBenchmark {
    public static func denseStepMilliseconds(batch: Int = 128, lookback: Int = 240, features: Int = 14,
                                             steps: Int = 200, warmup: Int = 20) throws -> Double {
        let model = Sequential([Flatten(), Dense(units: 32, activation: .relu), Dense(units: 1)])
        try model.build(inputShape: [lookback, features], seed: 42)
        model.compile(optimizer: RMSprop(), loss: .meanAbsoluteError, metrics: [])
        var rng = SeededRandom(seed: 7)
        let x = (0..<(batch * lookback * features)).map { _ in rng.nextFloat() * 2 - 1 }
        let y = (0..<batch).map { _ in rng.nextFloat() }
        let b = Batch(x: x, xShape: [batch, lookback, features], y: y, yShape: [batch, 1])
        for s in 0..<warmup { _ = try model.trainStep(b, step: s) }
        let clock = ContinuousClock()
        let start = clock.now
        for s in 0..<steps { _ = try model.trainStep(b, step: warmup + s) }
        let d = clock.now - start
        return (Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15) / Double(steps)
    }
}
