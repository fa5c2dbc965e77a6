/// Stochastic gradient descent with optional momentum, as Keras 3's `SGD`.
///
/// ```swift
/// let opt = SGD(learningRate: 0.01, momentum: 0.9)
/// ```
///
/// Update (float32): without momentum `w ← w − lr·g`; with momentum `m ← μ·m − lr·g`, then
/// `w ← w + m`, or with `nesterov` `w ← w + μ·m − lr·g`. Slot `momentum`. Defaults as Keras:
/// learning_rate 0.01, momentum 0, nesterov false. Cost: two flops per weight.
public final class SGD: Optimizer {
    public let kerasName = "sgd"
    public var learningRate: Float
    public let momentum: Double
    public let nesterov: Bool
    public let clipping: GradientClipping
    public private(set) var iterations = 0
    private var momentums: [String: [Float]] = [:]

    public init(learningRate: Float = 0.01, momentum: Double = 0, nesterov: Bool = false,
                clipping: GradientClipping = .none) {
        self.learningRate = learningRate; self.momentum = momentum; self.nesterov = nesterov; self.clipping = clipping
    }

    public func apply(_ parameters: [Parameter]) {
        clipping.clip(parameters)
        let lr = learningRate, mu = Float(momentum)
        for p in parameters {
            let n = p.value.count
            if momentum == 0 {
                p.grad.data.withUnsafeBufferPointer { g in
                    p.value.data.withUnsafeMutableBufferPointer { w in for i in 0..<n { w[i] -= g[i] * lr } }
                }
                continue
            }
            var m = momentums.removeValue(forKey: p.name) ?? [Float](repeating: 0, count: n)
            m.withUnsafeMutableBufferPointer { m in
                p.grad.data.withUnsafeBufferPointer { g in
                    p.value.data.withUnsafeMutableBufferPointer { w in
                        for i in 0..<n {
                            m[i] = m[i] * mu - g[i] * lr
                            w[i] += nesterov ? m[i] * mu - g[i] * lr : m[i]
                        }
                    }
                }
            }
            momentums[p.name] = m
        }
        iterations += 1
    }

    public var state: OptimizerState { OptimizerState(iterations: iterations, slots: ["momentum": momentums]) }

    public func restore(_ state: OptimizerState, parameters: [Parameter]) throws {
        let s = try state.validated(against: parameters)
        iterations = s.iterations; momentums = s.slots["momentum"] ?? [:]
    }

    public var config: [String: ConfigValue] {
        ["name": .string(kerasName), "learning_rate": .double(Double(learningRate)),
         "momentum": .double(momentum), "nesterov": .bool(nesterov)]
            .merging(clipping.config) { a, _ in a }
    }
}
