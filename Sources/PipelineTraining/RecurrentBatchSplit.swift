import PipelineCore

/// Two cores for one recurrent layer: a batch of at least `minBatch` samples (64) is split into
/// two halves that run forward and backward at the same time, the second half in a `twin`
/// layer (same options, the same weight values, its own buffers and gradients).
///
/// ```swift
/// let gru = GRU(units: 32)
/// _ = gru.forward(x, context: &ctx)   // [128, 240, 14]: rows 0..<64 here, 64..<128 in the twin
/// ```
///
/// Shape legend: `B` batch, `B1 = B/2` (rounded down), `T` timesteps, `F` features, `H` units.
///
/// Semantics: samples are independent in a recurrent layer, so each half computes exactly what
/// the whole batch would for its rows; only the weight gradients are sums over the batch, and
/// they are added as `grad(first half) + grad(second half)`. The split depends only on the batch
/// size, never on the machine's core count, so a seed gives the same weights everywhere.
/// Dropout masks are drawn for the whole batch from the step's stream, as an unsplit layer
/// would, and each half takes its samples' rows, so every sample keeps its masks. Below
/// `minBatch` (or for input the layer rejects) it runs the plain path once.
/// Cost: copying x `[B, T, F]` and dy into halves and the outputs back (≈ 1 % of a step at the
/// chapter's shapes) for ≈ 2× on two free cores; one twin per layer (its buffers ≈ the layer's).
/// Uses the driver only through ``RecurrentDriver``'s plain entry points.
final class RecurrentBatchSplit<Cell: RecurrentCell> {
    /// Batches of at least this many samples are split; `Int.max` never splits.
    var minBatch = 64
    /// The layer that runs the second half (built on first use).
    private(set) var twin: Recurrent<Cell>?
    /// The rows of the first half in the last forward (0: not split).
    private(set) var rows = 0

    /// `layer`'s forward of `x`, as two halves when the batch is large enough.
    func forward(_ layer: Recurrent<Cell>, _ x: Tensor, context: inout ForwardContext) -> Tensor {
        let b = x.shape.first ?? 0
        guard b >= minBatch, b >= 2, layer.acceptsInput(x) else {
            rows = 0
            return layer.forwardPlain(x, masks: layer.drawMasks(batch: b, context: &context))
        }
        let twin = shareWeights(of: layer, input: x)
        let b1 = b / 2
        // The masks come from the stream exactly as for the whole batch; each half takes its rows.
        let all = layer.drawMasks(batch: b, context: &context)
        let f = layer.inputFeatures, h = layer.units
        let m1 = all.rows(0..<b1, batch: b, features: f, units: h), m2 = all.rows(b1..<b, batch: b, features: f, units: h)
        let (x1, x2) = Self.split(x, rows: b1)
        var y1 = Tensor(shape: [0]), y2 = Tensor(shape: [0])
        ParallelPair.run({ y1 = layer.forwardPlain(x1, masks: m1) }, { y2 = twin.forwardPlain(x2, masks: m2) })
        rows = b1
        return Self.join(y1, y2)
    }

    /// `layer`'s backward for the last ``forward(_:_:context:)``; the twin's gradients are added
    /// to the layer's (first half + second half) and cleared.
    func backward(_ layer: Recurrent<Cell>, _ dy: Tensor) -> Tensor {
        guard rows > 0, let twin else { return layer.backwardPlain(dy) }
        let (dy1, dy2) = Self.split(dy, rows: rows)
        var dx1 = Tensor(shape: [0]), dx2 = Tensor(shape: [0])
        ParallelPair.run({ dx1 = layer.backwardPlain(dy1) }, { dx2 = twin.backwardPlain(dy2) })
        for (mine, theirs) in zip(layer.parameters, twin.parameters) {
            theirs.grad.data.withUnsafeBufferPointer { mine.accumulateGrad($0.baseAddress!) }
            theirs.zeroGrad()
        }
        layer.addTableGradient(of: twin)                    // dP = dP(first half) + dP(second half)
        rows = 0
        return Self.join(dx1, dx2)
    }

    /// The twin (built on first use), holding `layer`'s current weight values and input mode.
    private func shareWeights(of layer: Recurrent<Cell>, input x: Tensor) -> Recurrent<Cell> {
        if twin == nil {
            let t = layer.copy(goBackwards: layer.goBackwards, name: layer.name) as Recurrent<Cell>
            var rng = SeededRandom(seed: 0)
            _ = try! t.build(inputShape: [x.shape[1], layer.inputFeatures], rng: &rng)
            t.chunkFloats = layer.chunkFloats
            twin = t
        }
        let t = twin!
        for (mine, theirs) in zip(layer.parameters, t.parameters) { theirs.value = mine.value }
        t.embedded = layer.embedded
        t.computesInputGradient = layer.computesInputGradient
        return t
    }

    /// The first `rows` samples and the rest, each contiguous.
    static func split(_ x: Tensor, rows: Int) -> (Tensor, Tensor) {
        let per = x.count / x.shape[0], rest = Array(x.shape.dropFirst())
        return (Tensor(shape: [rows] + rest, data: Array(x.data[0..<(rows * per)])),
                Tensor(shape: [x.shape[0] - rows] + rest, data: Array(x.data[(rows * per)...])))
    }

    /// Two batches stacked along the first axis.
    static func join(_ a: Tensor, _ b: Tensor) -> Tensor {
        Tensor(shape: [a.shape[0] + b.shape[0]] + a.shape.dropFirst(), data: a.data + b.data)
    }
}
