/// The processes of one job exchanging small payloads: what sharded preparation needs from MPI
/// (PipelineDistributed's `MPIJob`), or ``SingleProcess`` when everything runs in one process.
///
/// ```swift
/// let all = try collective.allGather(myCounts)   // all[r]: rank r's bytes, on every rank
/// try collective.barrier()
/// ```
///
/// Semantics: every call is *collective*: every rank calls the same methods in the same order
/// (a rank that skips one, or calls another, leaves the others waiting; a rank that fails ends
/// the job instead, see `MPIJob.abort`). Ranks are `0 ..< size`; `allGather` returns one
/// payload per rank, in rank order, identical on every rank. Failures throw (``IOFailure``
/// naming the call and the rank).
public protocol Collective: AnyObject, Sendable {
    /// This process's rank, `0 ..< size`.
    var rank: Int { get }
    /// The number of ranks.
    var size: Int { get }
    /// Every rank's `bytes`, in rank order (collective).
    func allGather(_ bytes: [UInt8]) throws -> [[UInt8]]
    /// Returns once every rank called it (collective).
    func barrier() throws
}

/// A job of one rank: ``Collective/allGather(_:)`` returns `[bytes]`, ``Collective/barrier()`` returns at once.
public final class SingleProcess: Collective {
    public let rank = 0
    public let size = 1
    public init() {}
    public func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] { [bytes] }
    public func barrier() throws {}
}
