import PipelineCore
import CKernels

/// Keras' `GRU` (gate order z, r, h), `reset_after` true (Keras 3 default) or false.
///
/// ```swift
/// let gru = GRU(units: 32)                              // reset_after, tanh / sigmoid
/// _ = try gru.build(inputShape: [240, 14], rng: &rng)   // 3·(14·32 + 32·32) + 2·96 = 4,608
/// let deep = GRU(units: 64, activation: .relu, recurrentDropout: 0.5)
/// ```
///
/// Per step (σ = `recurrentActivation`, act = `activation`):
/// `z = σ(x·K_z + h·U_z + b)`, `r = σ(x·K_r + h·U_r + b)`, and
/// `hh = act(x·K_h + b_x + r⊙(h·U_h + b_r))` when `resetAfter`, else
/// `hh = act(x·K_h + (r⊙h)·U_h + b)`; then `h' = z⊙h + (1−z)⊙hh`.
/// Shape legend: `B` batch, `T` timesteps, `F` features, `H` units. Weights: `kernel [F, 3H]`,
/// `recurrent_kernel [H, 3H]`, `bias [2, 3H]` (input row, recurrent row) when `resetAfter`,
/// else `[3H]`; zeros. Dropout as Keras 3: with `recurrentDropout > 0`, 3 input and 3 recurrent
/// masks (one per gate; the h gate's recurrent mask applies to h before `r⊙`); with only
/// `dropout`, one shared input mask. Stash: gates `[T, B, 3H]`, `h·U_h + b_r` (or `r⊙h`)
/// `[T, B, H]`, states. Cost per step: one `[B, H]×[H, 3H]` GEMM (reset_after) or
/// `[B,H]×[H,2H]` + `[B,H]×[H,H]`, plus fused kernels. See ``RecurrentLayer``.
public final class GRU: RecurrentLayer {
    public let resetAfter: Bool
    let rhStash = RecurrentBuffer(), stepA = RecurrentBuffer(), stepB = RecurrentBuffer()

    public init(units: Int, activation: Activation = .tanh, recurrentActivation: Activation = .sigmoid,
                useBias: Bool = true, dropout: Float = 0, recurrentDropout: Float = 0,
                returnSequences: Bool = false, goBackwards: Bool = false, resetAfter: Bool = true,
                name: String = "gru") {
        self.resetAfter = resetAfter
        super.init(units: units, gates: 3, activation: activation, recurrentActivation: recurrentActivation,
                   useBias: useBias, returnSequences: returnSequences, goBackwards: goBackwards,
                   dropout: dropout, recurrentDropout: recurrentDropout, name: name)
    }

    public override var kind: String { "GRU" }

    public override var config: [String: ConfigValue] {
        var c = super.config
        c["recurrent_activation"] = .string(recurrentActivation.rawValue)
        c["reset_after"] = .bool(resetAfter)
        return c
    }

    override func makeBias(rng: inout SeededRandom) -> Tensor {
        Tensor(shape: resetAfter ? [2, 3 * units] : [3 * units])
    }

    override func copy(goBackwards: Bool, name: String) -> RecurrentLayer {
        GRU(units: units, activation: activation, recurrentActivation: recurrentActivation, useBias: useBias,
            dropout: dropout, recurrentDropout: recurrentDropout, returnSequences: returnSequences,
            goBackwards: goBackwards, resetAfter: resetAfter, name: name)
    }

