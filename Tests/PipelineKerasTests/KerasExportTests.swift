import Foundation
import Testing
import PipelineCore
import PipelineTraining
@testable import PipelineKeras

@Suite struct KerasExportTests {
    static func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keras-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Embedding → Bidirectional(LSTM) (unnamed, as the CLI builds it) → Dropout → Dense, one RMSprop step taken.
    static func trainedModel(seed: UInt64 = 3) async throws -> Sequential {
        let m = Sequential([Embedding(inputDim: 12, outputDim: 4), Bidirectional(LSTM(units: 3, name: ""), name: ""),
                            Dropout(rate: 0.1), Dense(units: 1, activation: .sigmoid)], name: "tiny")
        try m.build(inputShape: [5], seed: seed)
        m.compile(optimizer: RMSprop(learningRate: 0.01), loss: .binaryCrossentropy(), metrics: [try Metric(keras: "acc")])
        let batch = Batch(x: (0..<20).map { Float($0 % 12) }, xShape: [4, 5], y: [1, 0, 1, 0], yShape: [4, 1])
        try await m.fit(trainData: { _ in AsyncThrowingStream<Batch, any Error> { c in c.yield(batch); c.finish() } }, epochs: 1)
        return m
    }

    @Test func bidirectionalWeightsHaveKerasNames() async throws {
        let m = try await Self.trainedModel()
        let names = m.parameters.map(\.name)
        #expect(names.contains("bidirectional/forward_lstm/kernel"))
        #expect(names.contains("bidirectional/backward_lstm/recurrent_kernel"))
        #expect(!names.contains { $0.contains("forward_/") || $0.contains("backward_/") })
    }

