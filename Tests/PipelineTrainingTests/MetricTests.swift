import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct MetricTests {
    @Test func binaryAccuracyMatchesKeras() throws {
        let g = try Golden.load("layers_losses", as: LossGolden.self)
        let (sum, count) = try Metric(keras: "acc").accumulate(prediction: g.probabilities.tensor, target: g.target.data)
        #expect(count == g.target.shape[0])
        #expect(abs(Float(sum / Double(count)) - g.binary_accuracy) < 1e-6)
    }

    @Test func namesAreKeptAsGiven() throws {
        #expect(try Metric(keras: "acc").name == "acc")
        #expect(try Metric(keras: "accuracy").kind == .binaryAccuracy)
        #expect(try Metric(keras: "mae").kind == .meanAbsoluteError)
        #expect(throws: InputError.self) { try Metric(keras: "f1") }
    }

    @Test func maeAveragesOverTheLastAxisThenSamples() throws {
        let p = Tensor(shape: [2, 2], data: [1, 2, 3, 4]), t: [Float] = [0, 0, 3, 2]
        let (sum, count) = try Metric(keras: "mae").accumulate(prediction: p, target: t)
        #expect(count == 2)
        #expect(sum == 1.5 + 1.0)
    }
}
