import PipelineCore

/// Inverted dropout, as Keras' `Dropout`: in training each value is zeroed with probability
/// `rate` and the survivors are scaled by `1 / (1 − rate)`; in inference it is the identity.
///
/// ```swift
/// Sequential([Flatten(), Dense(units: 32, activation: .relu), Dropout(rate: 0.5), Dense(units: 1)])
/// ```
///
/// Shapes: any `[B, …]` → the same. The mask comes from `ForwardContext.rng` (one draw per
/// value, in row-major order), so a seeded run is reproducible. No parameters.
/// Cost: one draw and one multiply per value. `rate` must be in [0, 1) (precondition).
public final class Dropout: Layer {
    public let kind = "Dropout"
    public var name: String
    public let rate: Float
    public let parameters: [Parameter] = []
    private var mask: [Float] = []                     // 0 or 1/(1−rate), one per value

    public init(rate: Float, name: String = "") {
        precondition(rate >= 0 && rate < 1, "Dropout rate must be in [0, 1), received \(rate)")
        self.rate = rate; self.name = name
    }

    public var config: [String: ConfigValue] { ["name": .string(name), "rate": .double(Double(rate))] }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws -> [Int] { inputShape }

    public func forward(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        guard context.training, rate > 0 else { mask = []; return x }
        let scale = 1 / (1 - rate)
        var m = [Float](repeating: 0, count: x.count)
        for i in 0..<m.count where context.rng.nextFloat() >= rate { m[i] = scale }
        var y = x
        y.data.withUnsafeMutableBufferPointer { yb in for i in 0..<m.count { yb[i] *= m[i] } }
        mask = m
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard !mask.isEmpty else { return dy }
        precondition(dy.count == mask.count, "Dropout '\(name)': backward without a matching forward")
        var dx = dy
        dx.data.withUnsafeMutableBufferPointer { db in for i in 0..<mask.count { db[i] *= mask[i] } }
        mask = []
        return dx
    }
}
