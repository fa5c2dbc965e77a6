import PipelineCore
import CKernels

/// Keras' `GRU` layer: the driver ``Recurrent`` running a ``GRUCell``.
///
/// ```swift
/// let gru = GRU(units: 32)                              // reset_after, tanh / sigmoid
/// _ = try gru.build(inputShape: [240, 14], rng: &rng)   // 3·(14·32 + 32·32) + 2·96 = 4,608
/// let deep = GRU(units: 64, activation: .relu, recurrentDropout: 0.5)
/// ```
public typealias GRU = Recurrent<GRUCell>

extension Recurrent where Cell == GRUCell {
    public convenience init(units: Int, activation: Activation = .tanh, recurrentActivation: Activation = .sigmoid,
                            useBias: Bool = true, dropout: Float = 0, recurrentDropout: Float = 0,
                            returnSequences: Bool = false, goBackwards: Bool = false, resetAfter: Bool = true,
                            name: String = "gru") {
        self.init(cell: GRUCell(activation: activation, recurrentActivation: recurrentActivation, resetAfter: resetAfter),
                  units: units, useBias: useBias, returnSequences: returnSequences, goBackwards: goBackwards,
                  dropout: dropout, recurrentDropout: recurrentDropout, name: name)
    }

    public var resetAfter: Bool { cell.resetAfter }
}

/// One GRU step (Keras' `GRUCell`, gate order z, r, h), `reset_after` true (Keras 3 default) or false.
///
/// Per step (σ = `recurrentActivation`, act = `activation`):
/// `z = σ(x·K_z + h·U_z + b)`, `r = σ(x·K_r + h·U_r + b)`, and
/// `hh = act(x·K_h + b_x + r⊙(h·U_h + b_r))` when `resetAfter`, else
/// `hh = act(x·K_h + (r⊙h)·U_h + b)`; then `h' = z⊙h + (1−z)⊙hh`.
/// Shape legend: `B` batch, `T` timesteps, `F` features, `H` units. Weights: `kernel [F, 3H]`,
/// `recurrent_kernel [H, 3H]`, `bias [2, 3H]` (input row, recurrent row) when `resetAfter`,
/// else `[3H]`; zeros. Dropout as Keras 3: with `recurrentDropout > 0`, 3 input and 3 recurrent
/// masks (one per gate; the h gate's recurrent mask applies to h before `r⊙`); with only
/// `dropout`, one shared input mask. Stash: gates in `z [T, B, 3H]`, `h·U_h + b_r` (or `r⊙h`)
/// `[T, B, H]`, states. Cost per step: one `[B, H]×[H, 3H]` GEMM (reset_after) or
/// `[B,H]×[H,2H]` + `[B,H]×[H,H]`, plus fused kernels (`ck_gru_ra_*`, `ck_gru_rb_*`).
/// See ``Recurrent`` for the time loop, its semantics and failure modes.
public final class GRUCell: RecurrentCell {
    public static var kind: String { "GRU" }
    public static var gates: Int { 3 }
    public let activation: Activation
    public let recurrentActivation: Activation
    public let resetAfter: Bool
    private let act: Int32, ract: Int32
    private let rhStash = RecurrentBuffer()     // [T, B, H]: h·U_h + b_r (reset_after) or r⊙h
    private let stepA = RecurrentBuffer()       // [B, 3H] (reset_after) or [B, 2H]: h·U of one step
    private let stepB = RecurrentBuffer()       // [B, 2H]: (r⊙h)·U_h and h⊙m_h; backward q [B, H]

    init(activation: Activation, recurrentActivation: Activation, resetAfter: Bool) {
        self.activation = activation; self.recurrentActivation = recurrentActivation; self.resetAfter = resetAfter
        act = Kernels.code(activation); ract = Kernels.code(recurrentActivation)
    }

    public var config: [String: ConfigValue] {
        ["recurrent_activation": .string(recurrentActivation.rawValue), "reset_after": .bool(resetAfter)]
    }

    @_spi(RecurrentCells) public func initialBias(units: Int) -> Tensor {
        Tensor(shape: resetAfter ? [2, 3 * units] : [3 * units])
    }

    @_spi(RecurrentCells) public func fresh() -> GRUCell {
        GRUCell(activation: activation, recurrentActivation: recurrentActivation, resetAfter: resetAfter)
    }

    @_spi(RecurrentCells) public var readsInputRows: Bool { resetAfter }

    @_spi(RecurrentCells) public func beginForward(_ st: RecurrentSteps) {
        let b = st.batch, h = st.units
        rhStash.reserve(st.steps * b * h)
        if resetAfter { stepA.reserve(b * 3 * h) } else { stepA.reserve(b * 2 * h); stepB.reserve(2 * b * h) }
    }

