import Testing
import PipelineCore
@testable import PipelineTraining

/// ``FlushDenormals``: inside the scope denormal results become zero (x86), outside the thread's
/// mode is back as it was; the training step and both halves of a ``ParallelPair`` run in it.
@Suite struct FlushDenormalsTests {
    /// A product whose exact result (1e-39) is a denormal Float, computed so the optimiser cannot fold it.
    @inline(never) static func tinyProduct(_ a: Float, _ b: Float) -> Float { a * b }

    @Test func denormalResultsAreFlushedOnlyInsideTheScope() {
        #expect(!FlushDenormals.isActive)
        #expect(Self.tinyProduct(1e-20, 1e-19) != 0)                    // a denormal, not zero
        let inside = FlushDenormals.scoped { (FlushDenormals.isActive, Self.tinyProduct(1e-20, 1e-19)) }
        #if arch(x86_64)
        #expect(inside.0 && inside.1 == 0)
        #endif
        #expect(!FlushDenormals.isActive)                                // restored
        #expect(Self.tinyProduct(1e-20, 1e-19) != 0)
    }

    @Test func bothHalvesOfAPairRunInTheCallersMode() {
        #if arch(x86_64)
        var seen = (false, false)
        FlushDenormals.scoped {
            ParallelPair.run({ seen.0 = FlushDenormals.isActive }, { seen.1 = FlushDenormals.isActive })
        }
        #expect(seen.0 && seen.1)
        var outside = (true, true)
        ParallelPair.run({ outside.0 = FlushDenormals.isActive }, { outside.1 = FlushDenormals.isActive })
        #expect(!outside.0 && !outside.1)
        #endif
    }

    /// A layer that passes its input through and notes the mode its forward pass ran in.
    final class Probe: Layer {
        var kind = "Probe"; var name = "probe"; var parameters: [Parameter] = []
        var config: [String: ConfigValue] = [:]
        var seen: Bool?
        func build(inputShape: [Int], rng: inout SeededRandom) throws -> [Int] { inputShape }
        func forward(_ x: Tensor, context: inout ForwardContext) -> Tensor { seen = FlushDenormals.isActive; return x }
        func backward(_ dy: Tensor) -> Tensor { dy }
    }

    @Test func aTrainingStepRunsInTheModeAndRestoresIt() throws {
        let probe = Probe()
        let model = Sequential([Dense(units: 1), probe])
        try model.build(inputShape: [1], seed: 1)
        model.compile(optimizer: SGD(), loss: .meanSquaredError)
        _ = try model.trainStep(Batch(x: [1], xShape: [1, 1], y: [0], yShape: [1, 1]))
        #if arch(x86_64)
        #expect(probe.seen == true)
        #endif
        #expect(!FlushDenormals.isActive)
    }
}
