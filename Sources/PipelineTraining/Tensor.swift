import PipelineCore

/// A dense, contiguous, row-major `Float` tensor: a shape and its values.
///
/// ```swift
/// var x = Tensor(shape: [128, 500, 32])        // zeros
/// x[0, 3, 1] = 1                                // index access (slow path: tests, not kernels)
/// Kernels.columnSums(rows: 128 * 500, cols: 32, x.data, ld: 32, into: &sums.data)  // kernels take pointers
/// ```
///
/// Semantics: value type (copy-on-write through `Array`); `shape` lists every dimension,
/// batch first. Integer inputs (token ids) are carried as exact `Float`s (ids < 2^24). Kernels
/// take the values as pointer arguments (`x.data` for an `UnsafePointer`, `&x.data` for an
/// `UnsafeMutablePointer`, valid for the call only): the layers write their loops as functions
/// over pointers rather than nesting `withUnsafe…` closures.
/// Cost: `count` floats. Shape mismatches are programmer errors (precondition).
public struct Tensor: Sendable, Equatable, Codable {
    public var shape: [Int]
    public var data: [Float]

    public init(shape: [Int], data: [Float]) {
        precondition(shape.reduce(1, *) == data.count, "shape \(shape) does not match \(data.count) values")
        self.shape = shape
        self.data = data
    }

    public init(shape: [Int], repeating value: Float = 0) {
        self.shape = shape
        self.data = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// A tensor whose values are left uninitialised, for outputs a kernel overwrites entirely
    /// (spares zeroing megabytes that are written again at once). Read nothing before writing.
    public init(uninitializedShape shape: [Int]) {
        let n = shape.reduce(1, *)
        self.shape = shape
        self.data = [Float](unsafeUninitializedCapacity: n) { _, count in count = n }
    }

    public var count: Int { data.count }
    public var rank: Int { shape.count }

    /// Row-major offset of a full index.
    @inlinable
    public func offset(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index rank \(index.count) != tensor rank \(shape.count)")
        var o = 0
        for (i, d) in zip(index, shape) { precondition(i >= 0 && i < d, "index \(index) out of \(shape)"); o = o * d + i }
        return o
    }

    public subscript(_ index: Int...) -> Float {
        get { data[offset(index)] }
        set { data[offset(index)] = newValue }
    }

    /// The same values under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, data: data) }
}
