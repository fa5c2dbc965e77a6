import Foundation
import PipelineCore
import PipelineSpec
import PipelineIO

/// `pipeline run`'s prepared data through ``PreparedDataCache``: found by key, or prepared once
/// into the cache; the run folder gets `data.json` (the key and the entry's path and files) and
/// a copy of the entry's small JSON files in `data/` (vocabulary, meta, normalisation, windows:
/// what `predict` and `export` read), never the arrays.
extension PipelineRunner {
    /// The cache key of this spec's prepared data: SHA-256 over
    /// - the spec's data sections as resolved YAML (`source` without its `cache_dir`, `text` or
    ///   `timeseries`, `seed`), not `name`, `model`, `train` or `output`;
    /// - the train values preparation reads: the effective label mode and loss (text), batch size and
    ///   steps per epoch (timeseries: the baseline's batches);
    /// - each source's identity: its `sha256` when the spec gives one (the bytes are verified
    ///   against it); else for a local file its real path, size and modification time, for a
    ///   local folder the same for every file in it, for a URL the cached download's path, size
    ///   and modification time; nil when a URL is not in the download cache yet;
    /// - the tool version (``ToolInfo``).
    /// Cost: one `stat` per source file (a folder source: one per file in it).
    func dataCacheKey() -> String? {
        var parts = [ToolInfo.name + " " + ToolInfo.version] + dataSections
        for (split, o) in splitOpeners {
            guard let id = Self.sourceIdentity(o) else { return nil }
            parts.append("source \(split?.rawValue ?? "-") \(id)")
        }
        for (k, o) in shardOpeners.enumerated() {   // a sharded source: every shard's identity
            guard let id = Self.sourceIdentity(o) else { return nil }
            parts.append("shard \(k) \(id)")
        }
        return PreparedDataCache.key(parts: parts)
    }

    /// What of the spec can change the prepared bytes, as text: the resolved YAML of its data
    /// sections (`source` without `cache_dir`, `text` or `timeseries`, `seed`; not `name`,
    /// `model`, `train` or `output`) and the train values preparation reads (text: the label
    /// mode and loss; timeseries: batch size and steps per epoch). The cache key and `spec_hash`
    /// (``specHash``) are built from it.
    var dataSections: [String] {
        var s = spec
        s.name = ""; s.model = nil; s.train = nil; s.outputDir = ""; s.source.cacheDir = ""
        switch spec.task {
        case .text(let t): return [s.yaml, "label_mode \(labelMode(t).rawValue), loss \(spec.train?.loss.rawValue ?? "-")"]
        case .timeseries: return [s.yaml, "batch_size \(spec.train?.batchSize ?? 128), steps_per_epoch \(spec.train?.stepsPerEpoch ?? 500)"]
        }
    }

