import PipelineCore
import PipelineIO
import Yams

/// `source:` where the data comes from.
///
/// ```yaml
/// source:
///   url: https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz   # or a local path, or file://
///   sha256: c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe
///   include: ["aclImdb/{train,test}/{pos,neg}/*.txt"]
/// ```
/// `--source PATH_OR_URL` replaces `url` (and drops the checksums, which belong to the original).
///
/// One source per split (text pipelines), each with its own checksums; the other keys given beside
/// `train:`/`test:` apply to both unless a split sets its own:
/// ```yaml
/// source:
///   train: {url: data/train.csv.gz, sha256: …}
///   test: {url: data/test.csv.gz}
/// ```
/// `--source train=PATH --source test=PATH` replace them (and drop their checksums).
///
/// A source in shards (text pipelines; see ``shards``), each read with the other keys:
/// ```yaml
/// source:
///   shards: [data/part-0000.tar.gz, {url: https://example.org/part-0001.tar.gz, sha256: …}]
///   # or a glob of local files, relative to the spec's folder, sorted by name:
///   # shards: "data/part-*.tar.gz"
/// ```
public struct SourceSpec: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable { case auto, tar_gz, tar, zip, gzip, csv, directory }

    public var url: String
    public var sha256: String?
    public var md5: String?
    public var format: Format
    public var include: [String]
    public var exclude: [String]
    public var cacheDir: String
    public var retries: Int
    /// `timeout_seconds` (default 60): the stall timeout of a download attempt: it fails, and is
    /// retried (`retries`), when the server sends nothing for this long, or less than
    /// `min_bytes_per_second` (default 1000; 0 = off) on average over this long. Not a limit
    /// on the whole download. See PipelineIO's `SourceOptions.readTimeout`.
    public var timeoutSeconds: Double
    public var minBytesPerSecond: Double
    /// `delivery:` the downloader's own ``SourceOptions/Delivery``. `stream` (the spec's default):
    /// network → gunzip → untar in one pass while the bytes are teed into the cache (a checksum
    /// mismatch still fails the run before any output is committed); `download_first`: download
    /// and verify into the cache, then read the cached file.
    public var delivery: SourceOptions.Delivery
    /// Decompression bounds (PipelineIO's ``ArchiveLimits``): `max_entry_bytes` (an archive entry
    /// read whole into memory, default 16 MiB), `max_total_bytes` (all accepted entries or a gzip
    /// stream's output, default 16 GiB), `max_compression_ratio` (default 100).
    public var maxEntryBytes: Int
    public var maxTotalBytes: Int
    public var maxCompressionRatio: Double
    /// `on_corrupt_entry`: `error` (default) or `skip` (skipped members are counted, listed and warned about).
    public var onCorruptEntry: CorruptEntryPolicy
    /// `train:` / `test:`: one source per split (keys `train`, `test`); empty for a single source.
    /// With it, the fields above are the train source's (the test source alone when only `test:` is given).
    public var splits: [String: SourceSpec] = [:]
    static let splitKeys = ["train", "test"]
    /// `shards:` the source in parts, in list order (a glob: its matches sorted by name); empty
    /// for a single source. With shards, ``url``, ``sha256`` and ``md5`` are the first shard's
    /// and every other key applies to every shard. Preparation counts words over all shards (so
    /// the vocabulary is that of one source holding every shard's texts) and writes each shard's
    /// rows to its own files (`x_train-0000.npy` …, `shards.json`); see PipelineRun's
    /// `PipelineRunner+Shards.swift`. Text pipelines only.
    public var shards: [Shard] = []

    /// One entry of ``shards``: a URL or local path (relative to the spec's folder) and its checksums.
    public struct Shard: Sendable, Equatable {
        public var url: String
        public var sha256: String?
        public var md5: String?
        public init(url: String, sha256: String? = nil, md5: String? = nil) { self.url = url; self.sha256 = sha256; self.md5 = md5 }
    }

    static let keys = ["shards", "train", "test", "url", "sha256", "md5", "format", "include", "exclude", "cache_dir", "retries", "timeout_seconds", "min_bytes_per_second", "delivery",
                       "max_entry_bytes", "max_total_bytes", "max_compression_ratio", "on_corrupt_entry"]

    init(_ m: SpecMap, defaultInclude: [String], defaultExclude: [String]) throws {
        if m.has("shards") {
            for other in ["url"] + SourceSpec.splitKeys + ["sha256", "md5"] where m.has(other) {
                throw m.fail("shards", "give either shards (a source in parts) or \(other), not both",
                             hint: other == "url" || SourceSpec.splitKeys.contains(other)
                                 ? "list every part under shards:" : "give each shard its checksum: shards: [{url: …, sha256: …}]")
            }
            let found = try SourceSpec.parseShards(m)
            var single = m.mapping
            single["shards"] = nil
            single["url"] = Node(found[0].url)
            self = try SourceSpec(SpecMap(.mapping(single), path: m.path, origin: m.origin, allowed: SourceSpec.keys),
                                  defaultInclude: defaultInclude, defaultExclude: defaultExclude)
            sha256 = found[0].sha256; md5 = found[0].md5
            shards = found
            return
        }
        if SourceSpec.splitKeys.contains(where: { m.has($0) }) {
            if m.has("url") {
                throw m.fail("url", "give either url (one source) or train:/test: (one source per split), not both",
                             hint: "with --source train=PATH, a plain --source PATH is not needed")
            }
            var found: [String: SourceSpec] = [:]
            for key in SourceSpec.splitKeys where m.has(key) {
                guard case .mapping(let own)? = m.node(key) else { throw m.fail(key, "must be a mapping with url: (and checksums)") }
                // Shared keys first, the split's own keys override them.
                var merged = Node.Mapping([])
                for (k, v) in m.mapping where !SourceSpec.splitKeys.contains(k.scalar?.string ?? "") && k.scalar?.string != "url" { merged[k] = v }
                for (k, v) in own { merged[k] = v }
                let sm = try SpecMap(.mapping(merged), path: m.field(key), origin: m.origin,
                                     allowed: SourceSpec.keys.filter { !SourceSpec.splitKeys.contains($0) })
                found[key] = try SourceSpec(sm, defaultInclude: defaultInclude, defaultExclude: defaultExclude)
            }
            guard let first = found["train"] ?? found["test"] else { throw m.fail("train", "is required") }
            self = first
            splits = found
            return
        }
        guard let url = try m.string("url"), !url.isEmpty else {
            throw InputError("is required: a URL (http, https, file) or a local path", at: m.location("url"),
                             field: m.field("url"), hint: "or pass --source PATH_OR_URL")
        }
        let lower = url.lowercased()
        if let colon = lower.range(of: "://"), !["http", "https", "file"].contains(String(lower[..<colon.lowerBound])) {
            throw m.fail("url", "unsupported scheme: only http, https and file URLs or local paths")
        }
        self.url = url
        sha256 = try m.string("sha256")?.lowercased()
        if let s = sha256, s.count != 64 || !s.allSatisfy(\.isHexDigit) { throw m.fail("sha256", "must be 64 hexadecimal digits") }
        md5 = try m.string("md5")?.lowercased()
        if let s = md5, s.count != 32 || !s.allSatisfy(\.isHexDigit) { throw m.fail("md5", "must be 32 hexadecimal digits") }
        format = try m.choice("format", default: .auto)
        include = try m.strings("include") ?? defaultInclude
        exclude = try m.strings("exclude") ?? defaultExclude
        cacheDir = try m.string("cache_dir", default: "~/.cache/pipeline")
        retries = try m.int("retries", default: 3, min: 0, max: 100)
        timeoutSeconds = try m.double("timeout_seconds", default: 60, min: 0, max: 86_400, exclusiveMin: true)
        minBytesPerSecond = try m.double("min_bytes_per_second", default: SourceSpec.defaultMinBytesPerSecond, min: 0)
        delivery = try m.choice("delivery", default: .stream, among: [.stream, .downloadFirst])
        maxEntryBytes = try m.int("max_entry_bytes", default: ArchiveLimits.defaultMaxEntryBytes, min: 1)
        maxTotalBytes = try m.int("max_total_bytes", default: ArchiveLimits.defaultMaxTotalBytes, min: 1)
        maxCompressionRatio = try m.double("max_compression_ratio", default: ArchiveLimits.defaultMaxCompressionRatio, min: 1)
        onCorruptEntry = try m.choice("on_corrupt_entry", default: .error)
    }

    var yaml: Node {
        if !shards.isEmpty {
            let list = Y.list(shards.map { s in
                s.sha256 == nil && s.md5 == nil ? Y.str(s.url)
                    : Y.map([("url", Y.str(s.url)), ("sha256", Y.opt(s.sha256, Y.str)), ("md5", Y.opt(s.md5, Y.str))])
            })
            return Y.map([("shards", list), ("format", Y.str(format.rawValue)), ("include", Y.strs(include)), ("exclude", Y.strs(exclude)),
                          ("cache_dir", Y.str(cacheDir)), ("retries", Y.int(retries)), ("timeout_seconds", Y.num(timeoutSeconds)),
                          ("delivery", Y.str(delivery.rawValue))] + limitsYAML + stallYAML)
        }
        if !splits.isEmpty {
            return Y.map(SourceSpec.splitKeys.compactMap { k in splits[k].map { (k, $0.yaml) } })
        }
        return Y.map([("url", Y.str(url)), ("sha256", Y.opt(sha256, Y.str)), ("md5", Y.opt(md5, Y.str)),
               ("format", Y.str(format.rawValue)), ("include", Y.strs(include)), ("exclude", Y.strs(exclude)),
               ("cache_dir", Y.str(cacheDir)), ("retries", Y.int(retries)), ("timeout_seconds", Y.num(timeoutSeconds)),
               ("delivery", Y.str(delivery.rawValue))] + limitsYAML + stallYAML)
    }

    /// The decompression keys, listed only when they differ from the defaults (so the hash of
    /// a spec that does not use them is unchanged).
    var limitsYAML: [(String, Node)] {
        var pairs: [(String, Node)] = []
        if maxEntryBytes != ArchiveLimits.defaultMaxEntryBytes { pairs.append(("max_entry_bytes", Y.int(maxEntryBytes))) }
        if maxTotalBytes != ArchiveLimits.defaultMaxTotalBytes { pairs.append(("max_total_bytes", Y.int(maxTotalBytes))) }
        if maxCompressionRatio != ArchiveLimits.defaultMaxCompressionRatio { pairs.append(("max_compression_ratio", Y.num(maxCompressionRatio))) }
        if onCorruptEntry != .error { pairs.append(("on_corrupt_entry", Y.str(onCorruptEntry.rawValue))) }
        return pairs
    }

    /// The archive and gzip bounds these keys give.
    public var archiveLimits: ArchiveLimits {
        ArchiveLimits(maxEntryBytes: maxEntryBytes, maxTotalBytes: maxTotalBytes, maxCompressionRatio: maxCompressionRatio)
    }

    static let defaultMinBytesPerSecond: Double = 1000   // PipelineIO's SourceOptions.minBytesPerSecond default

    /// `min_bytes_per_second`, listed only when it differs from the default (spec hash unchanged).
    var stallYAML: [(String, Node)] {
        minBytesPerSecond == SourceSpec.defaultMinBytesPerSecond ? [] : [("min_bytes_per_second", Y.num(minBytesPerSecond))]
    }

    /// `cache_dir` with a leading `~` expanded (``HomeDirectory/expandingTilde(_:)``).
    public var expandedCacheDir: String { HomeDirectory.expandingTilde(cacheDir) }
}

