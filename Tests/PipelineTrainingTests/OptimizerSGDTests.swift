import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct OptimizerSGDTests {
    @Test func stepsMatchKeras() throws {
        let golden = try Golden.load("layers_optimizers", as: OptimizerGolden.self)
        let cases = golden.cases.filter { $0.optimizer == "sgd" }
        #expect(cases.count == 3)
        for c in cases { golden.check(c) }
    }
}
