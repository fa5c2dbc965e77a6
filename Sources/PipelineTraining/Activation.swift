#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An element-wise (or, for `softmax`, row-wise) activation with Keras' names.
///
/// ```swift
/// let dense = Dense(units: 32, activation: .relu)
/// let a = Activation(keras: "sigmoid")       // nil for an unknown name
/// ```
///
/// Semantics: `linear` is the identity, `relu` is `max(x, 0)` (gradient 0 at 0, as TF),
/// `sigmoid` is `1 / (1 + e^-x)`, `tanh`, and `softmax` normalises the last axis.
/// ``apply(_:rows:width:)`` works in place on `rows × width` values; ``backward(y:dy:rows:width:)``
/// turns dL/dy into dL/d(pre-activation) in place from the activation's **output** `y`,
/// so a layer keeps only its output. Cost: one pass (softmax: three) over the values.
public enum Activation: String, Sendable, Codable, CaseIterable {
    case linear, relu, sigmoid, tanh, softmax

    /// The activation named as in Keras (`"linear"`, `"relu"`, …); `nil` when unknown.
    public init?(keras name: String) { self.init(rawValue: name) }

    /// y = f(x) in place over `rows × width` values (`[N, W]`).
    public func apply(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        let n = rows * width
        switch self {
        case .linear: return
        case .relu: Self.reluMask(x, by: UnsafePointer(x), count: n)
        case .sigmoid: for i in 0..<n { x[i] = 1 / (1 + expf(-x[i])) }
        case .tanh: for i in 0..<n { x[i] = tanhf(x[i]) }
        case .softmax:
            for r in 0..<rows {
                let row = x + r * width
                var m = -Float.infinity
                for j in 0..<width { m = max(m, row[j]) }
                var s: Float = 0
                for j in 0..<width { row[j] = expf(row[j] - m); s += row[j] }
                let inv = 1 / s
                for j in 0..<width { row[j] *= inv }
            }
        }
    }

    /// dL/dz from dL/dy in place (`dy` becomes dz), given the activation output `y` (`[N, W]`).
    public func backward(y: UnsafePointer<Float>, dy: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        let n = rows * width
        switch self {
        case .linear: return
        case .relu: Self.reluMask(dy, by: y, count: n)
        case .sigmoid: for i in 0..<n { dy[i] *= y[i] * (1 - y[i]) }
        case .tanh: for i in 0..<n { dy[i] *= 1 - y[i] * y[i] }
        case .softmax:
            for r in 0..<rows {
                let o = r * width
                var dot: Float = 0
                for j in 0..<width { dot += dy[o + j] * y[o + j] }
                for j in 0..<width { dy[o + j] = y[o + j] * (dy[o + j] - dot) }
            }
        }
    }

    /// values[i] = keys[i] > 0 ? values[i] : 0 (ReLU forward with keys = values, its backward
    /// with keys = outputs): eight lanes at a time with selects, since a branch per element
    /// mispredicts half the time on activations. NaN keys give 0, as `!(NaN > 0)`.
    static func reluMask(_ values: UnsafeMutablePointer<Float>, by keys: UnsafePointer<Float>, count n: Int) {
        var i = 0
        let v = UnsafeMutableRawPointer(values), k = UnsafeRawPointer(keys)
        while i + 8 <= n {
            let kv = k.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let vv = v.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            v.storeBytes(of: vv.replacing(with: 0, where: .!(kv .> 0)), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n { values[i] = keys[i] > 0 ? values[i] : 0; i += 1 }
    }
}
