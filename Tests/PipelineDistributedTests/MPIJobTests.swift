import Testing
import PipelineCore
@testable import PipelineDistributed

/// MPIJob.swift and MPIJob+Collective.swift without a running job: when the process counts as
/// launched by MPI, and the exchange size limit. (The collective calls themselves run under
/// `mpirun` in PipelineCLITests' Distributed* suites.)
@Suite struct MPIJobTests {
    @Test func launchedOnlyWhenTheLaunchersVariablesAreSet() {
        #expect(!MPIJob.isLaunched(environment: [:]))
        #expect(!MPIJob.isLaunched(environment: ["SLURM_PROCID": "0", "PATH": "/usr/bin"]))   // srun without --mpi=pmix
        #expect(MPIJob.isLaunched(environment: ["OMPI_COMM_WORLD_SIZE": "2", "OMPI_COMM_WORLD_RANK": "1"]))
        #expect(MPIJob.isLaunched(environment: ["PMIX_RANK": "0"]))   // srun --mpi=pmix
    }

    /// Outside a launcher, joining does nothing (MPI is never initialised in a plain run).
    @Test func joinIfLaunchedIsNilOutsideAJob() throws {
        guard !MPIJob.isLaunched() else { return }   // this test binary itself under mpirun
        #expect(try MPIJob.joinIfLaunched() == nil)
    }

    @Test func anExchangeAboveTwoGiBIsAnErrorNamingTheSize() throws {
        #expect(try MPIJob.checkGatherSizes([3, 0, 5]) == 8)
        let one = #expect(throws: IOFailure.self) { _ = try MPIJob.checkGatherSizes([1, UInt64(Int32.max) + 1]) }
        #expect("\(one!)".contains("rank 1's payload of 2147483648 bytes exceeds MPI's 2 GiB limit"))
        let sum = #expect(throws: IOFailure.self) { _ = try MPIJob.checkGatherSizes([UInt64(Int32.max / 2) + 1, UInt64(Int32.max / 2) + 1]) }
        #expect("\(sum!)".contains("add up to 2147483648 bytes") && "\(sum!)".contains("fewer ranks"))
    }
}
