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
}
