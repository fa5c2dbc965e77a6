#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam with Keras 3's defaults and update (bias correction folded into the step size).
///
/// ```swift
/// let opt = Adam()                        // learning_rate 1e-3, beta_1 0.9, beta_2 0.999, ε 1e-7
/// ```
///
/// Update at step `t = iterations + 1` (float32): `α = lr·√(1−β₂ᵗ)/(1−β₁ᵗ)`,
/// `m ← m + (g−m)(1−β₁)`, `v ← v + (g²−v)(1−β₂)`, `w ← w − m·α / (√v + ε)` (ε **outside**
/// the root, unlike RMSprop). Slots `momentum` and `velocity`. Cost: a few flops per weight.
public final class Adam: Optimizer {
    public let kerasName = "adam"
    public var learningRate: Float
    public let beta1: Double, beta2: Double, epsilon: Double
    public let clipping: GradientClipping
    public private(set) var iterations = 0
    private var momentums: [String: [Float]] = [:]
    private var velocities: [String: [Float]] = [:]

    public init(learningRate: Float = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7,
                clipping: GradientClipping = .none) {
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2
        self.epsilon = epsilon; self.clipping = clipping
    }

    public func apply(_ parameters: [Parameter]) {
        clipping.clip(parameters)
        let step = Float(iterations + 1), b1 = Float(beta1), b2 = Float(beta2), eps = Float(epsilon)
        let alpha = learningRate * (1 - powf(b2, step)).squareRoot() / (1 - powf(b1, step))
        let c1 = Float(1 - beta1), c2 = Float(1 - beta2)
        for p in parameters {
            let n = p.value.count
            var m = momentums.removeValue(forKey: p.name) ?? [Float](repeating: 0, count: n)
            var v = velocities.removeValue(forKey: p.name) ?? [Float](repeating: 0, count: n)
            m.withUnsafeMutableBufferPointer { m in
                v.withUnsafeMutableBufferPointer { v in
                    p.grad.data.withUnsafeBufferPointer { g in
                        p.value.data.withUnsafeMutableBufferPointer { w in
                            for i in 0..<n {
                                m[i] += (g[i] - m[i]) * c1
                                v[i] += (g[i] * g[i] - v[i]) * c2
                                w[i] -= m[i] * alpha / (v[i].squareRoot() + eps)
                            }
                        }
                    }
                }
            }
            momentums[p.name] = m; velocities[p.name] = v
        }
        iterations += 1
    }

    public var state: OptimizerState {
        OptimizerState(iterations: iterations, slots: ["momentum": momentums, "velocity": velocities])
    }

    public func restore(_ state: OptimizerState, parameters: [Parameter]) throws {
        let s = try state.validated(against: parameters)
        iterations = s.iterations
        momentums = s.slots["momentum"] ?? [:]; velocities = s.slots["velocity"] ?? [:]
    }

    public var config: [String: ConfigValue] {
        ["name": .string(kerasName), "learning_rate": .double(Double(learningRate)), "beta_1": .double(beta1),
         "beta_2": .double(beta2), "epsilon": .double(epsilon), "amsgrad": .bool(false)]
            .merging(clipping.config) { a, _ in a }
    }
}
