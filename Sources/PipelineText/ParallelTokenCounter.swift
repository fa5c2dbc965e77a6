import Dispatch
import PipelineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Pass 1 of ``prepareImdb(source:into:options:provenance:progress:)`` on up to two cores:
/// reviews are gathered in batches of 512 (or fewer once they hold 4 MiB, so that memory stays
/// bounded whatever the reviews' sizes), and while the caller gathers the next batch each half
/// of the previous one is tokenized by its own worker
/// (own ``ByteTokenizer`` and ``TokenTable``), and the provisional ids are spilled in source
/// order as `localId << 1 | worker`. ``merge()`` then sums the workers' training counts into one
/// table. The result does not depend on how reviews were split between workers, because the
/// vocabulary ranking only looks at counts and bytes.
final class ParallelTokenCounter {
    final class Worker: @unchecked Sendable {   // each is touched by one thread at a time
        var tokenizer: ByteTokenizer
        let table = TokenTable(capacity: 1 << 16)
        var ids: [Int32] = []
        var lengths: [Int32] = []
        init(_ s: TextStandardization) { tokenizer = ByteTokenizer(s) }

        func run(_ batch: ArraySlice<(DataEntry, AclImdbPath.Parsed)>, tag: Int32) {
            // Work on locals: class properties would cost an exclusivity check per word.
            var ids: [Int32] = [], lengths: [Int32] = [], tokenizer = self.tokenizer
            swap(&ids, &self.ids); swap(&lengths, &self.lengths)
            defer { swap(&ids, &self.ids); swap(&lengths, &self.lengths); self.tokenizer = tokenizer }
            ids.removeAll(keepingCapacity: true)
            lengths.removeAll(keepingCapacity: true)
            let table = self.table
            for (entry, p) in batch {
                let isTrain = p.split == .train
                let before = ids.count
                var text = String(decoding: entry.data, as: UTF8.self)
                text.withUTF8 { bytes in
                    tokenizer.forEachToken(in: bytes) { word in
                        let id = table.insert(word)
                        if isTrain { table.counts[Int(id)] += 1 }
                        ids.append(id << 1 | tag)
                    }
                }
                lengths.append(Int32(ids.count - before))
            }
        }
    }

    let workers: [Worker]
    let spill: SpillFile
    private(set) var records: [ReviewRecord] = []
    private var pending: [(DataEntry, AclImdbPath.Parsed)] = []
    private var pendingBytes = 0
    static let batchSize = 512
    static let batchBytes = 4 << 20

    /// Words cut to the standardization's `maxTokenBytes`, over every review tokenized so far
    /// (complete after ``flush()``).
    var cutTokens: Int { workers.reduce(0) { $0 + $1.tokenizer.cutTokens } }

    init(standardization: TextStandardization, spill: SpillFile, workers: Int = ParallelTokenCounter.cores) {
        self.workers = (0..<max(1, min(2, workers))).map { _ in Worker(standardization) }
        self.spill = spill
    }

    /// Online processors (at most 2 are used).
    static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    func add(_ entry: DataEntry, _ parsed: AclImdbPath.Parsed) throws {
        pending.append((entry, parsed))
        pendingBytes += entry.data.count
        if pending.count == Self.batchSize || pendingBytes >= Self.batchBytes { try dispatchPending() }
    }

    /// Tokenizes the pending reviews and spills their ids, waiting for the workers; call once
    /// more after the last `add`.
    func flush() throws {
        try dispatchPending()
        try finishInFlight()
    }

    /// The batch the workers are tokenizing while the caller gathers the next one.
    private var inFlight: (batch: [(DataEntry, AclImdbPath.Parsed)], parallel: Bool)?
    /// One thread per worker (WorkerThread.swift: the shared pool may run "parallel" halves in turn).
    private var threads: [WorkerThread] = []             // started on the first batch

    deinit { for t in threads { t.stop() } }

    /// Waits for the batch in flight (if any), spills it, and starts the pending one on the
    /// worker threads without waiting: reading the archive overlaps tokenizing. The wait blocks
    /// on a condition (no spinning, unlike `concurrentPerform`'s join).
    private func dispatchPending() throws {
        try finishInFlight()
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        pendingBytes = 0
        pending.reserveCapacity(Self.batchSize)
        let parallel = workers.count == 2 && batch.count >= 64
        let half = parallel ? batch.count / 2 : batch.count
        let workers = self.workers
        if threads.isEmpty { threads = workers.indices.map { WorkerThread(name: "tokenizer-\($0)") } }
        threads[0].submit { workers[0].run(batch[..<half], tag: 0) }
        if parallel { threads[1].submit { workers[1].run(batch[half...], tag: 1) } }
        inFlight = (batch, parallel)
    }

    private func finishInFlight() throws {
        guard let (batch, parallel) = inFlight else { return }
        inFlight = nil
        for t in threads { t.wait() }
        var i = 0
        for w in workers.prefix(parallel ? 2 : 1) {
            var offset = spill.count
            for n in w.lengths {
                let p = batch[i].1
                records.append(ReviewRecord(split: p.split, label: Int32(p.label), id: p.id, offset: offset, length: n))
                offset += Int(n)
                i += 1
            }
            try spill.append(w.ids)
        }
    }

    /// Replaces each record's label by `finalOf[label]` (provisional label ids → class ids).
    func relabel(_ finalOf: [Int32]) {
        for i in records.indices { records[i].label = finalOf[Int(records[i].label)] }
    }

    /// One table with every word and its summed training count, and for each spilled value
    /// `local << 1 | worker` its id in that table.
    func merge() -> (table: TokenTable, globalOfSpilled: [Int32]) {
        if workers.count == 1 || workers[1].table.count == 0 {
            let t = workers[0].table
            var map = [Int32](repeating: 0, count: 2 * t.count)
            for l in 0..<t.count { map[2 * l] = Int32(l) }
            return (t, map)
        }
        let global = workers[0].table
        let other = workers[1].table
        var map = [Int32](repeating: 0, count: 2 * max(global.count, other.count))
        for l in 0..<global.count { map[2 * l] = Int32(l) }
        for l in 0..<other.count {
            let g = Int(global.insert(other.key(l)))
            global.counts[g] += other.counts[l]
            map[2 * l + 1] = Int32(g)
        }
        return (global, map)
    }
}
