import Testing
import PipelineCore
@_spi(Benchmarks) @testable import PipelineTraining

@Suite struct KernelsBenchmarkTests {
    /// The measurement runs and reports the stack it built (no timing assertions).
    @Test func measuresTinyShapes() throws {
        let r = try RecurrentBenchmark.measure(.gru(units: 8), batch: 4, timesteps: 3, features: 5, repetitions: 1)
        #expect(r.forwardMilliseconds >= 0 && r.backwardMilliseconds >= 0 && r.cpuMilliseconds >= 0)
        #expect(r.parameterCount == 3 * (5 * 8 + 8 * 8) + 2 * 24)
        let stacked = try RecurrentBenchmark.measure(.stackedGRU, batch: 2, timesteps: 3, features: 4, repetitions: 1)
        #expect(stacked.parameterCount == (3 * (4 * 32 + 32 * 32) + 2 * 96) + (3 * (32 * 64 + 64 * 64) + 2 * 192))
    }
}
