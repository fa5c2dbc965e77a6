import PipelineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension EncodedDataset {
    /// Whether `directory` holds rows of `split`: `x_<split>.npy`, or a `shards.json` listing the split.
    public static func hasSplit(directory: String, split: ReviewSplit) throws -> Bool {
        if let manifest = try ShardManifest.read(directory: directory) { return manifest.splits[split] != nil }
        return access("\(directory)/x_\(split.rawValue).npy", F_OK) == 0
    }

    /// The rows of `split` of a sharded folder: its files in `manifest` order, concatenated.
    /// Each file's size must be the manifest's and its row count the manifest's, and every
    /// shard the same `maxlen`; else ``IOFailure`` naming the file (missing, truncated or
    /// replaced). Memory: the concatenation plus one shard's arrays.
    static func load(directory: String, split: ReviewSplit, manifest: ShardManifest) throws -> EncodedDataset {
        let manifestPath = directory + "/" + ShardManifest.fileName
        guard let files = manifest.splits[split] else {
            throw IOFailure("the sharded data has no \(split.rawValue) rows (shards.json lists none)", path: manifestPath)
        }
        var x: [Int32] = [], y: [Int32] = []
        var maxlen: Int?
        let rows = files.reduce(0) { $0 + $1.rows }
        y.reserveCapacity(rows)
        for f in files {
            for (name, bytes) in [(f.x, f.xBytes), (f.y, f.yBytes)] {
                let path = directory + "/" + name
                var st = stat()
                guard stat(path, &st) == 0 else {
                    throw IOFailure("a shard file listed in shards.json is missing: \(String(cString: strerror(errno)))", path: path,
                                    hint: "copy the whole prepared folder, or prepare the data again")
                }
                guard Int(st.st_size) == bytes else {
                    throw IOFailure("a shard file is \(st.st_size) bytes, shards.json says \(bytes) (truncated or replaced)", path: path,
                                    hint: "prepare the data again (pipeline prepare SPEC --overwrite)")
                }
            }
            let part = try load(x: directory + "/" + f.x, y: directory + "/" + f.y)
            guard part.count == f.rows else {
                throw IOFailure("a shard file holds \(part.count) rows, shards.json says \(f.rows)", path: directory + "/" + f.x)
            }
            if let m = maxlen, m != part.maxlen {
                throw IOFailure("a shard file's rows have \(part.maxlen) ids, the previous shards' \(m)", path: directory + "/" + f.x)
            }
            if maxlen == nil { maxlen = part.maxlen; x.reserveCapacity(rows * part.maxlen) }
            x += part.x; y += part.y
        }
        return EncodedDataset(x: x, y: y, maxlen: maxlen ?? 0)
    }
}
