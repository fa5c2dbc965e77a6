import Testing
import PipelineCore
@testable import PipelineTraining

/// A toy sentiment task: 10 token ids from a vocabulary of 20; label 1 when token 1 occurs.
enum ToyData {
    static func make(samples: Int, seed: UInt64) -> (x: [Float], y: [Float]) {
        var rng = SeededRandom(seed: seed)
        var x: [Float] = [], y: [Float] = []
        for i in 0..<samples {
            var ids = (0..<10).map { _ in Float(2 + rng.nextInt(below: 18)) }
            if i % 2 == 0 { ids[rng.nextInt(below: 10)] = 1 }
            x += ids; y.append(i % 2 == 0 ? 1 : 0)
        }
        return (x, y)
    }

    static func batches(samples: Int, seed: UInt64, size: Int = 32) -> ArrayBatches {
        let (x, y) = make(samples: samples, seed: seed)
        return ArrayBatches(x: x, xShape: [samples, 10], y: y, yShape: [samples, 1], size: size)
    }

    static func model(seed: UInt64 = 42, dropout: Bool = false, lr: Float = 0.01) throws -> Sequential {
        var layers: [any Layer] = [Embedding(inputDim: 20, outputDim: 8), GlobalMaxPooling1D()]
        if dropout { layers.append(Dropout(rate: 0.3)) }
        layers.append(Dense(units: 1, activation: .sigmoid))
        let m = Sequential(layers)
        try m.build(inputShape: [10], seed: seed)
        m.compile(optimizer: RMSprop(learningRate: lr), loss: .binaryCrossentropy(), metrics: [try Metric(keras: "acc")])
        return m
    }
}

/// Repeats a base sequence forever (the Jena generators never end).
struct Endless: AsyncSequence, Sendable {
    typealias Element = Batch
    let base: ArrayBatches
    struct AsyncIterator: AsyncIteratorProtocol {
        let base: ArrayBatches
        var inner: ArrayBatches.AsyncIterator
        mutating func next() async throws -> Batch? {
            if let b = try await inner.next() { return b }
            inner = base.makeAsyncIterator()
            return try await inner.next()
        }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base, inner: base.makeAsyncIterator()) }
}

@Suite struct FitTests {
    @Test func learnsASeparableProblemWithKerasHistoryKeys() async throws {
        let model = try ToyData.model()
        let train = ToyData.batches(samples: 256, seed: 1), val = ToyData.batches(samples: 64, seed: 2)
        var lines: [String] = []
        let history = try await model.fit(trainData: { _ in train }, epochs: 15, validationData: { _ in val },
                                          callbacks: [ProgressLogger { lines.append($0) }])
        #expect(history.keys == ["loss", "acc", "val_loss", "val_acc"])
        #expect(history.epochs == Array(0..<15))
        let loss = try #require(history["loss"]), valAcc = try #require(history["val_acc"])
        #expect(loss.last! < 0.1 && loss.last! < loss.first!)
        #expect(valAcc.last! > 0.95)
        #expect(lines.count == 15)
        #expect(lines[2].hasPrefix("Epoch 3/15 - ") && lines[2].contains("s - loss: ") && lines[2].contains(" - val_acc: "))
        let evaluated = try await model.evaluate(data: val)
        #expect(abs(evaluated["loss"]! - history["val_loss"]!.last!) < 1e-9)
    }

    @Test func sameSeedGivesBitIdenticalWeights() async throws {
        func run(seed: UInt64) async throws -> [Tensor] {
            let model = try ToyData.model(seed: seed, dropout: true)
            let train = ToyData.batches(samples: 128, seed: 3)
            try await model.fit(trainData: { _ in train }, epochs: 3)
            return model.weights()
        }
        let a = try await run(seed: 5), b = try await run(seed: 5), c = try await run(seed: 6)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func stepsPerEpochBoundsEndlessGenerators() async throws {
        let model = try ToyData.model()
        let endless = Endless(base: ToyData.batches(samples: 64, seed: 1, size: 16))
        let opt = try #require(model.optimizer)
        let history = try await model.fit(trainData: { _ in endless }, epochs: 2, stepsPerEpoch: 7,
                                          validationData: { _ in endless }, validationSteps: 3)
        #expect(opt.iterations == 14)
        #expect(history["val_loss"]?.count == 2)
    }

    @Test func emptyEpochAndWrongShapesAreInputErrors() async throws {
        let model = try ToyData.model()
        let empty = ArrayBatches(x: [], xShape: [0, 10], y: [], yShape: [0, 1], size: 8)
        await #expect(throws: InputError.self) { try await model.fit(trainData: { _ in empty }, epochs: 1) }
        let wrong = ArrayBatches(x: [Float](repeating: 1, count: 16), xShape: [2, 8], y: [1, 0], yShape: [2, 1], size: 2)
        await #expect(throws: InputError.self) { try await model.fit(trainData: { _ in wrong }, epochs: 1) }
        let badIds = ArrayBatches(x: [Float](repeating: 25, count: 20), xShape: [2, 10], y: [1, 0], yShape: [2, 1], size: 2)
        await #expect(throws: InputError.self) { try await model.fit(trainData: { _ in badIds }, epochs: 1) }
    }

    @Test func predictOverSequenceMatchesTensorPredict() async throws {
        let model = try ToyData.model()
        let (x, _) = ToyData.make(samples: 50, seed: 9)
        let data = ArrayBatches(x: x, xShape: [50, 10], y: [Float](repeating: 0, count: 50), yShape: [50, 1], size: 16)
        let a = try await model.predict(data: data)
        let b = model.predict(Tensor(shape: [50, 10], data: x), batchSize: 7)
        #expect(a.shape == [50, 1] && a == b)
    }
}

/// The CLI calls `fit` from the main actor and keeps using the model afterwards.
@MainActor @Suite struct FitMainActorTests {
    @Test func fitFromTheMainActorThenKeepUsingTheModel() async throws {
        let model = try ToyData.model()
        let train = ToyData.batches(samples: 64, seed: 1)
        let history = try await model.fit(trainData: { _ in train }, epochs: 1)
        _ = try await model.evaluate(data: train)
        _ = try await model.predict(data: train)
        #expect(history.epochs == [0] && model.summary().contains("embedding"))
    }
}
