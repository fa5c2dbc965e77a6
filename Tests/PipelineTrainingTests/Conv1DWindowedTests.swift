import Testing
import PipelineCore
@testable import PipelineTraining

/// ``Conv1DWindowed`` (the products over overlapping windows, hand kernel: F and C multiples of 8)
/// against ``Conv1D``'s plain per-tap path, forward and every gradient, on a batch big enough to
/// be split over two threads.
@Suite struct Conv1DWindowedTests {
    static let cases: [(Conv1D.Padding, Int)] = [(.valid, 1), (.valid, 2), (.same, 1), (.same, 3)]

    /// One layer's worth of operands: geometry, padded input, kernel and bias values.
    struct Operands {
        let g: Conv1DGeometry, xp: Tensor, w: Tensor, b: Tensor
        init(_ padding: Conv1D.Padding, _ strides: Int) {
            g = Conv1DGeometry(timesteps: 61, channels: 8, kernelSize: 5, strides: strides, filters: 16, padding: padding)
            let x = GradientCheck.random([70, 61, 8], seed: 5)
            xp = g.needsPadding ? g.pad(x) : x
            w = GradientCheck.random([5, 8, 16], seed: 3, lo: -0.3, hi: 0.3)
            b = GradientCheck.random([16], seed: 4)
        }
        /// Fresh parameters (zero gradients) holding the same values.
        func parameters() -> (Parameter, Parameter) { (Parameter(name: "kernel", value: w), Parameter(name: "bias", value: b)) }
    }

    @Test(arguments: cases)
    func forwardMatchesThePlainPath(_ padding: Conv1D.Padding, _ strides: Int) throws {
        try #require(Kernels.handGemmAvailable(n: 8), "no AVX2/FMA: only the plain path runs here")
        let o = Operands(padding, strides), (kernel, bias) = o.parameters()
        #expect(Conv1DWindowed.runsForward(o.g))
        let fast = Conv1DWindowed.forward(o.g, padded: o.xp, kernel: kernel, bias: bias, activation: .relu)
        let plain = Conv1D.forwardPerTap(o.g, padded: o.xp, kernel: kernel, bias: bias, activation: .relu)
        #expect(fast.shape == [70, o.g.tOut, 16] && plain.shape == fast.shape)
        checkClose(fast.data, plain.data, tolerance: 1e-4, "Conv1D \(padding) s\(strides) y")
    }

    @Test(arguments: cases)
    func backwardMatchesThePlainPath(_ padding: Conv1D.Padding, _ strides: Int) throws {
        try #require(Kernels.handGemmAvailable(n: 8), "no AVX2/FMA: only the plain path runs here")
        let o = Operands(padding, strides), (k0, b0) = o.parameters()
        let y = Conv1D.forwardPerTap(o.g, padded: o.xp, kernel: k0, bias: b0, activation: .relu)
        let dy = GradientCheck.random(y.shape, seed: 6)
        func plain(inputGradient: Bool, windowedWeightGradient: Bool = false) -> [Tensor] {
            let (kernel, bias) = o.parameters()
            let dxp = Conv1D.backwardPerTap(o.g, dy: dy, output: y, padded: o.xp, kernel: kernel, bias: bias, activation: .relu,
                                            inputGradient: inputGradient, windowedWeightGradient: windowedWeightGradient)
            return [dxp, kernel.grad, bias.grad]
        }
        func windowed(inputGradient: Bool) -> [Tensor] {
            let (kernel, bias) = o.parameters()
            let dxp = Conv1DWindowed.backward(o.g, dy: dy, output: y, padded: o.xp, kernel: kernel, bias: bias,
                                              activation: .relu, inputGradient: inputGradient)
            return [dxp, kernel.grad, bias.grad]
        }
        func compare(_ a: [Tensor], _ b: [Tensor], _ label: String) {
            for (name, (x, y)) in zip(["dxp", "dW", "db"], zip(a, b)) {
                #expect(x.shape == y.shape, "\(label) \(name)")
                checkClose(x.data, y.data, tolerance: 1e-4, "Conv1D \(padding) s\(strides) \(label) \(name)")
            }
        }
        let reference = plain(inputGradient: true)
        #expect(reference[1].data.contains { $0 != 0 } && reference[0].data.contains { $0 != 0 })
        // By sample with dx only at S = 1; without dx (a first layer) at every stride.
        #expect(Conv1DWindowed.runsBackward(o.g, inputGradient: true) == (strides == 1))
        if strides == 1 { compare(windowed(inputGradient: true), reference, "by sample") }
        let first = windowed(inputGradient: false)
        #expect(first[0].count == 0)
        compare(Array(first.dropFirst()), Array(reference.dropFirst()), "by sample without dx")
        // The plain backward with the windowed weight gradient (the layer's choice at S > 1).
        compare(plain(inputGradient: true, windowedWeightGradient: true), reference, "windowed dW")
    }

    /// The reversed kernel: row `(K−1−k)·F + q`, column `ci` holds `W[k, ci, q]`.
    @Test func flippedKernelReversesTapsAndTransposes() {
        let g = Conv1DGeometry(timesteps: 4, channels: 2, kernelSize: 3, strides: 1, filters: 4, padding: .valid)
        let w = Tensor(shape: [3, 2, 4], data: (0..<24).map(Float.init))
        let flipped = w.data.withUnsafeBufferPointer { Conv1DWindowed.flippedKernel(g, kernel: $0.baseAddress!) }
        for k in 0..<3 { for ci in 0..<2 { for q in 0..<4 { #expect(flipped[((2 - k) * 4 + q) * 2 + ci] == w[k, ci, q]) } } }
    }
}
