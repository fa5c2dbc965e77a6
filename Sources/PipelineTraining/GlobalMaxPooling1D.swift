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
        x.data.withUnsafeBufferPointer { xb in
            y.data.withUnsafeMutableBufferPointer { yb in
                idx.withUnsafeMutableBufferPointer { ib in
                    let xp = xb.baseAddress!, yp = yb.baseAddress!, ip = ib.baseAddress!
                    for i in 0..<b {
                        let base = xp + i * t * c, out = yp + i * c, arg = ip + i * c
                        for q in 0..<c { out[q] = base[q] }
                        for j in 1..<t {
                            let row = base + j * c
                            for q in 0..<c {                          // branch-free: vectorises
                                let better = row[q] > out[q]
                                out[q] = better ? row[q] : out[q]
                                arg[q] = better ? Int32(j) : arg[q]
                            }
                        }
                    }
                }
            }
        }
        if context.training { argmax = idx }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(dy.count == argmax.count, "GlobalMaxPooling1D '\(name)': backward without a matching training forward")
        let b = dy.shape[0], n = b * t * c
        // dx is zero but at B·C positions: the buffer is reused and only last step's positions
        // are cleared (no B·T·C memset or fresh allocation per step).
        if gradStorage.count != n { gradStorage = [Float](repeating: 0, count: n); lastPositions = [] }
        gradStorage.withUnsafeMutableBufferPointer { db in
            for p in lastPositions { db[Int(p)] = 0 }
            lastPositions = [Int32](repeating: 0, count: b * c)
            for i in 0..<b {
                for q in 0..<c {
                    let p = (i * t + Int(argmax[i * c + q])) * c + q
                    db[p] = dy.data[i * c + q]; lastPositions[i * c + q] = Int32(p)
                }
            }
        }
        argmax = []
        return Tensor(shape: [b, t, c], data: gradStorage)
    }
}