    @_spi(RecurrentCells) public func forward(step s: Int, _ st: RecurrentSteps) {
        let b = st.batch, h = st.units, bh = b * h, kh = 3 * h
        let hp = st.hs + s * bh, zs = st.z + s * b * kh, rh = rhStash.pointer + s * bh, rr = stepA.pointer
        if resetAfter {
            // rr = h_s·U (per-gate masked); fused: z, r, hh, h_{s+1}; keeps h·U_h + b_r.
            st.recurrentProduct(hp, gates: 0, count: 3, out: rr, ldOut: kh, beta: 0)
            ck_gru_ra_fwd(Int32(b), Int32(h), act, ract, zs, st.bias, rr, st.bias.map { $0 + kh },
                          rh, hp, hp + bh, st.inputRows, st.ids(atStep: s))
            return
        }
        // rr = h_s·U_zr; z, r; rh = r⊙(h_s⊙m_h); rrh = rh·U_h; hh, h_{s+1}.
        let rrh = stepB.pointer, hm = rrh + bh
        st.recurrentProduct(hp, gates: 0, count: 2, out: rr, ldOut: 2 * h, beta: 0)
        var hmp = UnsafePointer(hp)
        if let m = st.recurrentMasks { ck_mul(bh, hp, m + 2 * bh, hm); hmp = UnsafePointer(hm) }
        ck_gru_rb_fwd1(Int32(b), Int32(h), ract, zs, st.bias, rr, hmp, rh)
        Kernels.gemm(m: b, n: h, k: h, a: rh, lda: h, b: st.u + 2 * h, ldb: kh, c: rrh, ldc: h)
        ck_gru_rb_fwd2(Int32(b), Int32(h), act, zs, st.bias, rrh, hp, hp + bh)
    }

    @_spi(RecurrentCells) public func beginBackward(_ st: RecurrentSteps) {
        if !resetAfter { stepB.reserve(st.batch * st.units) }
    }

    @_spi(RecurrentCells) public func backward(step s: Int, dy: UnsafePointer<Float>?, _ st: RecurrentSteps) {
        let b = st.batch, h = st.units, bh = b * h, kh = 3 * h
        let zs = st.z + s * b * kh, hp = st.hs + s * bh, dh = st.dh
        if resetAfter {
            // gates → (dz, dr, dhh⊙r) recurrent side; rh → dhh input side; dh ← dh⊙z + Σ (dR_g·U_gᵀ)⊙m_g.
            ck_gru_ra_bwd(Int32(b), Int32(h), act, ract, zs, rhStash.pointer + s * bh, hp, dy, dh, dh)
            if s > 0 { st.recurrentProductBackward(zs, ld: kh, gates: 0, count: 3, beta: 1) }
            return
        }
        // dz, dhh (pre-activation); q = dhh·U_hᵀ; dr = q⊙h_m⊙σ'(r); dh ← dh⊙z + q⊙r⊙m_h + Σ_{z,r}.
        let q = stepB.pointer
        ck_gru_rb_bwd1(Int32(b), Int32(h), act, ract, zs, hp, dy, dh, dh)
        Kernels.gemm(m: b, n: h, k: h, a: zs + 2 * h, lda: kh, b: st.ut + 2 * h * h, ldb: h, c: q, ldc: h)
        ck_gru_rb_bwd2(Int32(b), Int32(h), ract, zs, q, hp, st.recurrentMasks.map { $0 + 2 * bh }, dh)
        if s > 0 { st.recurrentProductBackward(zs, ld: kh, gates: 0, count: 2, beta: 1) }
    }

    @_spi(RecurrentCells) public func gradientSpans(_ st: RecurrentSteps) -> BackwardSpans {
        let h = st.units, kh = 3 * h, zp = UnsafePointer(st.z), rh = UnsafePointer(rhStash.pointer)
        if resetAfter {
            return BackwardSpans(
                input: [InputGradSpan(gate0: 0, gates: 2, dz: zp, ld: kh), InputGradSpan(gate0: 2, gates: 1, dz: rh, ld: h)],
                recurrent: [RecurrentGradSpan(gate0: 0, gates: 3, dz: zp, ld: kh, source: st.hs, masked: true)],
                recurrentBiasOffset: kh)
        }
        return BackwardSpans(
            input: [InputGradSpan(gate0: 0, gates: 3, dz: zp, ld: kh)],
            recurrent: [RecurrentGradSpan(gate0: 0, gates: 2, dz: zp, ld: kh, source: st.hs, masked: true),
                        RecurrentGradSpan(gate0: 2, gates: 1, dz: zp + 2 * h, ld: kh, source: rh, masked: false)],
            recurrentBiasOffset: nil)
    }
}
