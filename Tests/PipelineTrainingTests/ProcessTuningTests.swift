import Testing
import CBLAS
import PipelineCore
@testable import PipelineTraining

/// The process-wide settings are applied by one explicit call (ProcessTuning.swift).
@Suite struct ProcessTuningTests {
    /// The call the CLI's `run` and the benchmarks make: one OpenBLAS thread at once, and glibc
    /// keeps freed step buffers from the first training step on (on glibc).
    @Test func applyForTrainingPinsOpenBLASAndRetainsMemoryFromTheFirstStep() throws {
        ProcessTuning.applyForTraining()
        #expect(openblas_get_num_threads() == 1)
        let model = Sequential([Dense(units: 1)])
        try model.build(inputShape: [3], seed: 1)
        model.compile(optimizer: RMSprop(), loss: .meanSquaredError)
        _ = try model.trainStep(Batch(x: [1, 2, 3, 4, 5, 6], xShape: [2, 3], y: [0, 1], yShape: [2, 1]))
        if StepMemory.heapFreeBytes != nil {       // glibc: the policy is in effect after a step
            #expect(StepMemory.isApplied)
        }
    }

    /// One training thread runs the same halves one after the other: bit-identical weights
    /// (ParallelPair.twoThreads), on a batch large enough for the recurrent split (64+).
    @Test func oneTrainingThreadGivesTheSameWeightsAsTwo() throws {
        func train() throws -> [[Float]] {
            let model = Sequential([GRU(units: 8), Dense(units: 1)])
            try model.build(inputShape: [6, 3], seed: 7)
            model.compile(optimizer: RMSprop(), loss: .meanAbsoluteError)
            var rng = SeededRandom(seed: 3)
            for _ in 0..<3 {
                let x = (0..<(96 * 6 * 3)).map { _ in Float(rng.nextGaussian()) }
                let y = (0..<96).map { _ in Float(rng.nextGaussian()) }
                _ = try model.trainStep(Batch(x: x, xShape: [96, 6, 3], y: y, yShape: [96, 1]))
            }
            return model.parameters.map { $0.value.data }
        }
        let before = ProcessTuning.trainingThreads
        defer { ProcessTuning.trainingThreads = before }
        ProcessTuning.trainingThreads = 2
        let two = try train()
        ProcessTuning.trainingThreads = 1
        #expect(ProcessTuning.trainingThreads == 1)
        let one = try train()
        #expect(one == two && !one.isEmpty)
    }

    /// Threads per MPI rank: 2 while every rank of the node has two cores, else 1.
    @Test func threadsPerRankFollowTheCoresPerLocalRank() {
        #expect(ProcessTuning.threadsPerRank(localRanks: 1, cores: 2) == 2)
        #expect(ProcessTuning.threadsPerRank(localRanks: 2, cores: 2) == 1)
        #expect(ProcessTuning.threadsPerRank(localRanks: 2, cores: 4) == 2)
        #expect(ProcessTuning.threadsPerRank(localRanks: 3, cores: 4) == 1)
        #expect(ProcessTuning.threadsPerRank(localRanks: 1, cores: 1) == 1)
        #expect(ProcessTuning.threadsPerRank(localRanks: 0, cores: 8) == 2)
    }
}
