import PipelineCore

/// Encoded reviews in memory: a padded `[count, maxlen]` `Int32` id matrix and `[count]`
/// labels, ready to be cut into trainer ``Batch``es.
///
/// ```swift
/// let train = try EncodedDataset.load(directory: "data/imdb", split: .train)
/// let (fit, val) = Split.lastFraction(count: train.count, fraction: 0.2)   // Keras validation_split
/// for try await batch in train.rows(fit).shuffled(seed: 1, epoch: e).batched(size: 128) { … }
/// ```
///
/// Semantics: row `i` is `x[i*maxlen ..< (i+1)*maxlen]` with label `y[i]`. Built from `.npy`
/// files written by ``prepareImdb(source:into:options:provenance:progress:)`` (y `[N]` or
/// `[N, 1]`), or from reviews and a vocabulary. Cost: 4 bytes per id (25,000 × 500: 50 MB).
/// Loading fails with ``IOFailure`` (path) or ``InputError`` (shapes that do not match).
public struct EncodedDataset: Sendable, Equatable {
    public let x: [Int32]
    public let y: [Int32]
    public let maxlen: Int
    public var count: Int { y.count }

    public init(x: [Int32], y: [Int32], maxlen: Int) {
        precondition(x.count == y.count * maxlen, "x holds \(x.count) ids, expected \(y.count) × \(maxlen)")
        self.x = x; self.y = y; self.maxlen = maxlen
    }

    /// Encodes and pads `reviews` with `vocabulary` (as `prepareImdb` does, without the files).
    public init(reviews: [Review], vocabulary: Vocabulary, maxlen: Int, padding: SequencePadding = .pre,
                truncating: Truncating = .pre, value: Int32 = 0) {
        var encoder = TextEncoder(vocabulary)
        var ids: [Int32] = []
        var x = [Int32](repeating: value, count: reviews.count * maxlen)
        x.withUnsafeMutableBufferPointer { buf in
            for (i, r) in reviews.enumerated() {
                ids.removeAll(keepingCapacity: true)
                encoder.encode(r.text, into: &ids)
                ids.withUnsafeBufferPointer {
                    padRow($0, into: buf.baseAddress! + i * maxlen, maxlen: maxlen, padding: padding,
                           truncating: truncating, value: value, prefilled: true)
                }
            }
        }
        self.init(x: x, y: reviews.map { Int32($0.label) }, maxlen: maxlen)
    }

    /// Reads `x_<split>.npy` and `y_<split>.npy` from `directory`; in a sharded folder (one
    /// with `shards.json`, ``ShardManifest``) the concatenation of the split's shard files in
    /// manifest order, checked against the manifest (EncodedDataset+Shards.swift).
    public static func load(directory: String, split: ReviewSplit) throws -> EncodedDataset {
        if let manifest = try ShardManifest.read(directory: directory) {
            return try load(directory: directory, split: split, manifest: manifest)
        }
        return try load(x: "\(directory)/x_\(split.rawValue).npy", y: "\(directory)/y_\(split.rawValue).npy")
    }

    public static func load(x xPath: String, y yPath: String) throws -> EncodedDataset {
        let (xs, xv): ([Int], [Int32]) = try NpyFile.read(xPath)
        let (ys, yv): ([Int], [Int32]) = try NpyFile.read(yPath)
        guard xs.count == 2 else {
            throw InputError("x must be 2-D [N, maxlen]", at: SourceLocation(file: xPath), field: "shape", value: "\(xs)")
        }
        guard ys.first == xs[0], ys.count == 1 || (ys.count == 2 && ys[1] == 1) else {
            throw InputError("y must be [\(xs[0])] or [\(xs[0]), 1] to match x \(xs)", at: SourceLocation(file: yPath),
                             field: "shape", value: "\(ys)")
        }
        return EncodedDataset(x: xv, y: yv, maxlen: xs[1])
    }

    /// Row `i` of the id matrix.
    public func row(_ i: Int) -> ArraySlice<Int32> { x[i * maxlen..<(i + 1) * maxlen] }

    /// Shorthand for `rows(range)`, `.shuffled(seed:epoch:)` when `shuffle`, then
    /// `.batched(size:dropRemainder:)` (see ``EncodedRows``).
    public func batches(batchSize: Int, shuffle: Bool, seed: UInt64 = 0, epoch: Int = 0,
                        range: Range<Int>? = nil, dropRemainder: Bool = false) -> EncodedBatchSequence {
        let r = rows(range)
        return (shuffle ? r.shuffled(seed: seed, epoch: epoch) : r).batched(size: batchSize, dropRemainder: dropRemainder)
    }
}