    override func runSteps(_ range: Range<Int>, recurrentMasks m: UnsafePointer<Float>?) {
        let b = batch, h = units, bh = b * h, kh = 3 * h
        let act = Kernels.code(activation), ract = Kernels.code(recurrentActivation)
        let bx: UnsafePointer<Float>? = useBias ? UnsafePointer(wB.pointer) : nil
        if range.lowerBound == 0 { rhStash.reserve(steps * bh) }
        let rh = rhStash.pointer
        if resetAfter {
            // rr = h_s·U (per-gate masked); fused: z, r, hh, h_{s+1}; keeps h·U_h + b_r.
            let br: UnsafePointer<Float>? = useBias ? UnsafePointer(wB.pointer + kh) : nil
            let rr = stepA.reserve(b * kh)
            withInputRows { table, ids in
                for s in range {
                    let hp = hs.pointer + s * bh
                    recurrentProduct(hp, gates: 0, count: 3, masks: m, out: rr, ldOut: kh, beta: 0)
                    ck_gru_ra_fwd(Int32(b), Int32(h), act, ract, z.pointer + s * b * kh, bx, rr, br,
                                  rh + s * bh, hp, hp + bh, table, ids.map { $0 + s * b })
                }
            }
        } else {
            // rr = h_s·U_zr; z, r; rh = r⊙(h_s⊙m_h); rrh = rh·U_h; hh, h_{s+1}.
            let rr = stepA.reserve(b * 2 * h), rrh = stepB.reserve(2 * bh)
            let hm = rrh + bh
            for s in range {
                let hp = hs.pointer + s * bh, zs = z.pointer + s * b * kh
                recurrentProduct(hp, gates: 0, count: 2, masks: m, out: rr, ldOut: 2 * h, beta: 0)
                var hmp = UnsafePointer(hp)
                if let m { ck_mul(bh, hp, m + 2 * bh, hm); hmp = UnsafePointer(hm) }
                ck_gru_rb_fwd1(Int32(b), Int32(h), ract, zs, bx, rr, hmp, rh + s * bh)
                Kernels.gemm(m: b, n: h, k: h, a: rh + s * bh, lda: h, b: wU.pointer + 2 * h, ldb: kh, c: rrh, ldc: h)
                ck_gru_rb_fwd2(Int32(b), Int32(h), act, zs, bx, rrh, hp, hp + bh)
            }
        }
    }

    override var readsInputRowsInKernel: Bool { resetAfter }

    override func runBackwardSteps(_ range: Range<Int>, dy: UnsafePointer<Float>, recurrentMasks m: UnsafePointer<Float>?) {
        let b = batch, h = units, bh = b * h, kh = 3 * h
        let act = Kernels.code(activation), ract = Kernels.code(recurrentActivation)
        let dh = dhBuf.pointer, rh = rhStash.pointer, zp = z.pointer
        if resetAfter {
            // gates → (dz, dr, dhh⊙r) recurrent side; rh → dhh input side; dh ← dh⊙z + Σ (dR_g·U_gᵀ)⊙m_g.
            for s in range.reversed() {
                let zs = zp + s * b * kh
                ck_gru_ra_bwd(Int32(b), Int32(h), act, ract, zs, rh + s * bh, hs.pointer + s * bh, dyAt(s, dy), dh, dh)
                if s > 0 { recurrentProductBackward(zs, ld: kh, gates: 0, count: 3, masks: m, dh: dh, beta: 1) }
            }
            return
        }
        // dz, dhh (pre-activation); q = dhh·U_hᵀ; dr = q⊙h_m⊙σ'(r); dh ← dh⊙z + q⊙r⊙m_h + Σ_{z,r}.
        let q = stepB.reserve(bh)
        for s in range.reversed() {
            let zs = zp + s * b * kh, hp = hs.pointer + s * bh
            ck_gru_rb_bwd1(Int32(b), Int32(h), act, ract, zs, hp, dyAt(s, dy), dh, dh)
            Kernels.gemm(m: b, n: h, k: h, a: zs + 2 * h, lda: kh, b: wUT.pointer + 2 * h * h, ldb: h, c: q, ldc: h)
            ck_gru_rb_bwd2(Int32(b), Int32(h), ract, zs, q, hp, m.map { $0 + 2 * bh }, dh)
            if s > 0 { recurrentProductBackward(zs, ld: kh, gates: 0, count: 2, masks: m, dh: dh, beta: 1) }
        }
    }

    override func beginBackward() { dhBuf.zeroed(batch * units) }

    override var backwardSpans: BackwardSpans {
        let h = units, kh = 3 * units, zp = z.pointer, rh = rhStash.pointer
        if resetAfter {
            return BackwardSpans(
                input: [InputGradSpan(gate0: 0, gates: 2, dz: zp, ld: kh), InputGradSpan(gate0: 2, gates: 1, dz: rh, ld: h)],
                recurrent: [RecurrentGradSpan(gate0: 0, gates: 3, dz: zp, ld: kh, source: hs.pointer, masked: true)],
                recurrentBiasOffset: kh)
        }
        return BackwardSpans(
            input: [InputGradSpan(gate0: 0, gates: 3, dz: zp, ld: kh)],
            recurrent: [RecurrentGradSpan(gate0: 0, gates: 2, dz: zp, ld: kh, source: hs.pointer, masked: true),
                        RecurrentGradSpan(gate0: 2, gates: 1, dz: zp + 2 * h, ld: kh, source: rh, masked: false)],
            recurrentBiasOffset: nil)
    }
}
