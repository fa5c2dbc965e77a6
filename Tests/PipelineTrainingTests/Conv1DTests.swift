import Testing
import PipelineCore
@testable import PipelineTraining

struct Conv1DGolden: Decodable {
    struct Case: Decodable {
        var filters, kernel_size, strides: Int
        var padding, activation: String
        var x, kernel, bias, y: GoldenTensor
    }
    var cases: [Case]
}

@Suite struct Conv1DTests {
    @Test func matchesKerasForPaddingsAndStrides() throws {
        let golden = try Golden.load("layers_conv1d", as: Conv1DGolden.self)
        #expect(golden.cases.count == 12)
        for c in golden.cases {
            let layer = try LayerGradientCheck.built(
                Conv1D(filters: c.filters, kernelSize: c.kernel_size, strides: c.strides,
                       padding: try #require(Conv1D.Padding(rawValue: c.padding)), activation: try #require(Activation(keras: c.activation))),
                inputShape: Array(c.x.shape.dropFirst()))
            layer.kernel!.value = c.kernel.tensor
            layer.bias!.value = c.bias.tensor
            var ctx = ForwardContext(training: false, rng: SeededRandom(seed: 0))
            let y = layer.forward(c.x.tensor, context: &ctx)
            #expect(y.shape == c.y.shape, "\(c.padding) k\(c.kernel_size) s\(c.strides)")
            checkClose(y.data, c.y.data, tolerance: 1e-5, "Conv1D \(c.padding) k\(c.kernel_size) s\(c.strides)")
        }
    }

    @Test(arguments: [(Conv1D.Padding.valid, 1), (.valid, 2), (.same, 1), (.same, 3)])
    func backwardMatchesFiniteDifferences(_ padding: Conv1D.Padding, _ strides: Int) throws {
        let layer = try LayerGradientCheck.built(Conv1D(filters: 3, kernelSize: 3, strides: strides, padding: padding, activation: .tanh),
                                                 inputShape: [8, 2])
        layer.bias!.value = GradientCheck.random([3], seed: 12)
        LayerGradientCheck.check(layer, input: GradientCheck.random([2, 8, 2], seed: 13))
    }

    /// F = C = 8: the windowed paths (``Conv1DWindowed``) where AVX2/FMA runs; at S = 2 the
    /// plain backward with the windowed weight gradient.
    @Test(arguments: [(Conv1D.Padding.valid, 1), (.same, 1), (.valid, 2)])
    func windowedBackwardMatchesFiniteDifferences(_ padding: Conv1D.Padding, _ strides: Int) throws {
        let layer = try LayerGradientCheck.built(Conv1D(filters: 8, kernelSize: 3, strides: strides, padding: padding, activation: .tanh),
                                                 inputShape: [9, 8])
        layer.bias!.value = GradientCheck.random([8], seed: 12)
        LayerGradientCheck.check(layer, input: GradientCheck.random([3, 9, 8], seed: 13))
    }

    @Test func shapesAndParameterCountAsKeras() throws {
        var rng = SeededRandom(seed: 1)
        let conv = Conv1D(filters: 32, kernelSize: 7, activation: .relu, name: "conv1d")
        #expect(try conv.build(inputShape: [500, 32], rng: &rng) == [494, 32])
        #expect(conv.parameterCount == 7_200)
        #expect(try Conv1D(filters: 4, kernelSize: 3, strides: 2, padding: .same).build(inputShape: [9, 2], rng: &rng) == [5, 4])
        #expect(throws: InputError.self) { try Conv1D(filters: 4, kernelSize: 9).build(inputShape: [5, 2], rng: &rng) }
        #expect(throws: InputError.self) { try Conv1D(filters: 4, kernelSize: 2).build(inputShape: [5], rng: &rng) }
    }
}
