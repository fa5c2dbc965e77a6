import PipelineCore
import CKernels

/// Keras' `SimpleRNN` layer: the driver ``Recurrent`` running a ``SimpleRNNCell``.
///
/// ```swift
/// let rnn = SimpleRNN(units: 32)                       // tanh, last state only
/// _ = try rnn.build(inputShape: [500, 32], rng: &rng)  // 32·32 + 32·32 + 32 = 2,080 weights
/// ```
public typealias SimpleRNN = Recurrent<SimpleRNNCell>

extension Recurrent where Cell == SimpleRNNCell {
    public convenience init(units: Int, activation: Activation = .tanh, useBias: Bool = true,
                            dropout: Float = 0, recurrentDropout: Float = 0,
                            returnSequences: Bool = false, goBackwards: Bool = false, name: String = "simple_rnn") {
        self.init(cell: SimpleRNNCell(activation: activation), units: units, useBias: useBias,
                  returnSequences: returnSequences, goBackwards: goBackwards, dropout: dropout,
                  recurrentDropout: recurrentDropout, name: name)
    }
}

/// One SimpleRNN step (Keras' `SimpleRNNCell`): `h_t = activation(x_t·K + (h_{t−1}⊙m)·U + b)`.
///
/// Shape legend: `B` batch, `T` timesteps, `F` features, `H` units. Input `[B, T, F]`, output
/// `[B, T, H]` with `returnSequences`, else `[B, H]`. Weights: `kernel [F, H]` (glorot_uniform),
/// `recurrent_kernel [H, H]` (orthogonal), `bias [H]` (zeros).
/// Dropout: one input mask `[B, F]` and one recurrent mask `[B, H]` per batch, reused at every
/// step, training only. Stash: `z [T, B, H]` keeps a copy of `h_{s+1}` (later overwritten by
/// `dz_s`) and the states. Cost per step: one `[B, H]×[H, H]` GEMM and one fused kernel
/// (`ck_srnn_fwd`/`ck_srnn_bwd`); see ``Recurrent`` for the rest of the semantics and the
/// failure modes.
public final class SimpleRNNCell: RecurrentCell {
    public static var kind: String { "SimpleRNN" }
    public static var gates: Int { 1 }
    public let activation: Activation
    public var recurrentActivation: Activation { .sigmoid }
    private let act: Int32

    init(activation: Activation) {
        self.activation = activation
        act = Kernels.code(activation)
    }

    public var config: [String: ConfigValue] { [:] }

    @_spi(RecurrentCells) public func initialBias(units: Int) -> Tensor { Tensor(shape: [units]) }
    @_spi(RecurrentCells) public func fresh() -> SimpleRNNCell { SimpleRNNCell(activation: activation) }
    @_spi(RecurrentCells) public var readsInputRows: Bool { true }
    @_spi(RecurrentCells) public func beginForward(_ st: RecurrentSteps) {}

    // Forward, step s: z_s (= x_s·K, precomputed) += h_s·U; h_{s+1} = act(z_s + b).
    @_spi(RecurrentCells) public func forward(step s: Int, _ st: RecurrentSteps) {
        let b = st.batch, h = st.units, bh = b * h
        let zs = st.z + s * bh
        let beta: Float = st.inputRows == nil ? 1 : 0       // z holds x·K unless P's rows are read in the kernel
        st.recurrentProduct(st.hs + s * bh, gates: 0, count: 1, out: zs, ldOut: h, beta: beta)
        ck_srnn_fwd(Int32(b), Int32(h), act, zs, st.bias, st.inputRows, st.ids(atStep: s))
        (st.hs + (s + 1) * bh).update(from: zs, count: bh)
    }

    @_spi(RecurrentCells) public func beginBackward(_ st: RecurrentSteps) {}

    // Backward, step s: dz_s = (dy_s + dh)·act'(h_{s+1}); dh ← (dz_s·Uᵀ)⊙m.
    @_spi(RecurrentCells) public func backward(step s: Int, dy: UnsafePointer<Float>?, _ st: RecurrentSteps) {
        let b = st.batch, h = st.units, bh = b * h
        let zs = st.z + s * bh
        ck_srnn_bwd(Int32(b), Int32(h), act, st.hs + (s + 1) * bh, dy, st.dh, zs)
        if s > 0 { st.recurrentProductBackward(zs, ld: h, gates: 0, count: 1, beta: 0) }
    }

    @_spi(RecurrentCells) public func gradientSpans(_ st: RecurrentSteps) -> BackwardSpans {
        BackwardSpans(
            input: [InputGradSpan(gate0: 0, gates: 1, dz: st.z, ld: st.units)],
            recurrent: [RecurrentGradSpan(gate0: 0, gates: 1, dz: st.z, ld: st.units, source: st.hs, masked: true)],
            recurrentBiasOffset: nil)
    }
}
