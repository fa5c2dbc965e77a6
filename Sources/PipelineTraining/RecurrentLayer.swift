import PipelineCore
import CKernels

/// The shared machinery of `SimpleRNN`, `LSTM` and `GRU`: options, weights, time-major stash,
/// input projection and the gradient products that run once over all timesteps.
///
/// ```swift
/// let lstm = LSTM(units: 32, returnSequences: true)   // any subclass
/// _ = try lstm.build(inputShape: [500, 32], rng: &rng)
/// let y = lstm.forward(x, context: &ctx)               // [B, 500, 32]
/// let dx = lstm.backward(dy)                           // [B, 500, 32], grads accumulated
/// ```
///
/// Shape legend: `B` batch, `T` timesteps, `F` features, `H` units, `k` gates (1, 4, 3).
/// Weights as Keras: `kernel [F, k·H]`, `recurrent_kernel [H, k·H]`, `bias [k·H]` (GRU
/// reset_after: `[2, 3H]`). The initial state is zero.
///
/// Semantics: the input is turned time-major (`[T, B, F]`, in processing order, so
/// `go_backwards` just reads time in reverse) and projected by GEMMs `[Tc·B, F]×[F, kH]` over
/// chunks of `Tc` steps (≈256 KB of pre-activations, so they are still in L2 when the steps read
/// them; one GEMM per gate when per-gate dropout masks apply); each step then adds the recurrent
/// product `[B, H]×[H, kH]` and runs one fused gate kernel. With `return_sequences` the outputs
/// are returned in processing order (Keras 3: reversed time when `go_backwards`), else the last
/// state `[B, H]`. Backward walks the chunks last to first: per step one recurrent GEMM for dh
/// (the gate gradients overwrite the gate activations in place), then per chunk one GEMM each
/// for dkernel, drecurrent_kernel and dx plus the bias column sums, while the chunk is in cache.
/// Gradients accumulate into `Parameter.grad`. `backward` must follow a `forward`, once.
/// Cost: ≈ 2·T·B·kH·(F+H) flops forward, twice that backward; memory ≈ T·B·(F + kH + 2H) floats.
/// Failure: `build` throws ``InputError`` unless the input is `[T, F]`; shape mismatches at
/// `forward` are programmer errors.
public class RecurrentLayer: Layer {
    public var name: String
    public let units: Int
    public let activation: Activation
    public let recurrentActivation: Activation
    public let useBias: Bool
    public let returnSequences: Bool
    public let goBackwards: Bool
    public let dropout: Float
    public let recurrentDropout: Float
    public private(set) var kernel: Parameter?
    public private(set) var recurrentKernel: Parameter?
    public private(set) var bias: Parameter?
    public private(set) var inputFeatures = 0
    let gates: Int

    // Per-batch state (valid between forward and backward).
    var batch = 0, steps = 0
    /// The copy that runs the second half of a split batch (RecurrentParallel.swift), and the
    /// rows of the first half in the last forward (0: not split).
    var twin: RecurrentLayer?
    var splitRows = 0
    /// Masks drawn for the whole batch, handed to a half by the split forward.
    var presetMasks: RecurrentDropout?
    /// Batches of at least this many samples run as two halves on two threads (RecurrentParallel.swift);
    /// `Int.max` keeps the layer on one thread. Changing it changes the gradient summation order,
    /// so keep it fixed within a run. Not public API: set by tests (`@testable`) and by the
    /// Benchmarks package (`@_spi(Benchmarks) import PipelineTraining`) for one-thread baselines.
    @_spi(Benchmarks) public var parallelMinBatch = 64
    /// Token-id input through a projected embedding table (RecurrentEmbedded.swift), or `nil`
    /// for ordinary `[B, T, F]` input. Set per forward by the caller; shared with the twin.
    var embedded: EmbeddedProjection?
    var idsTimeMajor: [Int32] = []    // [T·B] processing order, with `embedded`
    let tableGrad = RecurrentBuffer() // dL/dP [V, kH], with `embedded`
    /// Whether backward computes dL/dx (``Sequential`` clears it for the first trainable layer).
    public var computesInputGradient = true
    var masks = RecurrentDropout()
    var stashValid = false
    let xs = RecurrentBuffer()        // [T, B, F] processing order
    let z = RecurrentBuffer()         // [T, B, kH] pre-activations → gates → gradients
    let hs = RecurrentBuffer()        // [T+1, B, H] states, hs[0] = 0
    let wK = RecurrentBuffer(), wKT = RecurrentBuffer(), wU = RecurrentBuffer(), wUT = RecurrentBuffer()
    let wB = RecurrentBuffer()
    let scratch = RecurrentBuffer()   // masked sources, dx temporaries
    let stepScratch = RecurrentBuffer()
    let dhBuf = RecurrentBuffer()       // dL/dh flowing back through time, [B, H]
    let dyBuf = RecurrentBuffer(), dxBuf = RecurrentBuffer(), gradBuf = RecurrentBuffer()

