import PipelineCore
import CKernels

/// Keras' `SimpleRNN`: `h_t = activation(x_t·K + (h_{t−1}⊙m)·U + b)`.
///
/// ```swift
/// let rnn = SimpleRNN(units: 32)                       // tanh, last state only
/// _ = try rnn.build(inputShape: [500, 32], rng: &rng)  // 32·32 + 32·32 + 32 = 2,080 weights
/// ```
///
/// Shape legend: `B` batch, `T` timesteps, `F` features, `H` units. Input `[B, T, F]`, output
/// `[B, T, H]` with `returnSequences`, else `[B, H]`. Weights: `kernel [F, H]` (glorot_uniform),
/// `recurrent_kernel [H, H]` (orthogonal), `bias [H]` (zeros).
/// Dropout: one input mask `[B, F]` and one recurrent mask `[B, H]` per batch, reused at every
/// step, training only. Cost per step: one `[B, H]×[H, H]` GEMM and one fused kernel; see
/// ``RecurrentLayer`` for the rest of the semantics and the failure modes.
public final class SimpleRNN: RecurrentLayer {
    public init(units: Int, activation: Activation = .tanh, useBias: Bool = true,
                dropout: Float = 0, recurrentDropout: Float = 0,
                returnSequences: Bool = false, goBackwards: Bool = false, name: String = "simple_rnn") {
        super.init(units: units, gates: 1, activation: activation, recurrentActivation: .sigmoid, useBias: useBias,
                   returnSequences: returnSequences, goBackwards: goBackwards, dropout: dropout,
                   recurrentDropout: recurrentDropout, name: name)
    }

    public override var kind: String { "SimpleRNN" }

    override func copy(goBackwards: Bool, name: String) -> RecurrentLayer {
        SimpleRNN(units: units, activation: activation, useBias: useBias, dropout: dropout,
                  recurrentDropout: recurrentDropout, returnSequences: returnSequences,
                  goBackwards: goBackwards, name: name)
    }

    // Forward, one step: z_s (= x_s·K, precomputed) += h_s·U; h_{s+1} = act(z_s + b).
    // z keeps a copy of h_{s+1}, later overwritten by dz_s.
    override func runSteps(_ range: Range<Int>, recurrentMasks m: UnsafePointer<Float>?) {
        let b = batch, h = units, bh = b * h, act = Kernels.code(activation)
        let bias: UnsafePointer<Float>? = useBias ? UnsafePointer(wB.pointer) : nil
        let beta: Float = foldsInputRows ? 0 : 1            // z holds x·K unless P's rows are read in the kernel
        withInputRows { table, ids in
            for s in range {
                let zs = z.pointer + s * bh
                recurrentProduct(hs.pointer + s * bh, gates: 0, count: 1, masks: m, out: zs, ldOut: h, beta: beta)
                ck_srnn_fwd(Int32(b), Int32(h), act, zs, bias, table, ids.map { $0 + s * b })
                (hs.pointer + (s + 1) * bh).update(from: zs, count: bh)
            }
        }
    }

    override var readsInputRowsInKernel: Bool { true }

    // Backward, one step: dz_s = (dy_s + dh)·act'(h_{s+1}); dh ← (dz_s·Uᵀ)⊙m.
    override func runBackwardSteps(_ range: Range<Int>, dy: UnsafePointer<Float>, recurrentMasks m: UnsafePointer<Float>?) {
        let b = batch, h = units, bh = b * h, act = Kernels.code(activation)
        let dh = dhBuf.pointer
        for s in range.reversed() {
            let zs = z.pointer + s * bh
            ck_srnn_bwd(Int32(b), Int32(h), act, hs.pointer + (s + 1) * bh, dyAt(s, dy), dh, zs)
            if s > 0 { recurrentProductBackward(zs, ld: h, gates: 0, count: 1, masks: m, dh: dh, beta: 0) }
        }
    }

    override func beginBackward() { dhBuf.zeroed(batch * units) }

    override var backwardSpans: BackwardSpans {
        BackwardSpans(
            input: [InputGradSpan(gate0: 0, gates: 1, dz: z.pointer, ld: units)],
            recurrent: [RecurrentGradSpan(gate0: 0, gates: 1, dz: z.pointer, ld: units, source: hs.pointer, masked: true)],
            recurrentBiasOffset: nil)
    }
}
