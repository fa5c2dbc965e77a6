import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct MetricCategoricalTests {
    @Test func accuraciesMatchKerasIncludingTies() throws {
        let g = try CategoricalGolden.load().metrics
        let p = g.prediction.tensor
        for (name, target, expected) in [("sparse_categorical_accuracy", g.labels.data, g.sparse_categorical_accuracy),
                                         ("categorical_accuracy", g.onehot.data, g.categorical_accuracy)] {
            let (sum, count) = try Metric(keras: name).accumulate(prediction: p, target: target)
            #expect(count == 7, "\(name)")
            #expect(abs(Float(sum / Double(count)) - expected) < 1e-6, "\(name): \(sum / Double(count)) vs \(expected)")
        }
        #expect(abs(g.sparse_categorical_accuracy_column - g.sparse_categorical_accuracy) < 1e-7)   // [B, 1] same as [B]
    }

    @Test func accuracyIsResolvedFromTheLossAsKeras() throws {
        let resolved = try CategoricalGolden.load().metrics.resolved_accuracy
        let kinds: [String: Metric.Kind] = ["BinaryAccuracy": .binaryAccuracy, "SparseCategoricalAccuracy": .sparseCategoricalAccuracy,
                                            "CategoricalAccuracy": .categoricalAccuracy]
        for (lossName, kerasClass) in resolved {
            let loss = try Loss(keras: lossName.replacingOccurrences(of: "_column", with: ""))
            for name in ["acc", "accuracy"] {
                let m = try Metric(keras: name, for: loss)
                #expect(m.kind == kinds[kerasClass], "\(name) with \(lossName): \(m.kind), Keras \(kerasClass)")
                #expect(m.name == name)      // logged under the name asked for
            }
        }
        #expect(resolved.count == 4)
        #expect(try Metric(keras: "accuracy").kind == .binaryAccuracy)     // without a loss: binary, as before
        #expect(try Metric(keras: "sparse_categorical_accuracy", for: .meanSquaredError).kind == .sparseCategoricalAccuracy)
    }

    @Test func outOfRangeIdsCountAsMissesNotCrashes() throws {
        let p = Tensor(shape: [3, 2], data: [0.9, 0.1, 0.2, 0.8, 0.6, 0.4])
        let (sum, count) = try Metric(keras: "sparse_categorical_accuracy").accumulate(prediction: p, target: [0, 7, .nan])
        #expect(sum == 1 && count == 3)
    }

    @Test func sequenceOutputsCountEveryRow() throws {
        // [B=2, T=2, C=2] predictions with [B, T] class ids: 4 rows.
        let p = Tensor(shape: [2, 2, 2], data: [0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.3, 0.7])
        let (sum, count) = try Metric(keras: "sparse_categorical_accuracy").accumulate(prediction: p, target: [0, 1, 1, 1])
        #expect(sum == 3 && count == 4)
    }
}
