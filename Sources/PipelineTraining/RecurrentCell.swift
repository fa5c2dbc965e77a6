import PipelineCore

/// One timestep of a recurrent layer, as Keras' cells: ``SimpleRNNCell``, ``LSTMCell``,
/// ``GRUCell``. The driver ``Recurrent`` runs the time loop: it calls ``forward(step:_:)`` for
/// `s = 0, 1, …, T−1` and, in backward, ``backward(step:dy:_:)`` for `s = T−1, …, 0`.
///
/// ```swift
/// let lstm = LSTM(units: 32)        // Recurrent<LSTMCell>: the driver with an LSTM cell
/// lstm.cell.unitForgetBias          // the cell holds the cell's own options
/// ```
///
/// Shape legend: `B` batch, `T` timesteps, `F` features, `H` units, `k` gates (``gates``).
/// The driver owns the time-major stash, in processing order (see ``RecurrentSteps``):
/// `z [T, B, kH]` holds `x·K` (or nothing, when the cell reads the fused embedding's rows in
/// its kernel) when step `s` starts, what the cell keeps for backward after the step, and the
/// gate gradients after the backward step; `hs [T+1, B, H]` holds the states, `hs[0] = 0`. A
/// cell keeps any other stash itself (LSTM's cells, GRU's `r⊙h`) and tells the driver where
/// its gate gradients are (``gradientSpans(_:)``), so that one GEMM per chunk of steps turns
/// them into dkernel, drecurrent_kernel, the bias and dx. The step methods are SPI: only the
/// module's three cells implement them.
public protocol RecurrentCell: AnyObject {
    /// Keras' class name of the layer: `SimpleRNN`, `LSTM`, `GRU`.
    static var kind: String { get }
    /// Gate blocks of `H` columns in the kernels: 1, 4 (i, f, c, o) or 3 (z, r, h).
    static var gates: Int { get }
    var activation: Activation { get }
    /// The gates' activation (σ); SimpleRNN has none and reports `.sigmoid`.
    var recurrentActivation: Activation { get }
    /// The cell's own configuration keys (the driver adds the common ones).
    var config: [String: ConfigValue] { get }

    /// The bias parameter's initial value for `units` (shape `[kH]`, GRU reset_after `[2, 3H]`).
    @_spi(RecurrentCells) func initialBias(units: Int) -> Tensor
    /// A cell with the same options and its own stash (a twin's or a reversed copy's).
    @_spi(RecurrentCells) func fresh() -> Self
    /// Whether the forward kernel reads step `s`'s rows of the fused embedding's `P` itself
    /// (`RecurrentSteps.inputRows`) instead of finding `x·K` in `z` (RecurrentEmbedded.swift).
    @_spi(RecurrentCells) var readsInputRows: Bool { get }

    /// Sizes the cell's stash for `steps.steps` steps of `steps.batch` rows (before step 0).
    @_spi(RecurrentCells) func beginForward(_ steps: RecurrentSteps)
    /// Step `s`: from `z[s]` (`x_s·K`) and `hs[s]`, writes `hs[s+1]` and keeps what backward needs.
    @_spi(RecurrentCells) func forward(step s: Int, _ steps: RecurrentSteps)
    /// Clears the state carried backwards through time besides `dh` (which the driver zeroes).
    @_spi(RecurrentCells) func beginBackward(_ steps: RecurrentSteps)
    /// Step `s` in reverse: `dh += dy` (nil: no output gradient at this step), the stash of
    /// step `s` becomes its gate gradients, and `dh` becomes dL/dh_s for step `s−1`.
    @_spi(RecurrentCells) func backward(step s: Int, dy: UnsafePointer<Float>?, _ steps: RecurrentSteps)
    /// Where the gate gradients are once the backward steps have run, for the per-chunk GEMMs.
    @_spi(RecurrentCells) func gradientSpans(_ steps: RecurrentSteps) -> BackwardSpans
}

/// What a cell's step sees: pointers into the driver's stash for the current batch, valid for
/// one forward or backward pass. Shape legend as ``RecurrentCell``.
@_spi(RecurrentCells) public struct RecurrentSteps {
    let batch: Int, units: Int, steps: Int, gates: Int
    let z: UnsafeMutablePointer<Float>              // [T, B, kH]
    let hs: UnsafeMutablePointer<Float>             // [T+1, B, H]
    let bias: UnsafePointer<Float>?                 // [kH] (GRU reset_after [2, kH]); nil without bias
    let u: UnsafePointer<Float>                     // recurrent_kernel [H, kH]
    let ut: UnsafePointer<Float>                    // its transpose [kH, H] (backward only)
    let recurrentMasks: UnsafePointer<Float>?       // k × [B, H] or nil
    /// The fused embedding's `P [V, kH]` and the ids of step 0 (step `s` at `ids + s·B`), when
    /// the cell reads the rows in its kernel; nil otherwise (then `z` holds `x·K`).
    let inputRows: UnsafePointer<Float>?, ids: UnsafePointer<Int32>?
    let scratch: UnsafeMutablePointer<Float>        // [B, H], the masked products
    let dh: UnsafeMutablePointer<Float>             // [B, H], dL/dh flowing back (backward only)

    /// The ids of step `s`'s rows of `P`, or nil.
    func ids(atStep s: Int) -> UnsafePointer<Int32>? { ids.map { $0 + s * batch } }
}

/// Gradient columns of the input side: gates `gate0..<gate0+gates` of dZ, stored at `dz` with
/// row stride `ld` over the `T·B` rows (time-major).
@_spi(RecurrentCells) public struct InputGradSpan {
    var gate0: Int, gates: Int
    var dz: UnsafePointer<Float>, ld: Int
}

/// Gradient columns of the recurrent side: dU[:, span] += sourceᵀ · dZ[span], where `source`
/// is `[T·B, H]` (the previous states, or GRU's r ⊙ h) masked per gate when `masked`.
@_spi(RecurrentCells) public struct RecurrentGradSpan {
    var gate0: Int, gates: Int
    var dz: UnsafePointer<Float>, ld: Int
    var source: UnsafePointer<Float>
    var masked: Bool
}

/// What a cell's backward steps leave for the once-per-chunk gradient products.
@_spi(RecurrentCells) public struct BackwardSpans {
    var input: [InputGradSpan]
    var recurrent: [RecurrentGradSpan]
    /// Where the recurrent-side bias gradient goes in `bias` (GRU reset_after: k·H), if any.
    var recurrentBiasOffset: Int?
}