    init(units: Int, gates: Int, activation: Activation, recurrentActivation: Activation, useBias: Bool,
         returnSequences: Bool, goBackwards: Bool, dropout: Float, recurrentDropout: Float, name: String) {
        precondition(units > 0, "units must be > 0, received \(units)")
        precondition(activation != .softmax && recurrentActivation != .softmax, "softmax is not a recurrent activation")
        self.units = units; self.gates = gates; self.activation = activation
        self.recurrentActivation = recurrentActivation; self.useBias = useBias
        self.returnSequences = returnSequences; self.goBackwards = goBackwards
        self.dropout = min(1, max(0, dropout)); self.recurrentDropout = min(1, max(0, recurrentDropout))
        self.name = name
    }

    public var kind: String { preconditionFailure("subclass") }
    public var parameters: [Parameter] { [kernel, recurrentKernel, bias].compactMap { $0 } }

    public var config: [String: ConfigValue] {
        ["name": .string(name), "units": .int(units), "activation": .string(activation.rawValue),
         "use_bias": .bool(useBias), "return_sequences": .bool(returnSequences),
         "go_backwards": .bool(goBackwards), "dropout": .double(Double(dropout)),
         "recurrent_dropout": .double(Double(recurrentDropout))]
    }

    /// The bias shape and initial value (overridden by LSTM and GRU).
    func makeBias(rng: inout SeededRandom) -> Tensor { Tensor(shape: [gates * units]) }

    /// A fresh, unbuilt layer with the same options (Bidirectional's backward copy).
    func copy(goBackwards: Bool, name: String) -> RecurrentLayer { preconditionFailure("subclass") }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws -> [Int] {
        guard inputShape.count == 2, inputShape[1] > 0 else {
            throw InputError("\(kind) '\(name)' expects input shape [timesteps, features]",
                             field: "input_shape", value: "\(inputShape)")
        }
        let f = inputShape[1]
        inputFeatures = f
        kernel = Parameter(name: "\(name)/kernel", value: Initializer.glorotUniform.make(shape: [f, gates * units], rng: &rng))
        recurrentKernel = Parameter(name: "\(name)/recurrent_kernel",
                                    value: Initializer.orthogonal().make(shape: [units, gates * units], rng: &rng))
        bias = useBias ? Parameter(name: "\(name)/bias", value: makeBias(rng: &rng)) : nil
        return returnSequences ? [inputShape[0], units] : [units]
    }

    // MARK: forward

    /// The whole batch on the calling thread (``forward(_:context:)`` may split it in two).
    func forwardWhole(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        guard let kernel, let recurrentKernel else { preconditionFailure("\(kind) '\(name)' used before build") }
        precondition(acceptsInput(x), embedded == nil
                     ? "\(kind) '\(name)' expects [B, T, \(inputFeatures)], received \(x.shape)"
                     : "\(kind) '\(name)' expects token ids [B, T], received \(x.shape)")
        let b = x.shape[0], t = x.shape[1], f = inputFeatures, h = units, kh = gates * units
        batch = b; steps = t
        wK.load(kernel.value.data); wU.load(recurrentKernel.value.data)
        if let bias { wB.load(bias.value.data) }
        if let preset = presetMasks { masks = preset; presetMasks = nil } else { masks = drawMasks(batch: b, context: &context) }
        if embedded != nil {
            precondition(masks.inputCount == 0, "\(kind) '\(name)': input dropout cannot run on embedded ids")
            loadIds(x)
        } else {
            let xp = xs.reserve(t * b * f)
            x.data.withUnsafeBufferPointer { RecurrentLayer.toTimeMajor($0.baseAddress!, xp, b: b, t: t, w: f, reverse: goBackwards) }
        }
        let zp = z.reserve(t * b * kh)
        hs.reserve((t + 1) * b * h).update(repeating: 0, count: b * h)
        // Chunks of a few steps keep the projected inputs in L2 until the steps consume them.
        let chunk = chunkSteps
        masks.withPointers { mi, mr in
            for s0 in stride(from: 0, to: t, by: chunk) {
                let s1 = min(t, s0 + chunk)
                projectInputs(zp, steps: s0..<s1, masks: mi)
                runSteps(s0..<s1, recurrentMasks: mr)
            }
        }
        stashValid = true
        return output()
    }

