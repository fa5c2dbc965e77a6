import CMPI
import PipelineCore

/// ``Collective`` over MPI: what `mpirun -np N pipeline prepare SPEC` exchanges (word counts,
/// row counts and digests of sharded preparation). ``barrier()`` is `MPI_Barrier` (MPIJob.swift).
extension MPIJob: Collective {
    /// Every rank's `bytes` in rank order: one `MPI_Allgather` of the byte counts, then one
    /// `MPI_Allgatherv` of the bytes. Collective: every rank calls it in the same order.
    /// Limits: MPI counts and displacements are `Int32`, so one rank's payload, and all of them
    /// together, must stay below 2 GiB; beyond that it throws an ``IOFailure`` naming the size
    /// (checked on every rank before the bytes move, so all ranks fail together).
    /// Memory: the sum of all payloads, twice (the receive buffer and the split arrays).
    public func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] {
        var counts = [UInt64](repeating: 0, count: size)
        var mine = UInt64(bytes.count)
        try gatherCheck(MPI_Allgather(&mine, 1, cmpi_uint64(), &counts, 1, cmpi_uint64(), cmpi_comm_world()),
                        "MPI_Allgather of the payload sizes")
        let total = try Self.checkGatherSizes(counts)
        var sizes = counts.map { Int32($0) }
        var offsets = [Int32](repeating: 0, count: size)
        for r in 1..<max(size, 1) { offsets[r] = offsets[r - 1] + sizes[r - 1] }
        var received = [UInt8](repeating: 0, count: max(Int(total), 1))
        var send = bytes.isEmpty ? [0] : bytes   // a valid pointer even for an empty payload
        try gatherCheck(MPI_Allgatherv(&send, Int32(bytes.count), cmpi_byte(), &received, &sizes, &offsets, cmpi_byte(), cmpi_comm_world()),
                        "MPI_Allgatherv of \(total) bytes")
        return (0..<size).map { r in Array(received[Int(offsets[r])..<Int(offsets[r]) + Int(sizes[r])]) }
    }

    /// The total of the ranks' payload sizes; ``IOFailure`` when one of them, or their sum, is
    /// above MPI's `Int32` counts (2 GiB).
    static func checkGatherSizes(_ counts: [UInt64]) throws -> UInt64 {
        let total = counts.reduce(0, +)
        let limit = UInt64(Int32.max)
        if let big = counts.firstIndex(where: { $0 > limit }) {
            throw IOFailure("rank \(big)'s payload of \(counts[big]) bytes exceeds MPI's 2 GiB limit for one exchange", path: "mpirun",
                            hint: "split the source into more shards (fewer words per rank)")
        }
        guard total <= limit else {
            throw IOFailure("the ranks' payloads add up to \(total) bytes, above MPI's 2 GiB limit for one exchange", path: "mpirun",
                            hint: "use fewer ranks or a smaller vocabulary (the exchanged word tables grow with both)")
        }
        return total
    }

    private func gatherCheck(_ rc: Int32, _ what: String) throws {
        guard rc == cmpi_success() else {
            throw IOFailure("\(what) failed with MPI error \(rc) on rank \(rank) of \(size)", path: "mpirun",
                            hint: "another rank may have failed; see its message")
        }
    }
}
