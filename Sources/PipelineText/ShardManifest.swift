import PipelineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `shards.json`: the files of a sharded preparation, per split, in shard order.
///
/// ```json
/// {"format": "pipeline-shards", "version": 1, "shards": 2,
///  "splits": {"train": [{"shard": 0, "rows": 12, "x": "x_train-0000.npy", "x_bytes": 2528, "x_sha256": "…",
///                        "y": "y_train-0000.npy", "y_bytes": 176, "y_sha256": "…"}, …], "test": […]}}
/// ```
///
/// Semantics: a split's rows are the concatenation of its files' rows in list order (see
/// ``EncodedDataset/load(directory:split:)``). A split with no rows in any shard is absent; else
/// every shard lists it (a shard without rows of it has a `[0, maxlen]` file). Sizes are those
/// of the whole `.npy` files; the digests are SHA-256 of the files, for users and tools that
/// want to verify them (loading checks sizes and row counts, not digests).
public struct ShardManifest: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        public var shard: Int
        public var rows: Int
        public var x: String
        public var xBytes: Int
        public var xSHA256: String
        public var y: String
        public var yBytes: Int
        public var ySHA256: String
        public init(shard: Int, rows: Int, x: String, xBytes: Int, xSHA256: String, y: String, yBytes: Int, ySHA256: String) {
            self.shard = shard; self.rows = rows; self.x = x; self.xBytes = xBytes; self.xSHA256 = xSHA256
            self.y = y; self.yBytes = yBytes; self.ySHA256 = ySHA256
        }
    }

    public static let fileName = "shards.json"
    public var shardCount: Int
    public var splits: [ReviewSplit: [File]]

    public init(shardCount: Int, splits: [ReviewSplit: [File]]) { self.shardCount = shardCount; self.splits = splits }

    /// `x_train-0003.npy`: the file of `shard` for `split` (4 digits; more when there are ≥ 10,000 shards).
    public static func fileName(_ array: String, split: ReviewSplit, shard: Int) -> String {
        let digits = String(shard)
        return "\(array)_\(split.rawValue)-\(String(repeating: "0", count: max(0, 4 - digits.count)))\(digits).npy"
    }

    /// The JSON text (stable: splits in ``ReviewSplit`` order).
    public var json: String {
        var parts: [String] = []
        for split in ReviewSplit.allCases {
            guard let files = splits[split] else { continue }
            let items = files.map { f in
                "{\"shard\": \(f.shard), \"rows\": \(f.rows), \"x\": \(JSONString.quote(f.x)), \"x_bytes\": \(f.xBytes), \"x_sha256\": \(JSONString.quote(f.xSHA256)), "
                    + "\"y\": \(JSONString.quote(f.y)), \"y_bytes\": \(f.yBytes), \"y_sha256\": \(JSONString.quote(f.ySHA256))}"
            }
            parts.append("\"\(split.rawValue)\": [\n      " + items.joined(separator: ",\n      ") + "\n    ]")
        }
        return "{\n  \"format\": \"pipeline-shards\",\n  \"version\": 1,\n  \"shards\": \(shardCount),\n"
            + "  \"note\": \"each split's rows are the concatenation of its files' rows, in this order\",\n"
            + "  \"splits\": {\n    " + parts.joined(separator: ",\n    ") + "\n  }\n}\n"
    }

    /// Reads `directory/shards.json`; nil when the folder has none. ``IOFailure`` naming the
    /// file when it does not decode.
    public static func read(directory: String) throws -> ShardManifest? {
        let path = directory + "/" + fileName
        guard let raw = try readSmallFile(path) else { return nil }
        func bad(_ why: String) -> IOFailure {
            IOFailure("damaged shard manifest: \(why)", path: path, hint: "prepare the data again (pipeline prepare SPEC --overwrite)")
        }
        guard let v = try? JSONValue.parse(raw) else { throw bad("not JSON") }
        guard v["format"]?.string == "pipeline-shards", let n = v["shards"]?.int, case .object(let splits)? = v["splits"] else {
            throw bad("no format pipeline-shards, shards or splits")
        }
        var out: [ReviewSplit: [File]] = [:]
        for (name, list) in splits {
            guard let split = ReviewSplit(rawValue: name), let items = list.array else { throw bad("split \(name)") }
            out[split] = try items.enumerated().map { i, o in
                guard let shard = o["shard"]?.int, let rows = o["rows"]?.int, rows >= 0, let x = o["x"]?.string, let y = o["y"]?.string,
                      let xb = o["x_bytes"]?.int, let yb = o["y_bytes"]?.int, !x.contains("/"), !y.contains("/") else {
                    throw bad("entry \(i) of \(name)")
                }
                return File(shard: shard, rows: rows, x: x, xBytes: xb, xSHA256: o["x_sha256"]?.string ?? "",
                            y: y, yBytes: yb, ySHA256: o["y_sha256"]?.string ?? "")
            }
        }
        return ShardManifest(shardCount: n, splits: out)
    }
}

/// The bytes of a shard manifest (at most 64 MiB), nil when it does not exist.
func readSmallFile(_ path: String) throws -> [UInt8]? {
    guard access(path, F_OK) == 0 else { return nil }
    return try WholeFile.read(path, limit: 64 << 20, what: "a shard manifest")
}
