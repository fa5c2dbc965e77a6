import Foundation
import Testing
import PipelineCore
@testable import PipelineTraining

/// Three Gaussian blobs in the plane (class k centred at angle 2πk/3, radius 2, σ = 0.5).
enum Blobs {
    static func make(samples: Int, seed: UInt64) -> (x: [Float], y: [Float]) {
        var rng = SeededRandom(seed: seed)
        func normal() -> Float {              // Box–Muller
            let u = max(rng.nextFloat(), 1e-7), v = rng.nextFloat()
            return (-2 * logf(u)).squareRoot() * cosf(2 * .pi * v)
        }
        var x: [Float] = [], y: [Float] = []
        for i in 0..<samples {
            let k = i % 3, a = 2 * Float.pi * Float(k) / 3
            x += [2 * cosf(a) + 0.5 * normal(), 2 * sinf(a) + 0.5 * normal()]
            y.append(Float(k))
        }
        return (x, y)
    }
}

@Suite struct CategoricalTrainingTests {
    /// Keras' compiled train step (`train_on_batch`, SGD 0.5, 3 steps) on Dense(softmax) models,
    /// with and without a hidden ReLU layer, sparse and one-hot labels, probabilities and logits.
    @Test func sgdStepsMatchKerasTrainOnBatch() throws {
        let g = try CategoricalGolden.load().training
        #expect(g.cases.count == 5)
        for c in g.cases {
            var layers: [any Layer] = []
            if c.hidden { layers.append(Dense(units: 4, activation: .relu)) }
            layers.append(Dense(units: 3, activation: Activation(keras: c.activation)!))
            let model = Sequential(layers)
            try model.build(inputShape: [5], seed: 1)
            for (p, w) in zip(model.parameters, c.initial) { p.value = w.tensor }
            let fromLogits = c.loss.hasSuffix("_from_logits")
            let loss = try Loss(keras: c.loss.replacingOccurrences(of: "_from_logits", with: ""), fromLogits: fromLogits)
            model.compile(optimizer: SGD(learningRate: g.learning_rate), loss: loss,
                          metrics: [try Metric(keras: "accuracy", for: loss)])
            let batch = Batch(x: g.x.data, xShape: g.x.shape, y: c.y.data, yShape: c.y.shape)
            var losses: [Float] = []
            for step in 0..<g.steps { losses.append(try model.trainStep(batch, step: step).loss) }
            checkClose(losses, c.losses, tolerance: 1e-5, "\(c.name) losses")
            for (p, w) in zip(model.parameters, c.final) {
                checkClose(p.value.data, w.data, tolerance: 1e-5, "\(c.name) \(p.name) after \(g.steps) steps")
            }
        }
    }

    @Test(arguments: [false, true])
    func learnsThreeClassesAbove90Percent(columnLabels: Bool) async throws {
        let (x, y) = Blobs.make(samples: 300, seed: 7), (vx, vy) = Blobs.make(samples: 150, seed: 8)
        let yShape = columnLabels ? [300, 1] : [300]
        let train = ArrayBatches(x: x, xShape: [300, 2], y: y, yShape: yShape, size: 32)
        let val = ArrayBatches(x: vx, xShape: [150, 2], y: vy, yShape: columnLabels ? [150, 1] : [150], size: 32)
        let model = Sequential([Dense(units: 8, activation: .relu), Dense(units: 3, activation: .softmax)])
        try model.build(inputShape: [2], seed: 42)
        let loss = Loss.sparseCategoricalCrossentropy()
        model.compile(optimizer: Adam(learningRate: 0.05), loss: loss, metrics: [try Metric(keras: "accuracy", for: loss)])
        let history = try await model.fit(trainData: { _ in train }, epochs: 5, validationData: { _ in val })
        #expect(history.keys == ["loss", "accuracy", "val_loss", "val_accuracy"])
        let acc = try #require(history["accuracy"]), valAcc = try #require(history["val_accuracy"]), loss_ = try #require(history["loss"])
        #expect(valAcc.last! > 0.9 && acc.last! > 0.9, "accuracy \(acc), val_accuracy \(valAcc)")
        #expect(loss_.last! < loss_.first!)
        // Same seed, same data: bit-identical weights (determinism).
        let again = Sequential([Dense(units: 8, activation: .relu), Dense(units: 3, activation: .softmax)])
        try again.build(inputShape: [2], seed: 42)
        again.compile(optimizer: Adam(learningRate: 0.05), loss: loss, metrics: [])
        try await again.fit(trainData: { _ in train }, epochs: 5)
        #expect(zip(model.parameters, again.parameters).allSatisfy { $0.value.data == $1.value.data })
    }

    @Test func oneHotLabelsTrainWithCategoricalCrossentropy() async throws {
        let (x, y) = Blobs.make(samples: 300, seed: 7)
        let onehot = y.flatMap { id in (0..<3).map { Float($0) == id ? Float(1) : 0 } }
        let train = ArrayBatches(x: x, xShape: [300, 2], y: onehot, yShape: [300, 3], size: 32)
        let model = Sequential([Dense(units: 3)])            // linear: logits
        try model.build(inputShape: [2], seed: 3)
        let loss = Loss.categoricalCrossentropy(fromLogits: true)
        model.compile(optimizer: Adam(learningRate: 0.05), loss: loss, metrics: [try Metric(keras: "acc", for: loss)])
        let history = try await model.fit(trainData: { _ in train }, epochs: 5)
        #expect(try #require(history["acc"]).last! > 0.9)
    }

    @Test(arguments: [(Float(3), "label 3.0"), (-1, "label -1.0"), (1.5, "label 1.5"), (.nan, "label nan"), (.infinity, "label inf")])
    func labelsOutsideTheClassesAreAnErrorNamingTheSample(bad: Float, text: String) async throws {
        let model = Sequential([Dense(units: 3, activation: .softmax)])
        try model.build(inputShape: [2], seed: 1)
        model.compile(optimizer: SGD(), loss: .sparseCategoricalCrossentropy(), metrics: [try Metric(keras: "accuracy", for: .sparseCategoricalCrossentropy())])
        let before = model.parameters.map(\.value.data)
        let batch = Batch(x: [Float](repeating: 0.5, count: 8), xShape: [4, 2], y: [0, 2, bad, 1], yShape: [4, 1], sampleOffset: 64)
        let e = #expect(throws: InputError.self) { try model.trainStep(batch) }
        let message = e?.description ?? ""
        #expect(message.contains("sample 66") && message.contains(text) && message.contains("3 classes"), "\(message)")
        #expect(model.parameters.map(\.value.data) == before)              // nothing applied
        // evaluate reports it too, rather than a NaN or a trap.
        await #expect(throws: InputError.self) {
            _ = try await model.evaluate(data: ArrayBatches(x: batch.x, xShape: [4, 2], y: batch.y, yShape: [4], size: 4))
        }
    }

    @Test func targetsOfTheWrongSizeAreAnError() throws {
        let model = Sequential([Dense(units: 3, activation: .softmax)])
        try model.build(inputShape: [2], seed: 1)
        model.compile(optimizer: SGD(), loss: .categoricalCrossentropy())
        // Class ids given to the one-hot loss: [4] values for a [4, 3] output.
        let batch = Batch(x: [Float](repeating: 0.5, count: 8), xShape: [4, 2], y: [0, 2, 1, 1], yShape: [4])
        let e = #expect(throws: InputError.self) { try model.trainStep(batch) }
        #expect(e?.description.contains("categorical_crossentropy") == true, "\(e?.description ?? "")")
        #expect(e?.hint?.contains("one-hot") == true)
    }
}
