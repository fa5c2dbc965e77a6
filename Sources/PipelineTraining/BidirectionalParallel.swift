import PipelineCore

/// ``Bidirectional``'s two directions on two threads: for a batch of at least the layers'
/// `parallelMinBatch` samples (64), the forward direction runs on the calling thread and the
/// backward one on a pool thread (``ParallelPair``), each over the whole batch, instead of one
/// after the other with each batch split in two (``RecurrentBatchSplit``). A whole batch per
/// thread gives each direction bigger products and spares the split's copies.
///
/// Shape legend: `B` batch, `T` timesteps, `F` features, `H` units.
///
/// Semantics: the same outputs and gradients as the directions one after the other. Dropout
/// masks are drawn first, forward layer then backward layer, exactly as the sequential order
/// consumes the step's stream; backward runs in parallel when the forward did. The decision
/// depends on the batch size only, so a seed gives the same weights on any machine.
/// Cost: none beyond the two directions; both must be free to run at once (they share no state
/// but the input). Uses the directions only through ``RecurrentDriver``'s plain entry points.
extension Bidirectional {
    /// Whether the two directions run at the same time, one per thread.
    func directionsInParallel(_ x: Tensor) -> Bool {
        let b = x.shape.first ?? 0
        return b >= 2 && b >= forwardDriver.parallelMinBatch && b >= backwardDriver.parallelMinBatch
    }

    /// Both directions' forward passes at once, into `yForward` and `yBackward`.
    func runDirectionsInParallel(_ x: Tensor, context: inout ForwardContext) {
        let b = x.shape[0]
        let f = forwardDriver, r = backwardDriver
        let mf = f.drawMasks(batch: b, context: &context), mr = r.drawMasks(batch: b, context: &context)
        var y1 = Tensor(shape: [0]), y2 = Tensor(shape: [0])
        ParallelPair.run({ y1 = f.forwardPlain(x, masks: mf) }, { y2 = r.forwardPlain(x, masks: mr) })
        yForward = y1; yBackward = y2
        parallelDirections = true
    }

    /// Both directions' backward passes, at the same time when their forward passes were.
    func backwardDirections(_ dF: Tensor, _ dB: Tensor) -> (Tensor, Tensor) {
        guard parallelDirections else { return (forwardDriver.backward(dF), backwardDriver.backward(dB)) }
        parallelDirections = false
        var d1 = Tensor(shape: [0]), d2 = Tensor(shape: [0])
        let f = forwardDriver, r = backwardDriver
        ParallelPair.run({ d1 = f.backwardPlain(dF) }, { d2 = r.backwardPlain(dB) })
        return (d1, d2)
    }
}