    static func sourceIdentity(_ o: SourceOpener) -> String? {
        if let sha = o.source.sha256 { return "sha256 " + sha.lowercased() }
        let fm = FileManager.default
        func stamp(_ path: String) -> String? {
            guard let a = try? fm.attributesOfItem(atPath: path), let size = a[.size] as? Int,
                  let date = a[.modificationDate] as? Date else { return nil }
            return "\(size) \(date.timeIntervalSince1970)"
        }
        if o.isRemote {
            var options = SourceOptions()
            options.cacheDirectory = o.source.expandedCacheDir
            guard let cached = try? DataSource.cachePath(for: o.location, options: options), let st = stamp(cached) else { return nil }
            return "url \(o.location) cached \(st)"
        }
        let local = o.location.hasPrefix("file://") ? String(o.location.dropFirst("file://".count)) : o.location
        let real = OutputFolder.resolved(local)
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: real, isDirectory: &isDir) else { return nil }
        if !isDir.boolValue { return stamp(real).map { "file \(real) \($0)" } }
        var lines = ["folder \(real)"]
        let e = fm.enumerator(atPath: real)
        while let rel = e?.nextObject() as? String {
            if let st = stamp(real + "/" + rel) { lines.append(rel + " " + st) }
        }
        return PreparedDataCache.key(parts: lines.sorted())
    }

    /// The folder holding the run's prepared arrays, and the preparation's result when it ran now
    /// (nil on a cache hit, or when a resumed run's data is still there).
    /// - Resuming a run whose `data/` holds its arrays (folders written before the cache): those.
    /// - Resuming a run whose `data.json` names a valid entry: that entry.
    /// - Else the entry of ``dataCacheKey()``, or `prepare` into a temporary folder of the cache,
    ///   committed under the key computed afterwards (a URL is in the download cache by then; when
    ///   it still has no identity, a random key: an entry of this run alone).
    /// Then writes `data.json` and copies the small files into `RUN/data/` (through ``AtomicFile``,
    /// so the run's manifest lists them).
    func preparedData<R>(runDir: String, resuming: Bool,
                         prepare: (String) async throws -> R) async throws -> (folder: String, prepared: R?) {
        if let collective, collective.size > 1 {   // ranks preparing shards together (PipelineRunner+DataCacheTogether.swift)
            return try await preparedDataTogether(collective, runDir: runDir, resuming: resuming, prepare: prepare)
        }
        let runData = runDir + "/data"
        let cache = PreparedDataCache(cacheDir: spec.source.expandedCacheDir)
        let fm = FileManager.default
        if resuming {
            if !fm.fileExists(atPath: runDir + "/" + PreparedDataCache.runReferenceName),
               fm.fileExists(atPath: runData + "/meta.json"),
               fm.fileExists(atPath: runData + "/x_train.npy") || fm.fileExists(atPath: runData + "/data.npy")
                || fm.fileExists(atPath: runData + "/shards.json") {
                return (runData, nil)
            }
            if let key = Self.referencedKey(run: runDir), let entry = cache.entry(key) {
                cache.touch(entry)
                return (entry.path, nil)
            }
        }
        if let key = dataCacheKey(), let entry = cache.entry(key) {
            cache.touch(entry)
            try link(runDir: runDir, entry: entry)
            log("data: prepared data found in the cache (\(key.prefix(12))), nothing copied: \(entry.path)")
            return (entry.path, nil)
        }
        let tmp = try cache.makeTemporary()
        do {
            let r = try await prepare(tmp)
            let key = dataCacheKey() ?? PreparedDataCache.key(parts: ["unidentified source", UUID().uuidString])
            let entry = try cache.commit(tmp, key: key, info: entryInfo(source: splitOpeners.map { $0.opener.displayName }.joined(separator: ", "),
                                                                   checksum: spec.source.sha256))
            try link(runDir: runDir, entry: entry)
            return (entry.path, r)
        } catch {
            PreparedDataCache.removeTree(tmp)
            throw error
        }
    }

    /// What a new cache entry records of its origin (`entry.json`): spec, spec file, `source`,
    /// tool version, creation date and the source's checksum when there is one.
    func entryInfo(source: String, checksum: String? = nil) -> [String: JSONValue] {
        var info: [String: JSONValue] = ["spec": .string(spec.name), "spec_file": .string(spec.file), "source": .string(source),
                                         "tool_version": .string(ToolInfo.version),
                                         "created": .string(ISO8601DateFormatter().string(from: Date()))]
        if let checksum { info["source_sha256"] = .string(checksum) }
        return info
    }

    /// Writes `RUN/data.json` and copies the entry's files other than arrays into `RUN/data/`.
    func link(runDir: String, entry: PreparedDataCache.Entry) throws {
        let runData = runDir + "/data"
        try FileManager.default.createDirectory(atPath: runData, withIntermediateDirectories: true)
        for name in entry.files.keys.sorted() where !name.hasSuffix(".npy") && !name.contains("/") && name != "shards.json" {
            guard let bytes = FileManager.default.contents(atPath: entry.path + "/" + name) else {
                throw IOFailure("cannot read a prepared file of the cache", path: entry.path + "/" + name, hint: "run `pipeline cache clear \(entry.key.prefix(12))` and run again")
            }
            try AtomicFile.write([UInt8](bytes), to: runData + "/" + name)
        }
        let files = entry.files.keys.sorted().map { JSONValue.string($0) }
        let reference: JSONValue = .object(["key": .string(entry.key), "entry": .string(entry.path),
                                            "cache_dir": .string(spec.source.expandedCacheDir), "files": .array(files),
                                            "note": .string("the prepared arrays live in the cache entry; `pipeline cache list` shows it")])
        try AtomicFile.write(reference.text + "\n", to: runDir + "/" + PreparedDataCache.runReferenceName)
    }

    /// The key `RUN/data.json` names, if any.
    static func referencedKey(run: String) -> String? {
        guard let raw = FileManager.default.contents(atPath: run + "/" + PreparedDataCache.runReferenceName),
              let json = try? JSONValue.parse([UInt8](raw)), let key = json["key"]?.string, PreparedDataCache.isKey(key) else { return nil }
        return key
    }

    /// The folder holding a finished run's prepared arrays: the cache entry its `data.json` names,
    /// or `RUN/data` for a run without one. ``IOFailure`` when the entry was cleared or damaged.
    public static func preparedArrays(run: String) throws -> String {
        let refPath = run + "/" + PreparedDataCache.runReferenceName
        guard let raw = FileManager.default.contents(atPath: refPath) else { return run + "/data" }
        guard let json = try? JSONValue.parse([UInt8](raw)), let key = json["key"]?.string, PreparedDataCache.isKey(key),
              let entryPath = json["entry"]?.string else {
            throw IOFailure("unreadable data.json (it names the run's prepared data in the cache)", path: refPath)
        }
        let root = (entryPath as NSString).deletingLastPathComponent
        let cache = PreparedDataCache(cacheDir: (root as NSString).deletingLastPathComponent)
        guard let entry = cache.entry(key) else {
            throw IOFailure("the run's prepared data (cache entry \(key.prefix(12))) was cleared from the cache or is damaged", path: entryPath,
                            hint: "run the spec again: its data is prepared anew into the cache")
        }
        return entry.path
    }
}
