import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct OptimizerRMSpropTests {
    @Test func stepsMatchKeras() throws {
        let golden = try Golden.load("layers_optimizers", as: OptimizerGolden.self)
        let cases = golden.cases.filter { $0.optimizer == "rmsprop" }
        #expect(cases.count == 6)                      // plain, momentum, centered, clipnorm, global_clipnorm, custom
        for c in cases { golden.check(c) }
    }

    @Test func kerasDefaults() {
        let o = RMSprop()
        #expect(o.learningRate == 1e-3 && o.rho == 0.9 && o.epsilon == 1e-7 && o.momentum == 0 && !o.centered)
        #expect(o.config["rho"] == .double(0.9))
    }
}
