import PipelineCore

/// Inverted dropout, as Keras' `Dropout`: in training each value is zeroed with probability
/// `rate` and the survivors are scaled by `1 / (1 − rate)`; in inference it is the identity.
///
/// ```swift
/// Sequential([Flatten(), Dense(units: 32, activation: .relu), Dropout(rate: 0.5), Dense(units: 1)])
/// ```
///
/// Shapes: any `[B, …]` → the same. The mask is per sample: the layer takes the context's next
/// mask draw (``ForwardContext/nextMaskDraw()``) and row `i` of the mask (its values in
/// row-major order) comes from the stream of sample `firstSample + i` (``DropoutStreams``), so a
/// seeded run is reproducible and a sample's mask is the same whatever the batch size or the
/// number of data-parallel ranks. No parameters.
/// Cost: one draw and one multiply per value, one generator seeding per row. `rate` must be in
/// [0, 1) (precondition).
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
        let b = x.shape.first ?? 0, per = b == 0 ? 0 : x.count / b
        let streams = context.nextMaskDraw()
        var m = [Float](repeating: 0, count: x.count)
        m.withUnsafeMutableBufferPointer { mp in
            for i in 0..<(per > 0 ? b : 0) {
                var rng = streams.random(row: i)
                DropoutStreams.fill(mp.baseAddress! + i * per, count: per, rate: rate, rng: &rng)
            }
        }
        var y = x
        Self.multiply(&y.data, by: m, count: m.count)
        mask = m
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard !mask.isEmpty else { return dy }
        precondition(dy.count == mask.count, "Dropout '\(name)': backward without a matching forward")
        var dx = dy
        Self.multiply(&dx.data, by: mask, count: mask.count)
        mask = []
        return dx
    }

    /// `values[i] *= mask[i]` for `i < count`.
    private static func multiply(_ values: UnsafeMutablePointer<Float>, by mask: UnsafePointer<Float>, count: Int) {
        for i in 0..<count { values[i] *= mask[i] }
    }
}