    @Test func exportedWeightsFollowKerasLayout() async throws {
        let dir = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let m = try await Self.trainedModel()
        try ModelStore.save(m, to: dir + "/model.safetensors")
        let result = try KerasExport.export(weights: dir + "/model.safetensors", to: dir + "/model.keras", producer: "test")
        #expect(result.optimizerState && result.layers == 4 && result.parameters == m.parameterCount)

        let entries = try StoredZip.entries(of: Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/model.keras"))))
        #expect(entries.map(\.name) == ["metadata.json", "config.json", "model.weights.h5"])
        let h5 = try HDF5Image.contents(of: entries[2].bytes)
        let byPath = Dictionary(h5.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let datasets = h5.filter(\.isDataset)
        func shape(_ path: String) -> [Int]? { byPath[path].flatMap { $0.isDataset ? $0.shape : nil } }
        #expect(shape("layers/embedding/vars/0") == [12, 4])
        for direction in ["forward", "backward"] {
            #expect(shape("layers/bidirectional/\(direction)_layer/cell/vars/0") == [4, 12])
            #expect(shape("layers/bidirectional/\(direction)_layer/cell/vars/1") == [3, 12])
            #expect(shape("layers/bidirectional/\(direction)_layer/cell/vars/2") == [12])
            #expect(byPath["layers/bidirectional/\(direction)_layer/vars"]?.attributes["name"] == "\(direction)_lstm")
            #expect(byPath["layers/bidirectional/\(direction)_layer/cell/vars"]?.attributes["name"] == "lstm_cell")
        }
        #expect(shape("layers/dense/vars/0") == [6, 1] && shape("layers/dense/vars/1") == [1])
        #expect(byPath["layers/dropout/vars"]?.isDataset == false && byPath["vars"]?.isDataset == false)
        // Optimizer: iterations (int64 scalar), learning rate, then one velocity per weight in model order.
        #expect(byPath["optimizer/vars/0"]?.dtype == "int64" && shape("optimizer/vars/0") == [])
        #expect(shape("optimizer/vars/1") == [] && byPath["optimizer/vars/1"]?.values == [0.01])
        #expect(shape("optimizer/vars/2") == [12, 4] && shape("optimizer/vars/10") == [1] && shape("optimizer/vars/11") == nil)
        #expect(datasets.filter { !$0.path.hasPrefix("optimizer/") }.count == 9)
        #expect(datasets.filter { $0.path != "optimizer/vars/0" }.allSatisfy { $0.dtype == "float32" })
        // The values are the model's, bit for bit.
        let kernel = m.parameters.first { $0.name == "bidirectional/backward_lstm/kernel" }!.value
        #expect(byPath["layers/bidirectional/backward_layer/cell/vars/0"]?.values == kernel.data)

        let config = try JSONValue.parse(entries[1].bytes)
        #expect(config["module"]?.string == "keras" && config["class_name"]?.string == "Sequential")
        let metadata = try JSONValue.parse(entries[0].bytes)
        #expect(metadata["keras_version"]?.string == KerasExport.kerasVersion && metadata["date_saved"]?.string?.contains("@") == true)
    }

    @Test func modelJSONIsKerasSerialization() async throws {
        let dir = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let m = try await Self.trainedModel()
        try ModelStore.save(m, to: dir + "/model.safetensors")
        let json = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/model.json"))))
        #expect(json["module"]?.string == "keras" && json["registered_name"] == .null)
        let layers = json["config"]?["layers"]?.array ?? []
        #expect(layers.map { $0["class_name"]?.string ?? "" } == ["InputLayer", "Embedding", "Bidirectional", "Dropout", "Dense"])
        #expect(layers.allSatisfy { $0["module"]?.string == "keras.layers" && $0["registered_name"] == .null })
        #expect(layers[0]["config"]?["batch_shape"] == .array([.null, .int(5)]))
        let inner = layers[2]["config"]?["layer"]
        #expect(inner?["class_name"]?.string == "LSTM" && inner?["config"]?["name"]?.string == "forward_lstm")
        #expect(inner?["config"]?["units"] == .int(3))
        let compile = json["compile_config"]
        #expect(compile?["from_logits"] == nil && compile?["loss"]?.string == "binary_crossentropy")
        #expect(compile?["optimizer"]?["class_name"]?.string == "RMSprop" && compile?["optimizer"]?["module"]?.string == "keras.optimizers")
        // And it reads back as the same ModelConfig.
        let back = try ModelStore.readConfig(from: dir + "/model.json")
        #expect(back.layers.map(\.className) == m.modelConfig.layers.map(\.className))
        for (a, b) in zip(back.layers, m.modelConfig.layers) { #expect(Set(a.config.keys) == Set(b.config.keys), "\(a.className)") }
        #expect(back.compile?.loss == "binary_crossentropy" && back.compile?.fromLogits == false && back.seed == 3 && back.inputShape == [5])
    }

    @Test func fromLogitsLossIsALossObjectAndReadsBack() throws {
        var config = ModelConfig(name: "m", layers: [.init(className: "Dense", config: ["name": .string("dense"), "units": .int(3)])],
                                 inputShape: [4], seed: 1,
                                 compile: .init(optimizer: ["name": .string("adam"), "learning_rate": .double(0.001)],
                                                loss: "sparse_categorical_crossentropy", fromLogits: true, metrics: ["sparse_categorical_accuracy"]))
        let loss = config.keras["compile_config"]?["loss"]
        #expect(loss?["class_name"]?.string == "SparseCategoricalCrossentropy" && loss?["config"]?["from_logits"] == .bool(true))
        let data = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(ModelConfig.self, from: data) == config)
        config.compile?.fromLogits = false
        #expect(config.keras["compile_config"]?["loss"]?.string == "sparse_categorical_crossentropy")
    }

    /// A file in the naming used before (`bidirectional/forward_/kernel`), written here with the
    /// old names and the old model.json layout, still restores, optimizer state included.
    @Test func checkpointWithOldBidirectionalNamesStillLoads() async throws {
        let dir = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let m = try await Self.trainedModel()
        try ModelStore.save(m, to: dir + "/new.safetensors")
        let (tensors, metadata) = try ModelStore.readTensors(from: dir + "/new.safetensors")
        func old(_ name: String) -> String {
            name.replacingOccurrences(of: "forward_lstm/", with: "forward_/").replacingOccurrences(of: "backward_lstm/", with: "backward_/")
        }
        let renamed = tensors.sorted { $0.key < $1.key }.map { (name: old($0.key), tensor: $0.value) }
        #expect(renamed.contains { $0.name == "bidirectional/forward_/kernel" } && renamed.contains { $0.name == "optimizer/velocity/bidirectional/backward_/bias" })
        var oldMetadata = metadata
        // The old model.json layout: flat layer configs (LayerEntry's own encoding), Bidirectional's `layer` a string.
        let oldLayers = String(decoding: try JSONEncoder().encode(m.modelConfig.layers), as: UTF8.self)
        #expect(oldLayers.contains(#""layer":"LSTM""#))
        oldMetadata["model_config"] = #"{"class_name": "Sequential", "config": {"name": "tiny", "layers": "# + oldLayers
            + #"}, "build_config": {"input_shape": [null, 5]}, "compile_config": {"optimizer": {"name": "rmsprop", "learning_rate": 0.01}, "loss": "binary_crossentropy", "from_logits": false, "metrics": ["acc"]}, "seed": 3}"#
        try AtomicFile.write(Safetensors.encode(renamed, metadata: oldMetadata), to: dir + "/old.safetensors")

        let twin = Sequential([Embedding(inputDim: 12, outputDim: 4), Bidirectional(LSTM(units: 3, name: ""), name: ""),
                               Dropout(rate: 0.1), Dense(units: 1, activation: .sigmoid)], name: "tiny")
        try twin.build(inputShape: [5], seed: 77)
        twin.compile(optimizer: RMSprop(learningRate: 0.01), loss: .binaryCrossentropy(), metrics: [try Metric(keras: "acc")])
        try ModelStore.restore(twin, from: dir + "/old.safetensors")
        #expect(twin.weights() == m.weights())
        #expect(twin.optimizer!.state == m.optimizer!.state)
        #expect(twin.seed == 3)

        // The exporter maps the old names too.
        let result = try KerasExport.export(weights: dir + "/old.safetensors", to: dir + "/old.keras", producer: "test")
        #expect(result.parameters == m.parameterCount)
    }

    @Test func legacyNames() {
        #expect(ModelStore.legacyName(of: "bidirectional/forward_lstm/kernel") == "bidirectional/forward_/kernel")
        #expect(ModelStore.legacyName(of: "bidirectional_1/backward_gru/bias") == "bidirectional_1/backward_/bias")
        #expect(ModelStore.legacyName(of: "dense/kernel") == nil)
        #expect(ModelStore.legacyName(of: "bidirectional/forward_/kernel") == nil)
    }
}
