import Testing
import PipelineCore
@_spi(Benchmarks) @testable import PipelineTraining

/// BidirectionalParallel.swift: the two directions on two threads against the plain order.
@Suite struct BidirectionalParallelTests {
    /// Directions on two threads (batch ≥ parallelMinBatch) against one after the other on one
    /// thread: the same outputs, input gradient and weight gradients, dropout masks included.
    @Test(arguments: [Bidirectional.MergeMode.concat, .ave])
    func directionsInParallelMatchOneAfterTheOther(_ mode: Bidirectional.MergeMode) throws {
        func run(parallel: Bool) throws -> [Tensor] {
            let bi = Bidirectional(GRU(units: 8, dropout: 0.2, recurrentDropout: 0.3, returnSequences: true), mergeMode: mode)
            var rng = SeededRandom(seed: 5)
            _ = try bi.build(inputShape: [7, 5], rng: &rng)
            bi.forwardLayer.parallelMinBatch = parallel ? 64 : .max
            bi.backwardLayer.parallelMinBatch = parallel ? 64 : .max
            var ctx = ForwardContext(training: true, rng: SeededRandom(seed: 9))
            let x = GradientCheck.random([70, 7, 5], seed: 3)
            let y = bi.forward(x, context: &ctx)
            let dx = bi.backward(GradientCheck.random(y.shape, seed: 4))
            return [y, dx] + bi.parameters.map(\.grad)
        }
        let a = try run(parallel: true), b = try run(parallel: false)
        for (i, (u, v)) in zip(a, b).enumerated() {
            #expect(u.shape == v.shape)
            checkClose(u.data, v.data, tolerance: 1e-5, "\(mode) tensor \(i)")
        }
    }

    /// The decision depends on the batch only: at least both layers' `parallelMinBatch`, and 2.
    @Test func runsInParallelFromTheLayersThreshold() {
        let bi = Bidirectional(GRU(units: 4))
        #expect(!bi.directionsInParallel(Tensor(shape: [63, 3, 2])))
        #expect(bi.directionsInParallel(Tensor(shape: [64, 3, 2])))
        bi.backwardLayer.parallelMinBatch = .max
        #expect(!bi.directionsInParallel(Tensor(shape: [64, 3, 2])))
    }
}
