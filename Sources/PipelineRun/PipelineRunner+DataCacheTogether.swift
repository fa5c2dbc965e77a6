import Foundation
import PipelineCore
import PipelineText

extension PipelineRunner {
    /// ``preparedData(runDir:resuming:prepare:)`` for the ranks of an MPI job (``collective``,
    /// set by `mpirun -np N pipeline run` for a sharded source): the ranks prepare the data
    /// TOGETHER into one entry of the prepared-data cache, each reading its own shards
    /// (PipelineRunner+Shards.swift), instead of every rank reading every shard.
    ///
    /// Steps (every one collective, in this order on every rank):
    /// 1. Each rank looks for the data as a single process would (a resumed run's entry, or the
    ///    entry of ``dataCacheKey()``); when every rank found it, each uses what it found.
    /// 2. Else rank 0 makes a temporary folder in the cache and sends its path to the others,
    ///    which must see it: the cache folder (`source.cache_dir`) must be on storage every rank
    ///    sees, else an ``IOFailure`` naming the folder ends the job.
    /// 3. All ranks prepare into it; rank 0 commits it under its key and sends the key; every
    ///    rank then links its run folder (rank 0) or scratch folder to that entry.
    /// Failure: an error on any rank ends the job (the CLI's `MPI_Abort`); rank 0's temporary
    /// folder is then left for `pipeline cache clear` (its process is gone).
    func preparedDataTogether<R>(_ collective: any Collective, runDir: String, resuming: Bool,
                                 prepare: (String) async throws -> R) async throws -> (folder: String, prepared: R?) {
        let cache = PreparedDataCache(cacheDir: spec.source.expandedCacheDir)
        var found: PreparedDataCache.Entry?
        if resuming, let key = Self.referencedKey(run: runDir) { found = cache.entry(key) }
        if found == nil, let key = dataCacheKey() { found = cache.entry(key) }
        let everyone = try collective.allGather([found == nil ? 0 : 1])
        if let entry = found, everyone.allSatisfy({ $0 == [1] }) {
            cache.touch(entry)
            try link(runDir: runDir, entry: entry)
            if collective.rank == 0 { log("data: prepared data found in the cache (\(entry.key.prefix(12))), nothing copied: \(entry.path)") }
            return (entry.path, nil)
        }

        let mine = collective.rank == 0 ? try cache.makeTemporary() : ""
        let tmp = String(decoding: try collective.allGather(Array(mine.utf8))[0], as: UTF8.self)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: tmp, isDirectory: &isDir), isDir.boolValue else {
            throw IOFailure("rank 0's folder in the prepared-data cache is not visible from rank \(collective.rank)", path: tmp,
                            hint: "put source.cache_dir (--cache-dir) on storage every node sees, or prepare once with `mpirun pipeline prepare`")
        }
        let r: R
        do {
            r = try await prepare(tmp)
        } catch {
            if collective.rank == 0 { PreparedDataCache.removeTree(tmp) }
            throw error
        }
        try collective.barrier()   // every rank's shard files are in place
        var committed = ""
        if collective.rank == 0 {
            let key = dataCacheKey() ?? PreparedDataCache.key(parts: ["unidentified source", UUID().uuidString])
            let info = entryInfo(source: "\(spec.source.shards.count) shards, prepared by \(collective.size) ranks")
            committed = try cache.commit(tmp, key: key, info: info).key
        }
        let key = String(decoding: try collective.allGather(Array(committed.utf8))[0], as: UTF8.self)
        guard let entry = cache.entry(key) else {
            throw IOFailure("the prepared data rank 0 committed (cache entry \(key.prefix(12))) is not visible from rank \(collective.rank)",
                            path: cache.path(key), hint: "put source.cache_dir (--cache-dir) on storage every node sees")
        }
        try link(runDir: runDir, entry: entry)
        return (entry.path, r)
    }
}
