import Testing
@testable import PipelineRun

@Suite struct ConfusionMatrixTests {
    @Test func sigmoidRowsOfAnyCountGiveOneClassEach() {
        // 4 rows of one sigmoid value each: 4 predictions (not 2 rows of 2 "classes").
        #expect(ConfusionMatrix.predictedClasses([0.2, 0.7, 0.5, 0.1], width: 1) == [0, 1, 1, 0])
        #expect(ConfusionMatrix.predictedClasses([0.1, 0.7, 0.2, 0.5, 0.3, 0.2], width: 3) == [1, 0])
    }

    @Test func precisionRecallAndJSON() throws {
        var m = ConfusionMatrix(classNames: ["a", "b", "c"])
        for (t, p) in [(0, 0), (0, 1), (1, 1), (1, 1), (2, 1)] { m.add(truth: t, predicted: p) }
        #expect(m.counts == [[1, 1, 0], [0, 2, 0], [0, 1, 0]])
        #expect(m.precision(1) == 0.5)
        #expect(m.recall(0) == 0.5)
        #expect(m.precision(2) == 0)   // nothing predicted as c: 0, as scikit-learn's zero_division=0
        #expect(m.accuracy == 0.6)
        #expect(m.html.contains("<th>precision</th>"))
        #expect(m.json["per_class"]?["b"]?["support"] == .int(2))
    }
}
