import PipelineCore
import CKernels

/// Keras' `LSTM` (gate order i, f, c, o).
///
/// ```swift
/// let lstm = LSTM(units: 32)                            // tanh / sigmoid, unit_forget_bias
/// _ = try lstm.build(inputShape: [500, 32], rng: &rng)  // 4·(32·32 + 32·32 + 32) = 8,320 weights
/// ```
///
/// Per step: `z = x·K + h·U + b`; `i, f, o = σ(z_i, z_f, z_o)`, `g = act(z_c)`,
/// `c = f⊙c_prev + i⊙g`, `h = o⊙act(c)` (σ is `recurrentActivation`).
/// Shape legend: `B` batch, `T` timesteps, `F` features, `H` units. Weights: `kernel [F, 4H]`,
/// `recurrent_kernel [H, 4H]`, `bias [4H]` (zeros, ones on the forget block when
/// `unitForgetBias`). Dropout as Keras 3: with `recurrentDropout > 0`, 4 input and 4 recurrent
/// masks (one per gate); with only `dropout`, one shared input mask.
/// Stash for backward: gate activations `[T, B, 4H]`, cells `[T+1, B, H]`, act(c) `[T, B, H]`,
/// states `[T+1, B, H]`. Cost per step: one `[B, H]×[H, 4H]` GEMM (four `[B,H]×[H,H]` under
/// recurrent dropout) and one fused kernel. See ``RecurrentLayer`` for the common semantics.
public final class LSTM: RecurrentLayer {
    public let unitForgetBias: Bool
    let cells = RecurrentBuffer(), actCells = RecurrentBuffer(), dcBuf = RecurrentBuffer()

    public init(units: Int, activation: Activation = .tanh, recurrentActivation: Activation = .sigmoid,
                useBias: Bool = true, unitForgetBias: Bool = true, dropout: Float = 0, recurrentDropout: Float = 0,
                returnSequences: Bool = false, goBackwards: Bool = false, name: String = "lstm") {
        self.unitForgetBias = unitForgetBias
        super.init(units: units, gates: 4, activation: activation, recurrentActivation: recurrentActivation,
                   useBias: useBias, returnSequences: returnSequences, goBackwards: goBackwards,
                   dropout: dropout, recurrentDropout: recurrentDropout, name: name)
    }

    public override var kind: String { "LSTM" }

    public override var config: [String: ConfigValue] {
        var c = super.config
        c["recurrent_activation"] = .string(recurrentActivation.rawValue)
        c["unit_forget_bias"] = .bool(unitForgetBias)
        return c
    }

    override func makeBias(rng: inout SeededRandom) -> Tensor {
        var t = Tensor(shape: [4 * units])
        if unitForgetBias { for j in units..<(2 * units) { t.data[j] = 1 } }
        return t
    }

    override func copy(goBackwards: Bool, name: String) -> RecurrentLayer {
        LSTM(units: units, activation: activation, recurrentActivation: recurrentActivation, useBias: useBias,
             unitForgetBias: unitForgetBias, dropout: dropout, recurrentDropout: recurrentDropout,
             returnSequences: returnSequences, goBackwards: goBackwards, name: name)
    }

    // Forward, one step s: z_s += h_s·U (per-gate masked); fused gates → c_{s+1}, act(c), h_{s+1}.
    override func runSteps(_ range: Range<Int>, recurrentMasks m: UnsafePointer<Float>?) {
        let b = batch, h = units, bh = b * h, kh = 4 * h
        let act = Kernels.code(activation), ract = Kernels.code(recurrentActivation)
        let bias: UnsafePointer<Float>? = useBias ? UnsafePointer(wB.pointer) : nil
        if range.lowerBound == 0 {
            cells.reserve((steps + 1) * bh).update(repeating: 0, count: bh)
            actCells.reserve(steps * bh)
        }
        let c = cells.pointer, ac = actCells.pointer
        let beta: Float = foldsInputRows ? 0 : 1            // z holds x·K unless P's rows are read in the kernel
        withInputRows { table, ids in
            for s in range {
                let zs = z.pointer + s * b * kh
                recurrentProduct(hs.pointer + s * bh, gates: 0, count: 4, masks: m, out: zs, ldOut: kh, beta: beta)
                ck_lstm_fwd(Int32(b), Int32(h), act, ract, zs, bias, c + s * bh, c + (s + 1) * bh,
                            ac + s * bh, hs.pointer + (s + 1) * bh, table, ids.map { $0 + s * b })
            }
        }
    }

    override var readsInputRowsInKernel: Bool { true }

    // Backward, one step s: dh = dy_s + dh; dc += dh⊙o⊙act'(c); gate gradients overwrite the
    // gates in z_s; dc ← dc⊙f; dh ← Σ_g (dz_g·U_gᵀ)⊙m_g.
    override func runBackwardSteps(_ range: Range<Int>, dy: UnsafePointer<Float>, recurrentMasks m: UnsafePointer<Float>?) {
        let b = batch, h = units, bh = b * h, kh = 4 * h
        let act = Kernels.code(activation), ract = Kernels.code(recurrentActivation)
        let dh = dhBuf.pointer, dc = dcBuf.pointer
        let c = cells.pointer, ac = actCells.pointer
        for s in range.reversed() {
            let zs = z.pointer + s * b * kh
            ck_lstm_bwd(Int32(b), Int32(h), act, ract, zs, c + s * bh, ac + s * bh, dyAt(s, dy), dh, dc)
            if s > 0 { recurrentProductBackward(zs, ld: kh, gates: 0, count: 4, masks: m, dh: dh, beta: 0) }
        }
    }

    override func beginBackward() { dhBuf.zeroed(batch * units); dcBuf.zeroed(batch * units) }

    override var backwardSpans: BackwardSpans {
        BackwardSpans(
            input: [InputGradSpan(gate0: 0, gates: 4, dz: z.pointer, ld: 4 * units)],
            recurrent: [RecurrentGradSpan(gate0: 0, gates: 4, dz: z.pointer, ld: 4 * units, source: hs.pointer, masked: true)],
            recurrentBiasOffset: nil)
    }
}
