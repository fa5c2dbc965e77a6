import CMPI
import Foundation
import PipelineCore
import PipelineTraining

/// This process as one rank of an MPI job (`mpirun -np N pipeline run SPEC`), or `nil` outside one.
///
/// ```swift
/// if let job = try MPIJob.joinIfLaunched() { model.dataParallel = job }   // MPI_Init only under mpirun
/// ```
///
/// Detection: Open MPI's launcher sets `OMPI_COMM_WORLD_SIZE` / `OMPI_COMM_WORLD_RANK` (and PMIx
/// `PMIX_RANK`, also under Slurm's `srun --mpi=pmix`); without them MPI is never initialised, so a
/// plain `pipeline run` needs no `mpirun` and pays nothing. `MPI_Init_thread` asks for
/// `MPI_THREAD_SERIALIZED` (Swift's async code may resume on another thread between calls, never
/// two at once). Collective calls return errors (`MPI_ERRORS_RETURN`) so they can be named.
/// Failure: ``abort(_:code:)`` prints the message on standard error and calls `MPI_Abort`, which
/// ends every rank of the job (no rank waits forever for one that failed).
public final class MPIJob: DataParallel, @unchecked Sendable {
    public let rank: Int
    public let size: Int

    /// The environment variables that mark a process launched by `mpirun` / `srun --mpi=pmix`.
    public static let launcherVariables = ["OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK", "PMIX_RANK"]

    /// True when the launcher's variables are set (then ``joinIfLaunched()`` initialises MPI).
    public static func isLaunched(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        launcherVariables.contains { environment[$0] != nil }
    }

    /// Initialises MPI and returns this rank when launched by an MPI launcher, else `nil` without
    /// touching MPI. Throws ``IOFailure`` when MPI cannot start or lacks serialized threading.
    public static func joinIfLaunched() throws -> MPIJob? {
        guard isLaunched() else { return nil }
        var provided: Int32 = 0
        guard MPI_Init_thread(nil, nil, cmpi_thread_serialized(), &provided) == cmpi_success() else {
            throw IOFailure("MPI_Init_thread failed", path: "mpirun", hint: "check the Open MPI installation (libopenmpi-dev, openmpi-bin)")
        }
        cmpi_errors_return()
        guard provided >= cmpi_thread_serialized() else {
            abort("this Open MPI provides thread level \(provided), below MPI_THREAD_SERIALIZED", code: 1)
        }
        var r: Int32 = 0, n: Int32 = 0
        MPI_Comm_rank(cmpi_comm_world(), &r); MPI_Comm_size(cmpi_comm_world(), &n)
        return MPIJob(rank: Int(r), size: Int(n), localSize: Int(cmpi_local_size()))
    }

    /// The number of ranks of this job on this rank's node (`MPI_Comm_split_type` shared
    /// memory), for choosing threads per rank.
    public let localSize: Int

    private init(rank: Int, size: Int, localSize: Int) { self.rank = rank; self.size = size; self.localSize = max(1, localSize) }

    /// What the sums cost on this rank so far: calls, bytes reduced, seconds inside
    /// `MPI_Allreduce` (waiting for slower ranks included).
    public struct Traffic: Sendable {
        public var calls = 0
        public var bytes = 0
        public var seconds = 0.0
    }
    public private(set) var traffic = Traffic()

    public func sum(_ values: UnsafeMutableBufferPointer<Float>) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        try check(MPI_Allreduce(cmpi_in_place(), values.baseAddress, Int32(values.count), cmpi_float(), cmpi_sum(), cmpi_comm_world()),
                  "MPI_Allreduce of \(values.count) floats")
        count(bytes: values.count * 4, since: start)
    }

    public func sum(_ values: UnsafeMutableBufferPointer<Double>) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        try check(MPI_Allreduce(cmpi_in_place(), values.baseAddress, Int32(values.count), cmpi_double(), cmpi_sum(), cmpi_comm_world()),
                  "MPI_Allreduce of \(values.count) doubles")
        count(bytes: values.count * 8, since: start)
    }

    private func count(bytes: Int, since start: UInt64) {
        traffic.calls += 1
        traffic.bytes += bytes
        traffic.seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    public func agree(_ value: UInt64) throws -> Bool {
        var low = value, high = value
        try check(MPI_Allreduce(cmpi_in_place(), &low, 1, cmpi_uint64(), cmpi_min(), cmpi_comm_world()), "MPI_Allreduce (min)")
        try check(MPI_Allreduce(cmpi_in_place(), &high, 1, cmpi_uint64(), cmpi_max(), cmpi_comm_world()), "MPI_Allreduce (max)")
        return low == high
    }

    /// Waits until every rank reaches this call.
    public func barrier() throws { try check(MPI_Barrier(cmpi_comm_world()), "MPI_Barrier") }

    /// Ends MPI after a successful run (every rank must call it).
    public func finish() { MPI_Finalize() }

    /// Prints `message` (prefixed with the rank on ranks other than 0) and ends the whole job.
    public static func abort(_ message: String, code: Int32) -> Never {
        var r: Int32 = 0
        MPI_Comm_rank(cmpi_comm_world(), &r)
        let line = (r == 0 ? "" : "rank \(r): ") + message + "\n"
        FileHandle.standardError.write(Data(line.utf8))
        MPI_Abort(cmpi_comm_world(), code)
        exit(code)   // not reached: MPI_Abort ends the process
    }

    /// Ends the whole job with `message` (see ``abort(_:code:)``).
    public func abort(_ message: String, code: Int32) -> Never { Self.abort(message, code: code) }

    /// Ends the whole job after the caller printed its message.
    public func abort(code: Int32) -> Never {
        MPI_Abort(cmpi_comm_world(), code)
        exit(code)
    }

    private func check(_ rc: Int32, _ what: String) throws {
        guard rc == cmpi_success() else {
            throw IOFailure("\(what) failed with MPI error \(rc) on rank \(rank) of \(size)", path: "mpirun",
                            hint: "another rank may have failed; see its message")
        }
    }
}
