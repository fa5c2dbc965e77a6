import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct SequentialTests {
    @Test func namesLayersAsKeras() throws {
        let model = Sequential([Embedding(inputDim: 100, outputDim: 8), Conv1D(filters: 4, kernelSize: 3),
                                MaxPooling1D(poolSize: 2), GlobalMaxPooling1D(), Dense(units: 4), Dropout(rate: 0.5),
                                Dense(units: 1, name: "out"), Dense(units: 1)])
        try model.build(inputShape: [20], seed: 1)
        #expect(model.layers.map(\.name) == ["embedding", "conv1d", "max_pooling1d", "global_max_pooling1d",
                                             "dense", "dropout", "out", "dense_1"])
        #expect(Sequential.snakeCase("SimpleRNN") == "simple_rnn")
        #expect(Sequential.snakeCase("LSTM") == "lstm")
        #expect(Sequential.snakeCase("GRU") == "gru")
        #expect(model.parameters.first?.name == "embedding/embeddings")
    }

    @Test func duplicateNamesAreRejected() {
        let model = Sequential([Dense(units: 2, name: "a"), Dense(units: 1, name: "a")])
        #expect(throws: InputError.self) { try model.build(inputShape: [3], seed: 1) }
    }

    @Test func shapesThatDoNotChainNameBothLayers() throws {
        let model = Sequential([Embedding(inputDim: 10, outputDim: 4), GlobalMaxPooling1D(), Conv1D(filters: 2, kernelSize: 3)])
        let error = try #require(throws: InputError.self) { try model.build(inputShape: [7], seed: 1) }
        #expect(error.description.contains("'conv1d' (Conv1D)"))
        #expect(error.description.contains("'global_max_pooling1d' (GlobalMaxPooling1D)"))
        #expect(error.description.contains("(None, 4)"))
    }

    @Test func parameterTotalsMatchKeras() throws {
        // Keras 3 summaries: 320,000 / 33 / 107,585 / 327,233 (see scripts/goldens/training_layers.py's docstring)
        let embedding = Sequential([Embedding(inputDim: 10_000, outputDim: 32)])
        try embedding.build(inputShape: [500], seed: 1)
        #expect(embedding.parameterCount == 320_000)
        let head = Sequential([Dense(units: 1)])
        try head.build(inputShape: [32], seed: 1)
        #expect(head.parameterCount == 33)
        let jena = Sequential([Flatten(), Dense(units: 32, activation: .relu), Dense(units: 1)])
        try jena.build(inputShape: [240, 14], seed: 1)
        #expect(jena.parameterCount == 107_585)
        #expect(jena.outputShapes == [[3360], [32], [1]])
        let conv = Sequential([Embedding(inputDim: 10_000, outputDim: 32), Conv1D(filters: 32, kernelSize: 7, activation: .relu),
                               MaxPooling1D(poolSize: 5), GlobalMaxPooling1D(), Dropout(rate: 0.5), Dense(units: 1)])
        try conv.build(inputShape: [500], seed: 1)
        #expect(conv.parameterCount == 327_233)
    }

    @Test func sameSeedSameWeightsAndLayersHaveIndependentStreams() throws {
        func make(_ extra: Bool) throws -> Sequential {
            var layers: [any Layer] = [Dense(units: 4, name: "a")]
            if extra { layers.append(Dense(units: 3, name: "b")) }
            let m = Sequential(layers)
            try m.build(inputShape: [5], seed: 7)
            return m
        }
        #expect(try make(false).weights() == make(false).weights())
        #expect(try make(false).weights()[0] == make(true).weights()[0])
        let other = Sequential([Dense(units: 4, name: "a")]); try other.build(inputShape: [5], seed: 8)
        #expect(try make(false).weights()[0] != other.weights()[0])
    }

    @Test func backwardStopsAtTheFirstLayerWithParameters() throws {
        let model = Sequential([Flatten(), Dense(units: 3), Dense(units: 1)])
        try model.build(inputShape: [2, 2], seed: 1)
        let first = try #require(model.layers[1] as? Dense), second = try #require(model.layers[2] as? Dense)
        #expect(!first.computesInputGradient && second.computesInputGradient)
    }
}
