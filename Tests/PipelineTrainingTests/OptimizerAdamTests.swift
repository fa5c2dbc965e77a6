import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct OptimizerAdamTests {
    @Test func stepsMatchKeras() throws {
        let golden = try Golden.load("layers_optimizers", as: OptimizerGolden.self)
        let cases = golden.cases.filter { $0.optimizer == "adam" }
        #expect(cases.count == 2)
        for c in cases { golden.check(c) }
    }
}
