/// A training batch as the data stages hand it to the trainer: inputs and targets as
/// contiguous row-major `Float` buffers with their shapes (batch first).
///
/// IMDB: `x` `[B, maxlen]` token ids (exact in `Float` below 2^24), `y` `[B, 1]` labels.
/// Jena: `x` `[B, T, F]` normalised features, `y` `[B, 1]` targets.
/// `sampleOffset` is the position of the first sample in its epoch's order (for progress,
/// resumption and error messages). Shapes must match counts (precondition).
public struct Batch: Sendable, Equatable {
    public var x: [Float]
    public var xShape: [Int]
    public var y: [Float]
    public var yShape: [Int]
    public var sampleOffset: Int

    public init(x: [Float], xShape: [Int], y: [Float], yShape: [Int], sampleOffset: Int = 0) {
        precondition(xShape.reduce(1, *) == x.count, "x shape \(xShape) does not match \(x.count) values")
        precondition(yShape.reduce(1, *) == y.count, "y shape \(yShape) does not match \(y.count) values")
        precondition(xShape.first == yShape.first, "x and y batch sizes differ: \(xShape) vs \(yShape)")
        self.x = x; self.xShape = xShape; self.y = y; self.yShape = yShape; self.sampleOffset = sampleOffset
    }

    public var size: Int { xShape.first ?? 0 }
}
