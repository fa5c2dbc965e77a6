import PipelineCore
import CKernels

/// Keras' `LSTM` layer: the driver ``Recurrent`` running an ``LSTMCell``.
///
/// ```swift
/// let lstm = LSTM(units: 32)                            // tanh / sigmoid, unit_forget_bias
/// _ = try lstm.build(inputShape: [500, 32], rng: &rng)  // 4·(32·32 + 32·32 + 32) = 8,320 weights
/// ```
public typealias LSTM = Recurrent<LSTMCell>

extension Recurrent where Cell == LSTMCell {
    public convenience init(units: Int, activation: Activation = .tanh, recurrentActivation: Activation = .sigmoid,
                            useBias: Bool = true, unitForgetBias: Bool = true, dropout: Float = 0, recurrentDropout: Float = 0,
                            returnSequences: Bool = false, goBackwards: Bool = false, name: String = "lstm") {
        self.init(cell: LSTMCell(activation: activation, recurrentActivation: recurrentActivation, unitForgetBias: unitForgetBias),
                  units: units, useBias: useBias, returnSequences: returnSequences, goBackwards: goBackwards,
                  dropout: dropout, recurrentDropout: recurrentDropout, name: name)
    }

    public var unitForgetBias: Bool { cell.unitForgetBias }
}

/// One LSTM step (Keras' `LSTMCell`, gate order i, f, c, o).
///
/// Per step: `z = x·K + h·U + b`; `i, f, o = σ(z_i, z_f, z_o)`, `g = act(z_c)`,
/// `c = f⊙c_prev + i⊙g`, `h = o⊙act(c)` (σ is `recurrentActivation`).
/// Shape legend: `B` batch, `T` timesteps, `F` features, `H` units. Weights: `kernel [F, 4H]`,
/// `recurrent_kernel [H, 4H]`, `bias [4H]` (zeros, ones on the forget block when
/// `unitForgetBias`). Dropout as Keras 3: with `recurrentDropout > 0`, 4 input and 4 recurrent
/// masks (one per gate); with only `dropout`, one shared input mask (``RecurrentDropout``).
/// Stash for backward: gate activations in `z [T, B, 4H]`, cells `[T+1, B, H]`, act(c)
/// `[T, B, H]`, states `hs [T+1, B, H]`. Cost per step: one `[B, H]×[H, 4H]` GEMM (four
/// `[B,H]×[H,H]` under recurrent dropout) and one fused kernel (`ck_lstm_fwd`/`ck_lstm_bwd`).
/// See ``Recurrent`` for the time loop, its semantics and failure modes.
public final class LSTMCell: RecurrentCell {
    public static var kind: String { "LSTM" }
    public static var gates: Int { 4 }
    public let activation: Activation
    public let recurrentActivation: Activation
    public let unitForgetBias: Bool
    private let act: Int32, ract: Int32
    private let cells = RecurrentBuffer()       // [T+1, B, H], cells[0] = 0
    private let actCells = RecurrentBuffer()    // [T, B, H], act(c)
    private let dcBuf = RecurrentBuffer()       // [B, H], dL/dc flowing back through time

    init(activation: Activation, recurrentActivation: Activation, unitForgetBias: Bool) {
        self.activation = activation; self.recurrentActivation = recurrentActivation
        self.unitForgetBias = unitForgetBias
        act = Kernels.code(activation); ract = Kernels.code(recurrentActivation)
    }

    public var config: [String: ConfigValue] {
        ["recurrent_activation": .string(recurrentActivation.rawValue), "unit_forget_bias": .bool(unitForgetBias)]
    }

    @_spi(RecurrentCells) public func initialBias(units: Int) -> Tensor {
        var t = Tensor(shape: [4 * units])
        if unitForgetBias { for j in units..<(2 * units) { t.data[j] = 1 } }
        return t
    }

    @_spi(RecurrentCells) public func fresh() -> LSTMCell {
        LSTMCell(activation: activation, recurrentActivation: recurrentActivation, unitForgetBias: unitForgetBias)
    }

    @_spi(RecurrentCells) public var readsInputRows: Bool { true }

    @_spi(RecurrentCells) public func beginForward(_ st: RecurrentSteps) {
        let bh = st.batch * st.units
        cells.reserve((st.steps + 1) * bh).update(repeating: 0, count: bh)
        actCells.reserve(st.steps * bh)
    }

    // Forward, step s: z_s += h_s·U (per-gate masked); fused gates → c_{s+1}, act(c), h_{s+1}.
    @_spi(RecurrentCells) public func forward(step s: Int, _ st: RecurrentSteps) {
        let b = st.batch, h = st.units, bh = b * h, kh = 4 * h
        let zs = st.z + s * b * kh, c = cells.pointer
        let beta: Float = st.inputRows == nil ? 1 : 0       // z holds x·K unless P's rows are read in the kernel
        st.recurrentProduct(st.hs + s * bh, gates: 0, count: 4, out: zs, ldOut: kh, beta: beta)
        ck_lstm_fwd(Int32(b), Int32(h), act, ract, zs, st.bias, c + s * bh, c + (s + 1) * bh,
                    actCells.pointer + s * bh, st.hs + (s + 1) * bh, st.inputRows, st.ids(atStep: s))
    }

    @_spi(RecurrentCells) public func beginBackward(_ st: RecurrentSteps) { dcBuf.zeroed(st.batch * st.units) }

    // Backward, step s: dh = dy_s + dh; dc += dh⊙o⊙act'(c); gate gradients overwrite the
    // gates in z_s; dc ← dc⊙f; dh ← Σ_g (dz_g·U_gᵀ)⊙m_g.
    @_spi(RecurrentCells) public func backward(step s: Int, dy: UnsafePointer<Float>?, _ st: RecurrentSteps) {
        let b = st.batch, h = st.units, bh = b * h, kh = 4 * h
        let zs = st.z + s * b * kh
        ck_lstm_bwd(Int32(b), Int32(h), act, ract, zs, cells.pointer + s * bh, actCells.pointer + s * bh, dy, st.dh, dcBuf.pointer)
        if s > 0 { st.recurrentProductBackward(zs, ld: kh, gates: 0, count: 4, beta: 0) }
    }

    @_spi(RecurrentCells) public func gradientSpans(_ st: RecurrentSteps) -> BackwardSpans {
        BackwardSpans(
            input: [InputGradSpan(gate0: 0, gates: 4, dz: st.z, ld: 4 * st.units)],
            recurrent: [RecurrentGradSpan(gate0: 0, gates: 4, dz: st.z, ld: 4 * st.units, source: st.hs, masked: true)],
            recurrentBiasOffset: nil)
    }
}
