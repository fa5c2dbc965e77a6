import Testing
import CBLAS
import PipelineTraining

/// The process-wide settings are applied by one explicit call (ProcessTuning.swift).
@Suite struct ProcessTuningTests {
    /// The call the CLI's `run` and the benchmarks make: glibc keeps freed step buffers (on
    /// glibc) and OpenBLAS runs one thread, so training speed does not depend on the library
    /// having changed malloc behind the host's back.
    @Test func applyForTrainingSetsTheHeapPolicyAndOneOpenBLASThread() {
        ProcessTuning.applyForTraining()
        #expect(openblas_get_num_threads() == 1)
        if StepMemory.heapFreeBytes != nil {       // glibc: the policy is in effect
            #expect(StepMemory.retainFreedMemory())
        }
    }
}