    /// This batch's dropout masks from the step's stream (none at inference).
    func drawMasks(batch b: Int, context: inout ForwardContext) -> RecurrentDropout {
        let (mi, mr) = RecurrentDropout.counts(gates: gates, dropout: dropout < 1 ? dropout : 0,
                                               recurrentDropout: recurrentDropout < 1 ? recurrentDropout : 0,
                                               training: context.training)
        var m = RecurrentDropout()
        m.draw(inputCount: mi, recurrentCount: mr, batch: b, features: inputFeatures, units: units,
               dropout: dropout, recurrentDropout: recurrentDropout, rng: &context.rng)
        return m
    }

    /// Pre-activation floats per chunk of steps: 64K (256 KB, L2-resident). Tests lower it.
    var chunkFloats = 65_536
    var chunkSteps: Int { max(1, chunkFloats / max(1, batch * gates * units)) }

    /// Z[rows, cols] = X[rows](⊙mask) · K[:, cols] for the chunk's steps, one GEMM per mask group.
    private func projectInputs(_ zp: UnsafeMutablePointer<Float>, steps: Range<Int>, masks m: UnsafePointer<Float>?) {
        let b = batch, f = inputFeatures, kh = gates * units
        let r0 = steps.lowerBound * b, n = steps.count * b
        if let embedded {
            if !foldsInputRows { gatherProjections(embedded, rows: r0..<(r0 + n), into: zp) }
            return
        }
        let x = xs.pointer + r0 * f, z = zp + r0 * kh
        let groups = masks.inputCount
        if groups == 0 {
            Kernels.gemm(m: n, n: kh, k: f, a: x, lda: f, b: wK.pointer, ldb: kh, c: z, ldc: kh)
            return
        }
        let width = groups == 1 ? kh : units
        let xm = scratch.reserve(n * f)
        for g in 0..<groups {
            maskRows(x, m! + g * b * f, xm, rows: steps.count, rowSize: b * f)
            Kernels.gemm(m: n, n: width, k: f, a: xm, lda: f, b: wK.pointer + g * width, ldb: kh,
                         c: z + g * width, ldc: kh)
        }
    }

    /// out[t] = src[t] ⊙ mask for each of `rows` blocks of `rowSize` (the mask repeats over time).
    func maskRows(_ src: UnsafePointer<Float>, _ mask: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                  rows: Int, rowSize: Int) {
        for r in 0..<rows { ck_mul(rowSize, src + r * rowSize, mask, out + r * rowSize) }
    }

    /// Runs steps `range` (subclass, called in order): fills hs[s+1] and keeps what backward needs.
    func runSteps(_ range: Range<Int>, recurrentMasks: UnsafePointer<Float>?) { preconditionFailure("subclass") }

    /// Clears the state carried backwards through time (subclass), before the first chunk.
    func beginBackward() { preconditionFailure("subclass") }

    /// Runs steps `range` in reverse (subclass; chunks come last to first): turns the stash
    /// into gate gradients in place.
    func runBackwardSteps(_ range: Range<Int>, dy: UnsafePointer<Float>, recurrentMasks: UnsafePointer<Float>?) {
        preconditionFailure("subclass")
    }

    /// Whether the gate kernel reads each step's rows of the fused embedding's `P` in place
    /// (subclass: LSTM, SimpleRNN, GRU with reset_after), so that no gathered copy is made: the
    /// recurrent product then writes `z` instead of adding to it (RecurrentEmbedded.swift).
    var readsInputRowsInKernel: Bool { false }

    /// Where the gate gradients are (subclass), for the products over each chunk of steps.
    var backwardSpans: BackwardSpans { preconditionFailure("subclass") }

    private func output() -> Tensor {
        let b = batch, t = steps, h = units
        if returnSequences {
            let data = [Float](unsafeUninitializedCapacity: b * t * h) { buf, count in
                RecurrentLayer.fromTimeMajor(hs.pointer + b * h, buf.baseAddress!, b: b, t: t, w: h, reverse: false)
                count = b * t * h
            }
            return Tensor(shape: [b, t, h], data: data)
        }
        return Tensor(shape: [b, h], data: Array(UnsafeBufferPointer(start: hs.pointer + t * b * h, count: b * h)))
    }
}
