/// RMSprop with Keras 3's defaults and update, the optimizer of the book's chapter 6.
///
/// ```swift
/// let opt = RMSprop()                                  // learning_rate 1e-3, rho 0.9, ε 1e-7
/// let clipped = RMSprop(learningRate: 1e-3, clipping: .clipnorm(1))
/// ```
///
/// Update for each parameter `w` with gradient `g` (float32, ε **inside** the square root):
/// `v ← ρ·v + (1−ρ)·g²`; centered: `a ← ρ·a + (1−ρ)·g`, `d = v − a² + ε`, else `d = v + ε`;
/// `Δ = lr·g / √d`; with momentum `m ← μ·m + Δ`, `w ← w − m`, else `w ← w − Δ`.
/// Slots `velocity` (and `momentum`, `average_gradient`) start at zero. Cost: a few flops per weight.
public final class RMSprop: Optimizer {
    public let kerasName = "rmsprop"
    public var learningRate: Float
    public let rho: Double, momentum: Double, epsilon: Double
    public let centered: Bool
    public let clipping: GradientClipping
    public private(set) var iterations = 0
    private var velocity: [String: [Float]] = [:]
    private var momentums: [String: [Float]] = [:]
    private var averageGradient: [String: [Float]] = [:]

    public init(learningRate: Float = 1e-3, rho: Double = 0.9, momentum: Double = 0, epsilon: Double = 1e-7,
                centered: Bool = false, clipping: GradientClipping = .none) {
        self.learningRate = learningRate; self.rho = rho; self.momentum = momentum
        self.epsilon = epsilon; self.centered = centered; self.clipping = clipping
    }

    public func apply(_ parameters: [Parameter]) {
        clipping.clip(parameters)
        let lr = learningRate, r = Float(rho), r1 = Float(1 - rho), eps = Float(epsilon), mu = Float(momentum)
        for p in parameters {
            let n = p.value.count
            var v = velocity.removeValue(forKey: p.name) ?? [Float](repeating: 0, count: n)         // taken out: no copy on write
            var m = mu > 0 ? momentums.removeValue(forKey: p.name) ?? [Float](repeating: 0, count: n) : []
            var a = centered ? averageGradient.removeValue(forKey: p.name) ?? [Float](repeating: 0, count: n) : []
            v.withUnsafeMutableBufferPointer { v in
                m.withUnsafeMutableBufferPointer { m in
                    a.withUnsafeMutableBufferPointer { a in
                        p.grad.data.withUnsafeBufferPointer { g in
                            p.value.data.withUnsafeMutableBufferPointer { w in
                                let vp = v.baseAddress!, gp = g.baseAddress!, wp = w.baseAddress!
                                if !centered && mu == 0 {                       // the default
                                    RMSprop.plainUpdate(v: vp, g: gp, w: wp, count: n, rho: r, oneMinusRho: r1, lr: lr, epsilon: eps)
                                    return
                                }
                                for i in 0..<n {
                                    vp[i] = r * vp[i] + r1 * (gp[i] * gp[i])
                                    var denominator = vp[i] + eps
                                    if centered {
                                        a[i] = r * a[i] + r1 * gp[i]
                                        denominator = vp[i] - a[i] * a[i] + eps
                                    }
                                    let increment = lr * gp[i] / denominator.squareRoot()
                                    if mu > 0 { m[i] = mu * m[i] + increment; wp[i] -= m[i] } else { wp[i] -= increment }
                                }
                            }
                        }
                    }
                }
            }
            velocity[p.name] = v
            if mu > 0 { momentums[p.name] = m }
            if centered { averageGradient[p.name] = a }
        }
        iterations += 1
    }

    /// The default update (no momentum, not centered), in Keras' order of operations.
    /// `.magnitude` (a no-op here: v + ε > 0) tells LLVM the root's argument is never negative,
    /// so on Linux it drops libm's errno path from `sqrtf` and the loop vectorises (~8× faster).
    static func plainUpdate(v: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, w: UnsafeMutablePointer<Float>,
                            count n: Int, rho r: Float, oneMinusRho r1: Float, lr: Float, epsilon eps: Float) {
        for i in 0..<n {
            let vi = r * v[i] + r1 * (g[i] * g[i])
            v[i] = vi
            w[i] -= lr * g[i] / (vi + eps).magnitude.squareRoot()
        }
    }

    public var state: OptimizerState {
        var slots = ["velocity": velocity]
        if !momentums.isEmpty { slots["momentum"] = momentums }
        if !averageGradient.isEmpty { slots["average_gradient"] = averageGradient }
        return OptimizerState(iterations: iterations, slots: slots)
    }

    public func restore(_ state: OptimizerState, parameters: [Parameter]) throws {
        let s = try state.validated(against: parameters)
        iterations = s.iterations
        velocity = s.slots["velocity"] ?? [:]
        momentums = s.slots["momentum"] ?? [:]
        averageGradient = s.slots["average_gradient"] ?? [:]
    }

    public var config: [String: ConfigValue] {
        ["name": .string(kerasName), "learning_rate": .double(Double(learningRate)), "rho": .double(rho),
         "momentum": .double(momentum), "epsilon": .double(epsilon), "centered": .bool(centered)]
            .merging(clipping.config) { a, _ in a }
    }
}
