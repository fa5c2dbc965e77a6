import PipelineCore

/// Any of `SimpleRNN`, `LSTM` and `GRU` (each a ``Recurrent`` with its cell), without naming
/// the cell: what ``Bidirectional`` wraps and what a model builder returns.
///
/// ```swift
/// let layer: any RecurrentLayer = spec.lstm ? LSTM(units: 32) : GRU(units: 32)
/// let bi = Bidirectional(layer)
/// ```
///
/// Only ``Recurrent`` conforms; the protocol exposes its options and weights (Keras' names in
/// `config`). See ``Recurrent`` for the semantics, cost and failure modes.
public protocol RecurrentLayer: InputGradientOptional {
    var units: Int { get }
    var activation: Activation { get }
    var recurrentActivation: Activation { get }
    var useBias: Bool { get }
    var returnSequences: Bool { get }
    var goBackwards: Bool { get }
    var dropout: Float { get }
    var recurrentDropout: Float { get }
    /// `F`, set by `build`.
    var inputFeatures: Int { get }
    var kernel: Parameter? { get }
    var recurrentKernel: Parameter? { get }
    var bias: Parameter? { get }
    /// Batches of at least this many samples run as two halves on two threads
    /// (``RecurrentBatchSplit``); `Int.max` keeps the layer on one thread. Changing it changes
    /// the gradient summation order, so keep it fixed within a run. Not public API: set by tests
    /// (`@testable`) and by the Benchmarks package (`@_spi(Benchmarks) import PipelineTraining`)
    /// for one-thread baselines.
    @_spi(Benchmarks) var parallelMinBatch: Int { get set }
}

/// The seam between the plain driver ``Recurrent`` and the speed-ups that compose it, without
/// naming the cell (``Bidirectional`` holds two of these). Each entry point is the plain path:
/// the wrappers decide threads and input, the driver runs the loop.
///
/// - ``drawMasks(batch:context:)`` then ``forwardPlain(_:masks:)``: one forward on the calling
///   thread with masks drawn by the caller (so a wrapper can draw them for a whole batch, or
///   for two directions in the sequential order, before handing the work to two threads);
/// - ``backwardPlain(_:)``: the backward of that forward, on the calling thread;
/// - ``project(_:)`` / ``finishEmbeddedBackward(_:)``: switch the input to token ids read
///   through `P = E·K` and turn `dP` into the embedding's and the kernel's gradients
///   (RecurrentEmbedded.swift); `forward(_:context:)` switches back to ordinary input.
protocol RecurrentDriver: RecurrentLayer, EmbeddingConsumer {
    func copy(goBackwards: Bool, name: String) -> any RecurrentDriver
    func drawMasks(batch b: Int, context: inout ForwardContext) -> RecurrentDropout
    func forwardPlain(_ x: Tensor, masks: RecurrentDropout) -> Tensor
    func backwardPlain(_ dy: Tensor) -> Tensor
    func project(_ embedding: Embedding)
    func finishEmbeddedBackward(_ embedding: Embedding)
    /// Forgets the embedded input of the last forward (the next one takes ordinary input).
    func clearEmbedded()
}

extension Recurrent: RecurrentDriver {
    func copy(goBackwards: Bool, name: String) -> any RecurrentDriver {
        copy(goBackwards: goBackwards, name: name) as Recurrent<Cell>
    }

    func clearEmbedded() { embedded = nil }
}
