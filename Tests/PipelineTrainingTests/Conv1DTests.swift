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

    /// The windowed products (hand kernel: F and C multiples of 8) against the per-tap products,
    /// forward and every gradient, on a batch big enough to be split over two threads.
    @Test(arguments: [(Conv1D.Padding.valid, 1), (.valid, 2), (.same, 1), (.same, 3)])
    func windowedProductsMatchPerTapProducts(_ padding: Conv1D.Padding, _ strides: Int) throws {
        try #require(Kernels.handGemmAvailable(n: 8), "no AVX2/FMA: only the per-tap path runs here")
        func run(windowed: Bool, inputGradient: Bool = true) throws -> [Tensor] {
            let layer = try LayerGradientCheck.built(Conv1D(filters: 16, kernelSize: 5, strides: strides, padding: padding,
                                                            activation: .relu), inputShape: [61, 8], seed: 3)
            layer.windowedProducts = windowed
            layer.computesInputGradient = inputGradient
            layer.bias!.value = GradientCheck.random([16], seed: 4)
            var ctx = ForwardContext(training: true, rng: SeededRandom(seed: 0))
            let x = GradientCheck.random([70, 61, 8], seed: 5)
            let y = layer.forward(x, context: &ctx)
            let dx = layer.backward(GradientCheck.random(y.shape, seed: 6))
            return [y, dx, layer.kernel!.grad, layer.bias!.grad]
        }
        let fast = try run(windowed: true), slow = try run(windowed: false)
        for (name, (a, b)) in zip(["y", "dx", "dW", "db"], zip(fast, slow)) {
            #expect(a.shape == b.shape, "\(name)")
            checkClose(a.data, b.data, tolerance: 1e-4, "Conv1D \(padding) s\(strides) \(name)")
        }
        // As a first layer (no dx): the weight gradient's rows are summed in two halves.
        let first = try run(windowed: true, inputGradient: false)
        #expect(first[1].count == 0)
        checkClose(first[2].data, slow[2].data, tolerance: 1e-4, "Conv1D \(padding) s\(strides) dW without dx")
        checkClose(first[3].data, slow[3].data, tolerance: 1e-4, "Conv1D \(padding) s\(strides) db without dx")
    }

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
