import Testing
import PipelineCore
@testable import PipelineTraining

struct EmbeddingGolden: Decodable { var input_dim, output_dim: Int; var ids, embeddings, y: GoldenTensor }

@Suite struct EmbeddingTests {
    @Test func matchesKeras() throws {
        let g = try Golden.load("layers_embedding", as: EmbeddingGolden.self)
        let layer = try LayerGradientCheck.built(Embedding(inputDim: g.input_dim, outputDim: g.output_dim),
                                                 inputShape: Array(g.ids.shape.dropFirst()))
        layer.embeddings!.value = g.embeddings.tensor
        var ctx = ForwardContext(training: false, rng: SeededRandom(seed: 0))
        let y = layer.forward(g.ids.tensor, context: &ctx)
        #expect(y.shape == g.y.shape)
        #expect(y.data == g.y.data)
    }

    @Test func backwardScatterAddsMatchFiniteDifferences() throws {
        let layer = try LayerGradientCheck.built(Embedding(inputDim: 7, outputDim: 3), inputShape: [5])
        let ids = Tensor(shape: [2, 5], data: [1, 3, 3, 0, 6, 6, 2, 1, 1, 1])   // repeated ids accumulate
        LayerGradientCheck.check(layer, input: ids, checkInput: false)
        #expect(layer.parameterCount == 21)
    }

    @Test func initialisesInKerasRangeAndCountsLikeKeras() throws {
        let layer = try LayerGradientCheck.built(Embedding(inputDim: 10_000, outputDim: 32), inputShape: [500])
        #expect(layer.parameterCount == 320_000)
        #expect(layer.embeddings!.value.data.allSatisfy { $0 >= -0.05 && $0 < 0.05 })
        #expect(layer.parameters.map(\.name) == ["layer/embeddings"])
    }

    @Test func validateRejectsIdsOutsideTheVocabulary() throws {
        let layer = try LayerGradientCheck.built(Embedding(inputDim: 10, outputDim: 2), inputShape: [3])
        try layer.validate(Tensor(shape: [1, 3], data: [0, 9, 4]))
        for bad: Float in [10, -1, 2.5] {
            #expect(throws: InputError.self) { try layer.validate(Tensor(shape: [1, 3], data: [0, bad, 1])) }
        }
    }
}
