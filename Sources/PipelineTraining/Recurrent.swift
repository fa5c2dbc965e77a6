import PipelineCore
import CKernels

/// The recurrent layer: one driver that runs a ``RecurrentCell`` over time. `SimpleRNN`,
/// `LSTM` and `GRU` are this class with their cell (SimpleRNNCell.swift, LSTMCell.swift,
/// GRUCell.swift, which also hold their initialisers).
///
/// ```swift
/// let lstm = LSTM(units: 32, returnSequences: true)   // Recurrent<LSTMCell>
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
/// product `[B, H]×[H, kH]` and runs one fused gate kernel (the cell's `forward(step:)`). With
/// `return_sequences` the outputs are returned in processing order (Keras 3: reversed time when
/// `go_backwards`), else the last state `[B, H]`. Backward (RecurrentBackward.swift) walks the
/// chunks last to first: per step the cell's `backward(step:)` (one recurrent GEMM for dh; the
/// gate gradients overwrite the gate activations in place), then per chunk one GEMM each for
/// dkernel, drecurrent_kernel and dx plus the bias column sums, while the chunk is in cache.
/// Dropout masks (``RecurrentDropout``) are drawn once per batch and reused at every step.
/// Gradients accumulate into `Parameter.grad`. `backward` must follow a `forward`, once.
///
/// Speed-ups around the loop, each in its own file and tested against this plain path:
/// ``RecurrentBatchSplit`` (two halves of a batch on two threads: ``forward(_:context:)`` and
/// ``backward(_:)`` go through it), the fused embedding (RecurrentEmbedded.swift: token ids
/// read rows of `P = E·K` instead of `x·K`) and Bidirectional's directions on two threads
/// (BidirectionalParallel.swift). The seam they use is ``RecurrentDriver`` (RecurrentLayer.swift).
///
/// Cost: ≈ 2·T·B·kH·(F+H) flops forward, twice that backward; memory ≈ T·B·(F + kH + 2H) floats,
/// kept in ``RecurrentBuffer``s that grow only (no allocation per step or per batch of a seen shape).
/// Failure: `build` throws ``InputError`` unless the input is `[T, F]`; shape mismatches at
/// `forward` are programmer errors.
public final class Recurrent<Cell: RecurrentCell>: RecurrentLayer {
    public var name: String
    public let cell: Cell
    public let units: Int
    public let useBias: Bool
    public let returnSequences: Bool
    public let goBackwards: Bool
    public let dropout: Float
    public let recurrentDropout: Float
    public private(set) var kernel: Parameter?
    public private(set) var recurrentKernel: Parameter?
    public private(set) var bias: Parameter?
    public private(set) var inputFeatures = 0
    /// Whether backward computes dL/dx (``Sequential`` clears it for the first trainable layer).
    public var computesInputGradient = true
    let gates = Cell.gates

    /// The two-thread split of large batches that ``forward(_:context:)`` applies.
    let batchSplit = RecurrentBatchSplit<Cell>()
    @_spi(Benchmarks) public var parallelMinBatch: Int {
        get { batchSplit.minBatch }
        set { batchSplit.minBatch = newValue }
    }
    /// Token-id input through a projected embedding table (RecurrentEmbedded.swift), or `nil`
    /// for ordinary `[B, T, F]` input. Set per forward by the caller; shared with the twin.
    var embedded: EmbeddedProjection?
    var idsTimeMajor: [Int32] = []    // [T·B] processing order, with `embedded`
    let tableGrad = RecurrentBuffer() // dL/dP [V, kH], with `embedded`

    // The stash of one batch (valid between forward and backward).
    var batch = 0, steps = 0
    var masks = RecurrentDropout()
    var stashValid = false
    let xs = RecurrentBuffer()        // [T, B, F] processing order
    let z = RecurrentBuffer()         // [T, B, kH] pre-activations → cell's stash → gradients
    let hs = RecurrentBuffer()        // [T+1, B, H] states, hs[0] = 0
    let wK = RecurrentBuffer(), wKT = RecurrentBuffer(), wU = RecurrentBuffer(), wUT = RecurrentBuffer()
    let wB = RecurrentBuffer()
    let scratch = RecurrentBuffer()   // masked sources, dx temporaries
    let stepScratch = RecurrentBuffer() // [B, H], the cells' masked products
    let dhBuf = RecurrentBuffer()       // dL/dh flowing back through time, [B, H]
    let gateDx = RecurrentBuffer()      // [T·B, F], dx of one gate under per-gate masks
    let dyBuf = RecurrentBuffer(), dxBuf = RecurrentBuffer(), gradBuf = RecurrentBuffer()
    /// Pre-activation floats per chunk of steps: 64K (256 KB, L2-resident). Tests lower it.
    var chunkFloats = 65_536

    init(cell: Cell, units: Int, useBias: Bool, returnSequences: Bool, goBackwards: Bool,
         dropout: Float, recurrentDropout: Float, name: String) {
        precondition(units > 0, "units must be > 0, received \(units)")
        precondition(cell.activation != .softmax && cell.recurrentActivation != .softmax, "softmax is not a recurrent activation")
        self.cell = cell; self.units = units; self.useBias = useBias
        self.returnSequences = returnSequences; self.goBackwards = goBackwards
        self.dropout = min(1, max(0, dropout)); self.recurrentDropout = min(1, max(0, recurrentDropout))
        self.name = name
    }

