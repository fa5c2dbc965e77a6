import PipelineCore

/// Two cores for one recurrent layer: a batch of at least `parallelMinBatch` samples (64) is
/// split into two halves that run forward and backward at the same time, the second half in a
/// `twin` layer (same options, the same weight values, its own buffers and gradients).
///
/// Shape legend: `B` batch, `B1 = B/2` (rounded down), `T` timesteps, `F` features, `H` units.
///
/// Semantics: samples are independent in a recurrent layer, so each half computes exactly what
/// the whole batch would for its rows; only the weight gradients are sums over the batch, and
/// they are added as `grad(first half) + grad(second half)`. The split depends only on the batch
/// size, never on the machine's core count, so a seed gives the same weights everywhere.
/// Dropout masks are drawn for the whole batch from the step's stream, as an unsplit layer
/// would, and each half takes its samples' rows, so every sample keeps its masks.
/// Cost: copying x `[B, T, F]` and dy into halves and the outputs back (≈ 1 % of a step at the
/// chapter's shapes) for ≈ 2× on two free cores; one twin per layer (its buffers ≈ the layer's).
extension RecurrentLayer {
    public func forward(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        embedded = nil
        return forwardSplitting(x, context: &context)
    }

    /// ``forward(_:context:)`` for ordinary or (with `embedded` set) token-id input.
    func forwardSplitting(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        let b = x.shape.first ?? 0
        guard b >= parallelMinBatch, b >= 2, acceptsInput(x) else {
            splitRows = 0
            return forwardWhole(x, context: &context)
        }
        let twin = shareWeights(withTwinFor: x)
        let b1 = b / 2
        // The masks come from the stream exactly as for the whole batch; each half takes its rows.
        let all = drawMasks(batch: b, context: &context)
        presetMasks = all.rows(0..<b1, batch: b, features: inputFeatures, units: units)
        twin.presetMasks = all.rows(b1..<b, batch: b, features: inputFeatures, units: units)
        let (x1, x2) = Self.split(x, rows: b1)
        var c1 = context, c2 = context
        var y1 = Tensor(shape: [0]), y2 = Tensor(shape: [0])
        ParallelPair.run({ y1 = self.forwardWhole(x1, context: &c1) }, { y2 = twin.forwardWhole(x2, context: &c2) })
        splitRows = b1
        return Self.join(y1, y2)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard splitRows > 0, let twin else { return backwardWhole(dy) }
        let (dy1, dy2) = Self.split(dy, rows: splitRows)
        var dx1 = Tensor(shape: [0]), dx2 = Tensor(shape: [0])
        ParallelPair.run({ dx1 = self.backwardWhole(dy1) }, { dx2 = twin.backwardWhole(dy2) })
        for (mine, theirs) in zip(parameters, twin.parameters) {
            theirs.grad.data.withUnsafeBufferPointer { mine.accumulateGrad($0.baseAddress!) }
            theirs.zeroGrad()
        }
        if let e = embedded {                               // dP = dP(first half) + dP(second half)
            let mine = tableGrad.pointer, theirs = twin.tableGrad.pointer
            for i in 0..<(e.vocabulary * gates * units) { mine[i] += theirs[i] }
        }
        splitRows = 0
        return Self.join(dx1, dx2)
    }

    /// The twin (built on first use), holding this layer's current weight values.
    private func shareWeights(withTwinFor x: Tensor) -> RecurrentLayer {
        if twin == nil {
            let t = copy(goBackwards: goBackwards, name: name)
            var rng = SeededRandom(seed: 0)
            _ = try! t.build(inputShape: [x.shape[1], inputFeatures], rng: &rng)
            t.chunkFloats = chunkFloats
            twin = t
        }
        let t = twin!
        for (mine, theirs) in zip(parameters, t.parameters) { theirs.value = mine.value }
        t.embedded = embedded
        t.computesInputGradient = computesInputGradient
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
