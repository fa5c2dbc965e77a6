import PipelineCore

/// The maximum over all timesteps, as Keras' `GlobalMaxPooling1D` (`keepdims` false).
///
/// ```swift
/// Sequential([Embedding(inputDim: 1000, outputDim: 8), GlobalMaxPooling1D(), Dense(units: 1, activation: .sigmoid)])
/// ```
///
/// Shapes (`B` batch, `T` timesteps, `C` channels): `[B, T, C]` → `[B, C]`. No parameters.
/// Backward sends each gradient to the timestep of the maximum (the first one on ties).
/// Cost: `B·T·C` comparisons. `build` throws ``InputError`` unless the input is `[T ≥ 1, C]`.
public final class GlobalMaxPooling1D: Layer {
    public let kind = "GlobalMaxPooling1D"
    public var name: String
    public let parameters: [Parameter] = []
    private var t = 0, c = 0
    private var argmax: [Int32] = []                   // [B·C] timestep of each max
    private var gradStorage: [Float] = []              // [B·T·C], reused by backward
    private var lastPositions: [Int32] = []            // non-zero positions of gradStorage

    public init(name: String = "") { self.name = name }

    public var config: [String: ConfigValue] { ["name": .string(name), "keepdims": .bool(false)] }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws -> [Int] {
        guard inputShape.count == 2, inputShape[0] >= 1 else {
            throw InputError("layer '\(name)' (GlobalMaxPooling1D) expects input [timesteps, channels], got shape \(inputShape)")
        }
        t = inputShape[0]; c = inputShape[1]
        return [c]
    }

    public func forward(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        precondition(x.rank == 3 && x.shape[1] == t && x.shape[2] == c, "GlobalMaxPooling1D '\(name)' expects [B, \(t), \(c)], got \(x.shape)")
        let b = x.shape[0]
        var y = Tensor(shape: [b, c])
        var idx = [Int32](repeating: 0, count: b * c)
        Self.maxOverTime(b, t: t, c: c, x: x.data, into: &y.data, argmax: &idx)
        if context.training { argmax = idx }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(dy.count == argmax.count, "GlobalMaxPooling1D '\(name)': backward without a matching training forward")
        let b = dy.shape[0], n = b * t * c
        // dx is zero but at B·C positions: the buffer is reused and only last step's positions
        // are cleared (no B·T·C memset or fresh allocation per step).
        if gradStorage.count != n { gradStorage = [Float](repeating: 0, count: n); lastPositions = [] }
        var positions = [Int32](repeating: 0, count: b * c)
        Self.route(b, t: t, c: c, dy: dy.data, argmax: argmax, clearing: lastPositions, positions: &positions, into: &gradStorage)
        lastPositions = positions
        argmax = []
        return Tensor(shape: [b, t, c], data: gradStorage)
    }

    /// `y[i, q] = max_j x[i, j, q]`, `argmax[i, q]` the first `j` reaching it.
    private static func maxOverTime(_ b: Int, t: Int, c: Int, x: UnsafePointer<Float>,
                                    into y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>) {
        for i in 0..<b {
            let base = x + i * t * c, out = y + i * c, arg = argmax + i * c
            for q in 0..<c { out[q] = base[q] }
            for j in 1..<t {
                let row = base + j * c
                for q in 0..<c {                                  // branch-free: vectorises
                    let better = row[q] > out[q]
                    out[q] = better ? row[q] : out[q]
                    arg[q] = better ? Int32(j) : arg[q]
                }
            }
        }
    }

    /// Clears `dx` at the `old` positions, then `dx[i, argmax[i, q], q] = dy[i, q]`, each position kept in `positions`.
    private static func route(_ b: Int, t: Int, c: Int, dy: UnsafePointer<Float>, argmax: UnsafePointer<Int32>,
                              clearing old: [Int32], positions: UnsafeMutablePointer<Int32>,
                              into dx: UnsafeMutablePointer<Float>) {
        for p in old { dx[Int(p)] = 0 }
        for i in 0..<b {
            for q in 0..<c {
                let p = (i * t + Int(argmax[i * c + q])) * c + q
                dx[p] = dy[i * c + q]; positions[i * c + q] = Int32(p)
            }
        }
    }
}
