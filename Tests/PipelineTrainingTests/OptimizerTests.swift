import Testing
import PipelineCore
@testable import PipelineTraining

struct OptimizerGolden: Decodable {
    struct Case: Decodable {
        var optimizer: String
        var config: [String: ConfigValue]
        var after: [[GoldenTensor]]
    }
    var `init`: [GoldenTensor]
    var grads: [[GoldenTensor]]
    var cases: [Case]

    /// Builds our optimizer from the Keras config of a golden case.
    static func make(_ c: Case) -> any Optimizer {
        func d(_ k: String) -> Double? {
            switch c.config[k] { case .double(let v): v; case .int(let v): Double(v); default: nil }
        }
        func b(_ k: String) -> Bool { if case .bool(let v) = c.config[k] { v } else { false } }
        let clipping: GradientClipping = d("clipnorm").map { .clipnorm(Float($0)) }
            ?? d("global_clipnorm").map { .globalClipnorm(Float($0)) } ?? .none
        switch c.optimizer {
        case "rmsprop":
            return RMSprop(learningRate: Float(d("learning_rate") ?? 1e-3), rho: d("rho") ?? 0.9, momentum: d("momentum") ?? 0,
                           epsilon: d("epsilon") ?? 1e-7, centered: b("centered"), clipping: clipping)
        case "adam": return Adam(learningRate: Float(d("learning_rate") ?? 1e-3), clipping: clipping)
        default: return SGD(learningRate: Float(d("learning_rate") ?? 0.01), momentum: d("momentum") ?? 0, nesterov: b("nesterov"), clipping: clipping)
        }
    }

    /// Runs every step of a case and records mismatches against Keras' weights after each step.
    func check(_ c: Case, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let params = self.`init`.enumerated().map { Parameter(name: "w\($0.offset)", value: $0.element.tensor) }
        let opt = Self.make(c)
        for (step, grads) in self.grads.enumerated() {
            for (p, g) in zip(params, grads) { p.grad = g.tensor }
            opt.apply(params)
            for (i, p) in params.enumerated() {
                checkClose(p.value.data, c.after[step][i].data, tolerance: 2e-6,
                                               "\(c.optimizer) \(c.config) step \(step + 1) w\(i)", sourceLocation: sourceLocation)
            }
        }
        #expect(opt.iterations == grads.count, sourceLocation: sourceLocation)
    }
}

@Suite struct OptimizerTests {
    @Test func clippingMatchesKerasFormulas() {
        let p = Parameter(name: "w", value: Tensor(shape: [2], data: [0, 0]))
        p.grad = Tensor(shape: [2], data: [3, 4])                  // norm 5
        GradientClipping.clipnorm(1).clip([p])
        #expect(abs(p.grad.data[0] - 0.6) < 1e-7 && abs(p.grad.data[1] - 0.8) < 1e-7)
        p.grad = Tensor(shape: [2], data: [0.3, 0.4])              // below the threshold: unchanged
        GradientClipping.clipnorm(1).clip([p])
        #expect(p.grad.data == [0.3, 0.4])
        let q = Parameter(name: "q", value: Tensor(shape: [1], data: [0]))
        p.grad = Tensor(shape: [2], data: [3, 0]); q.grad = Tensor(shape: [1], data: [4])
        GradientClipping.globalClipnorm(2.5).clip([p, q])           // global norm 5 → halve
        #expect(abs(p.grad.data[0] - 1.5) < 1e-6 && abs(q.grad.data[0] - 2) < 1e-6)
    }

    @Test func stateRestoresAndRejectsMismatchedSizes() throws {
        let p = Parameter(name: "w", value: Tensor(shape: [3], data: [1, 2, 3]))
        let a = Adam()
        p.grad = Tensor(shape: [3], data: [0.1, -0.2, 0.3]); a.apply([p])
        let b = Adam()
        try b.restore(a.state, parameters: [p])
        #expect(b.state == a.state)
        let pa = Parameter(name: "w", value: p.value), pb = Parameter(name: "w", value: p.value)
        pa.grad = p.grad; pb.grad = p.grad
        a.apply([pa]); b.apply([pb])
        #expect(pa.value == pb.value)
        let other = Parameter(name: "w", value: Tensor(shape: [2]))
        #expect(throws: InputError.self) { try Adam().restore(a.state, parameters: [other]) }
    }
}