    public var kind: String { Cell.kind }
    public var activation: Activation { cell.activation }
    public var recurrentActivation: Activation { cell.recurrentActivation }
    public var parameters: [Parameter] { [kernel, recurrentKernel, bias].compactMap { $0 } }

    public var config: [String: ConfigValue] {
        ["name": .string(name), "units": .int(units), "activation": .string(activation.rawValue),
         "use_bias": .bool(useBias), "return_sequences": .bool(returnSequences),
         "go_backwards": .bool(goBackwards), "dropout": .double(Double(dropout)),
         "recurrent_dropout": .double(Double(recurrentDropout))].merging(cell.config) { a, _ in a }
    }

    /// A fresh, unbuilt layer with the same options (Bidirectional's backward copy, the twin).
    func copy(goBackwards: Bool, name: String) -> Recurrent<Cell> {
        Recurrent(cell: cell.fresh(), units: units, useBias: useBias, returnSequences: returnSequences,
                  goBackwards: goBackwards, dropout: dropout, recurrentDropout: recurrentDropout, name: name)
    }

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
        bias = useBias ? Parameter(name: "\(name)/bias", value: cell.initialBias(units: units)) : nil
        return returnSequences ? [inputShape[0], units] : [units]
    }

    public func forward(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        embedded = nil
        return batchSplit.forward(self, x, context: &context)
    }

    public func backward(_ dy: Tensor) -> Tensor { batchSplit.backward(self, dy) }

    // MARK: the plain path

    /// This batch's dropout masks, per sample, from the context's next mask draw (none, and no
    /// draw taken, at inference or without dropout).
    func drawMasks(batch b: Int, context: inout ForwardContext) -> RecurrentDropout {
        let (mi, mr) = RecurrentDropout.counts(gates: gates, dropout: dropout < 1 ? dropout : 0,
                                               recurrentDropout: recurrentDropout < 1 ? recurrentDropout : 0,
                                               training: context.training)
        var m = RecurrentDropout()
        guard mi + mr > 0 else { return m }
        m.draw(inputCount: mi, recurrentCount: mr, batch: b, features: inputFeatures, units: units,
               dropout: dropout, recurrentDropout: recurrentDropout, streams: context.nextMaskDraw())
        return m
    }

    /// The whole batch `x` (`[B, T, F]`, or ids `[B, T]` when `embedded`) on the calling thread
    /// with the given masks: the time loop.
    func forwardPlain(_ x: Tensor, masks: RecurrentDropout) -> Tensor {
        guard let kernel, let recurrentKernel else { preconditionFailure("\(kind) '\(name)' used before build") }
        precondition(acceptsInput(x), embedded == nil
                     ? "\(kind) '\(name)' expects [B, T, \(inputFeatures)], received \(x.shape)"
                     : "\(kind) '\(name)' expects token ids [B, T], received \(x.shape)")
        let b = x.shape[0], t = x.shape[1], f = inputFeatures, h = units, kh = gates * units
        batch = b; steps = t
        wK.load(kernel.value.data); wU.load(recurrentKernel.value.data)
        if let bias { wB.load(bias.value.data) }
        self.masks = masks
        if embedded != nil {
            precondition(masks.inputCount == 0, "\(kind) '\(name)': input dropout cannot run on embedded ids")
            loadIds(x)
        } else {
            let xp = xs.reserve(t * b * f)
            x.data.withUnsafeBufferPointer { TimeMajor.pack($0.baseAddress!, xp, b: b, t: t, w: f, reverse: goBackwards) }
        }
        let zp = z.reserve(t * b * kh)
        hs.reserve((t + 1) * b * h).update(repeating: 0, count: b * h)
        // Chunks of a few steps keep the projected inputs in L2 until the steps consume them.
        let chunk = chunkSteps
        masks.withPointers { mi, mr in
            withInputRows { rows, ids in
                let st = stepPointers(recurrentMasks: mr, inputRows: rows, ids: ids)
                cell.beginForward(st)
                for s0 in stride(from: 0, to: t, by: chunk) {
                    let s1 = min(t, s0 + chunk)
                    projectInputs(zp, steps: s0..<s1, masks: mi)
                    for s in s0..<s1 { cell.forward(step: s, st) }
                }
            }
        }
        stashValid = true
        return output()
    }

    /// What the cell's steps see of this batch's stash (see ``RecurrentSteps``).
    func stepPointers(recurrentMasks: UnsafePointer<Float>?, inputRows: UnsafePointer<Float>?,
                      ids: UnsafePointer<Int32>?) -> RecurrentSteps {
        RecurrentSteps(batch: batch, units: units, steps: steps, gates: gates, z: z.pointer, hs: hs.pointer,
                       bias: useBias ? UnsafePointer(wB.pointer) : nil, u: wU.pointer, ut: wUT.pointer,
                       recurrentMasks: recurrentMasks, inputRows: inputRows, ids: ids,
                       scratch: stepScratch.reserve(batch * units), dh: dhBuf.pointer)
    }

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

    private func output() -> Tensor {
        let b = batch, t = steps, h = units
        if returnSequences {
            let data = [Float](unsafeUninitializedCapacity: b * t * h) { buf, count in
                TimeMajor.unpack(hs.pointer + b * h, buf.baseAddress!, b: b, t: t, w: h, reverse: false)
                count = b * t * h
            }
            return Tensor(shape: [b, t, h], data: data)
        }
        return Tensor(shape: [b, h], data: Array(UnsafeBufferPointer(start: hs.pointer + t * b * h, count: b * h)))
    }
}
