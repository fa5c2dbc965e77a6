import Foundation
import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct ModelStoreTests {
    static func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func convModel(seed: UInt64) throws -> Sequential {
        let m = Sequential([Embedding(inputDim: 20, outputDim: 6), Conv1D(filters: 4, kernelSize: 3, padding: .same, activation: .relu),
                            MaxPooling1D(poolSize: 2), GlobalMaxPooling1D(), Dropout(rate: 0.2), Dense(units: 1, activation: .sigmoid)])
        try m.build(inputShape: [10], seed: seed)
        m.compile(optimizer: RMSprop(learningRate: 0.01, momentum: 0.5), loss: .binaryCrossentropy(), metrics: [try Metric(keras: "acc")])
        return m
    }

    @Test func roundTripReproducesPredictionsAndTrainingBitForBit() async throws {
        let dir = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try Self.convModel(seed: 1)
        let train = ToyData.batches(samples: 96, seed: 4)
        try await model.fit(trainData: { _ in train }, epochs: 2)
        try ModelStore.save(model, to: dir + "/model.safetensors")

        let twin = try Self.convModel(seed: 99)
        let x = Tensor(shape: [96, 10], data: train.x)
        #expect(twin.predict(x) != model.predict(x))
        try ModelStore.restore(twin, from: dir + "/model.safetensors")
        #expect(twin.predict(x) == model.predict(x))
        #expect(twin.optimizer!.state == model.optimizer!.state)
        #expect(twin.optimizer!.iterations == 6)

        // Resuming: one more epoch on both gives the same weights.
        try await model.fit(trainData: { _ in train }, epochs: 3, initialEpoch: 2)
        try await twin.fit(trainData: { _ in train }, epochs: 3, initialEpoch: 2)
        #expect(twin.weights() == model.weights())
    }

    @Test func configIsKerasShapedJSON() throws {
        let dir = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try Self.convModel(seed: 1)
        try ModelStore.save(model, to: dir + "/model.safetensors")
        let config = try ModelStore.readConfig(from: dir + "/model.json")
        #expect(config == model.modelConfig)
        #expect(config.layers.map(\.className) == ["Embedding", "Conv1D", "MaxPooling1D", "GlobalMaxPooling1D", "Dropout", "Dense"])
        #expect(config.layers[1].config["kernel_size"] == .list([.int(3)]))
        #expect(config.inputShape == [10] && config.seed == 1)
        #expect(config.compile?.loss == "binary_crossentropy" && config.compile?.metrics == ["acc"])
        let text = try String(contentsOfFile: dir + "/model.json", encoding: .utf8)
        #expect(text.contains("\"class_name\" : \"Sequential\"") && text.contains("\"input_shape\" : [\n      null,"))
        let (_, metadata) = try ModelStore.readTensors(from: dir + "/model.safetensors")
        #expect(metadata["model_config"].map { $0 + "\n" } == text)
    }

    @Test func mismatchedModelsAndBadFilesAreReported() throws {
        let dir = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try Self.convModel(seed: 1)
        try ModelStore.save(model, to: dir + "/m.safetensors")
        let other = Sequential([Embedding(inputDim: 21, outputDim: 6, name: "embedding")])
        try other.build(inputShape: [10], seed: 1)
        #expect(throws: InputError.self) { try ModelStore.restore(other, from: dir + "/m.safetensors") }
        try AtomicFile.write([1, 2, 3], to: dir + "/bad.safetensors")
        #expect(throws: IOFailure.self) { try ModelStore.restore(model, from: dir + "/bad.safetensors") }
        #expect(throws: IOFailure.self) { try ModelStore.restore(model, from: dir + "/missing.safetensors") }
    }
}
