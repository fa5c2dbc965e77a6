import PipelineCore

/// One epoch's batches, as the data stages produce them (any `AsyncSequence` of ``Batch``).
public typealias BatchSequence = any AsyncSequence<Batch, any Error> & Sendable
/// Makes the batch sequence of a 0-based epoch: a fresh shuffle per epoch, or an endless
/// generator (then pass `stepsPerEpoch` / `validationSteps`).
public typealias EpochBatches = @Sendable (_ epoch: Int) -> BatchSequence

extension Sequential {
    /// Sets the optimizer, loss and metrics used by `fit` and `evaluate`, as Keras' `compile`.
    public func compile(optimizer: any Optimizer, loss: Loss, metrics: [Metric] = []) {
        self.optimizer = optimizer; self.loss = loss; self.metrics = metrics
    }

    /// The dropout mask seed of one training step: the first value of
    /// `SeededRandom(seed:, stage: "dropout/<step>", epoch:)` (0-based epoch and step), so a run
    /// replays exactly from its seed. The step is part of the seed because some sources (the
    /// book's endless generators) give every batch `sampleOffset` 0; the step of a global batch
    /// is the same on every data-parallel rank, so masks still do not depend on the rank count.
    public static func dropoutSeed(seed: UInt64, epoch: Int, step: Int) -> UInt64 {
        var rng = SeededRandom(seed: seed, stage: "dropout/\(step)", epoch: epoch)
        return rng.next()
    }

    /// The training context of step `step` of `epoch` on `batch` (or a rank's share of it):
    /// per-sample masks from ``dropoutSeed(seed:epoch:step:)`` and `batch.sampleOffset`.
    func trainingContext(_ batch: Batch, epoch: Int, step: Int) -> ForwardContext {
        ForwardContext(training: true, maskSeed: Self.dropoutSeed(seed: seed, epoch: epoch, step: step),
                       firstSample: batch.sampleOffset)
    }

    /// One optimisation step on one batch: forward (training), loss, backward, finiteness check,
    /// optimizer update. Returns the batch loss (before the update) and the predictions.
    /// Throws ``InputError`` for a batch that does not fit the model and ``NonFiniteError`` when
    /// the loss or a gradient is NaN/inf (the weights are then left unchanged).
    public func trainStep(_ batch: Batch, epoch: Int = 0, step: Int = 0) throws -> (loss: Float, prediction: Tensor) {
        try FlushDenormals.scoped { try trainStepBody(batch, epoch: epoch, step: step) }
    }

    /// One step in the thread's current floating-point mode (``trainStep`` flushes denormals).
    private func trainStepBody(_ batch: Batch, epoch: Int, step: Int) throws -> (loss: Float, prediction: Tensor) {
        guard let optimizer else { preconditionFailure("Sequential '\(name)': compile() before training") }
        StepMemory.applyIfRequested()   // the heap policy, only if the program asked (ProcessTuning)
        let x = try input(of: batch)
        zeroGradients()
        let start = trainingContext(batch, epoch: epoch, step: step)
        var context = start
        let y = forward(x, context: &context)
        try checkTargets(batch, prediction: y)
        let (value, gradient) = loss.evaluate(prediction: y, target: batch.y)
        if !value.isFinite { throw diagnoseNonFiniteLoss(x, context: start, loss: value, epoch: epoch, step: step) }
        backward(gradient)
        if let bad = firstNonFiniteGradientLayer() {
            throw NonFiniteError(epoch: epoch + 1, step: step + 1, loss: value, place: .gradient,
                                 layer: "'\(bad.name)' (\(bad.kind))")
        }
        optimizer.apply(trainable)
        return (value, y)
    }

    /// The batch's inputs as a tensor, checked against the model's input shape (and token ids).
    func input(of batch: Batch) throws -> Tensor {
        guard let inputShape else { preconditionFailure("Sequential '\(name)' used before build") }
        guard Array(batch.xShape.dropFirst()) == inputShape else {
            throw InputError("batch inputs of shape \(batch.xShape) do not fit model '\(name)' built for \(Self.kerasShape(inputShape))",
                             hint: "check maxlen / lookback and the model's input_shape")
        }
        let x = Tensor(shape: batch.xShape, data: batch.x)
        if let embedding = layers.first as? Embedding { try embedding.validate(x) }
        return x
    }

    func checkTargets(_ batch: Batch, prediction y: Tensor) throws {
        guard batch.y.count == loss.targetCount(for: y) else {
            throw InputError("batch targets of shape \(batch.yShape) do not match the model output \(Self.kerasShape(outputShape ?? [])) for \(loss.name)",
                             hint: loss.isCategorical ? "sparse_categorical_crossentropy takes class ids [B] or [B, 1]; categorical_crossentropy one-hot rows [B, C]"
                                                      : "the last layer's units must match the targets")
        }
        try loss.validateTargets(batch.y, shape: batch.yShape, prediction: y, sampleOffset: batch.sampleOffset)
    }

    /// Trains for `epochs` epochs, as Keras' `fit`, and returns the ``History``.
    ///
    /// ```swift
    /// let history = try await model.fit(
    ///     trainData: { epoch in trainStream(epoch) }, epochs: 20, stepsPerEpoch: 500,
    ///     validationData: { epoch in valStream(epoch) }, validationSteps: 769,
    ///     callbacks: [ProgressLogger(), EarlyStopping(patience: 2)])
    /// ```
    ///
    /// Semantics: each epoch asks `trainData(epoch)` for a fresh sequence and consumes it
    /// through ``AsyncSequence/prefetched(_:)`` (`prefetch` batches are assembled while the
    /// model computes), stopping after `stepsPerEpoch` batches if given (endless generators)
    /// or when the sequence ends. The logged `loss` and metrics are means over the epoch's
    /// samples, computed before each update (as Keras). Validation runs after the epoch on
    /// `validationData(epoch)` (at most `validationSteps` batches) and logs `val_` keys.
    /// Keras' `validation_split` is done on the data side: take
    /// `Split.lastFraction(count:fraction:)` of the samples **before** shuffling.
    /// Determinism: weights from the build seed, dropout masks per sample from
    /// ``dropoutSeed(seed:epoch:step:)`` and each sample's position (``ForwardContext``); with
    /// deterministic data the same seed gives bit-identical weights, and a data-parallel run
    /// (``dataParallel``) draws the same masks whatever its number of ranks.
    /// Resuming: `resumeFrom` continues an interrupted run inside an epoch (``FitPosition``;
    /// it overrides `initialEpoch`); restore the weights and optimizer state first. The returned
    /// history holds only the epochs this call finished.
    /// Non-finite steps: `onNonFinite` (``NonFinitePolicy``) stops (default) or skips the batch;
    /// with `.skipBatch` every epoch logs `skipped_batches` (the count; see ``Logs/countKeys``)
    /// and an epoch whose every batch was skipped throws ``SkippedEpochError``.
    /// Stopping: `stop` (``StopRequest``) is checked before each training step; when raised,
    /// `fit` throws ``FitInterrupted`` with the position reached (resume from it bit-identically).
    /// Cost: the steps plus one `evaluate` per epoch. Failures: ``InputError`` (empty epoch,
    /// batch shapes, token ids), ``NonFiniteError``, ``SkippedEpochError``, ``FitInterrupted``,
    /// errors of the data or of a callback.
    @discardableResult
    public func fit(trainData: EpochBatches, epochs: Int, stepsPerEpoch: Int? = nil,
                    validationData: EpochBatches? = nil, validationSteps: Int? = nil,
                    initialEpoch: Int = 0, resumeFrom: FitPosition? = nil, onNonFinite: NonFinitePolicy = .stop,
                    callbacks: [any Callback] = [], prefetch: Int = 2, stop: StopRequest? = nil) async throws -> History {
        if let stop {
            return try await stop.watching {
                try await fit(trainData: trainData, epochs: epochs, stepsPerEpoch: stepsPerEpoch, validationData: validationData,
                              validationSteps: validationSteps, initialEpoch: initialEpoch, resumeFrom: resumeFrom,
                              onNonFinite: onNonFinite, callbacks: callbacks, prefetch: prefetch, stopping: stop)
            }
        }
        return try await fit(trainData: trainData, epochs: epochs, stepsPerEpoch: stepsPerEpoch, validationData: validationData,
                             validationSteps: validationSteps, initialEpoch: initialEpoch, resumeFrom: resumeFrom,
                             onNonFinite: onNonFinite, callbacks: callbacks, prefetch: prefetch, stopping: nil)
    }

    private func fit(trainData: EpochBatches, epochs: Int, stepsPerEpoch: Int?, validationData: EpochBatches?, validationSteps: Int?,
                     initialEpoch: Int, resumeFrom: FitPosition?, onNonFinite: NonFinitePolicy,
                     callbacks: [any Callback], prefetch: Int, stopping stop: StopRequest?) async throws -> History {
        let initialEpoch = resumeFrom?.epoch ?? initialEpoch
        precondition(epochs >= 0 && initialEpoch >= 0, "epochs must be >= 0")
        precondition(stepsPerEpoch.map { $0 > 0 } ?? true && validationSteps.map { $0 > 0 } ?? true, "steps must be > 0")
        stopTraining = false
        dataParallelStopAgreed = false
        var history = History()
        for cb in callbacks { try cb.onTrainBegin(model: self, epochs: epochs) }
        let clock = ContinuousClock()
        for epoch in initialEpoch..<max(initialEpoch, epochs) {
            for cb in callbacks { try cb.onEpochBegin(epoch: epoch, model: self) }
            let start = clock.now
            var mean = RunningMeans(loss: loss, metrics: metrics)
            var step = 0, skip = 0, before = 0.0, skipped = 0
            if let resume = resumeFrom, resume.epoch == epoch {
                mean.restore(resume); step = resume.step; skip = resume.step; before = resume.seconds
                skipped = resume.skippedBatches ?? 0
            }
            var lastSkipped: NonFiniteError?
            try await consume(trainData(epoch), limit: stepsPerEpoch, prefetch: prefetch) { batch in
                if skip > 0 { skip -= 1; return }   // consumed before the interruption
                // Under data parallelism the ranks stop together: at the boundary after the step
                // whose allreduce carried any rank's request (DataParallel.swift).
                if let stop, dataParallel == nil ? stop.isRequested : dataParallelStopAgreed {
                    throw FitInterrupted(position: FitPosition(epoch: epoch, step: step, means: mean, skipped: skipped,
                                                               seconds: before + Self.seconds(clock.now - start)),
                                         history: history, signal: stop.signal)
                }
                do {
                    if let dataParallel {
                        _ = try dataParallelStep(batch, epoch: epoch, step: step, parallel: dataParallel, means: &mean,
                                                 stopRequested: stop?.isRequested ?? false)
                    } else {
                        let (value, prediction) = try trainStep(batch, epoch: epoch, step: step)
                        mean.add(loss: value, prediction: prediction, batch: batch)
                    }
                } catch let error as NonFiniteError where onNonFinite == .skipBatch {
                    lastSkipped = error
                    skipped += 1
                    for cb in callbacks { try cb.onBatchSkipped(error, model: self) }
                }
                step += 1
                if !callbacks.isEmpty {
                    let position = FitPosition(epoch: epoch, step: step, means: mean, skipped: skipped,
                                               seconds: before + Self.seconds(clock.now - start))
                    for cb in callbacks { try cb.onStepEnd(position: position, model: self) }
                }
            }
            guard step > 0 else {
                throw InputError("training data produced no batches for epoch \(epoch + 1)", hint: "check the data source and batch_size")
            }
            if skipped > 0 && skipped >= step {
                throw SkippedEpochError(epoch: epoch + 1, skipped: skipped, batches: step, last: lastSkipped)
            }
            if let dataParallel { try checkReplicas(dataParallel, epoch: epoch) }
            var logs = mean.logs(prefix: "")
            if let validationData {
                let val: Logs
                do {
                    val = try await evaluate(data: validationData(epoch), steps: validationSteps, prefetch: prefetch)
                } catch var e as NonFiniteEvaluationError {
                    e.epoch = epoch + 1; e.split = "validation"
                    throw e
                }
                for key in val.keys { logs["val_" + key] = val[key] }
            }
            if onNonFinite == .skipBatch { logs[Logs.skippedBatchesKey] = Double(skipped) }
            let seconds = before + Self.seconds(clock.now - start)
            history.append(epoch: epoch, logs: logs, seconds: seconds)
            for cb in callbacks { try cb.onEpochEnd(epoch: epoch, logs: logs, seconds: seconds, model: self) }
            if stopTraining { break }
        }
        for cb in callbacks { try cb.onTrainEnd(model: self, history: history) }
        return history
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The loss and metrics over a sequence in inference mode (no dropout), as Keras' `evaluate`:
    /// sample-weighted means over at most `steps` batches. Throws ``InputError`` when it is empty
    /// and ``NonFiniteEvaluationError`` when the loss or a metric is NaN or infinite (a result
    /// known to be wrong is never returned as a number).
    public func evaluate(data: BatchSequence, steps: Int? = nil, prefetch: Int = 2) async throws -> Logs {
        if let dataParallel {
            let logs = try await dataParallelEvaluate(data: data, steps: steps, prefetch: prefetch, parallel: dataParallel)
            if let key = logs.keys.sorted().first(where: { !(logs[$0] ?? 0).isFinite }) {
                throw NonFiniteEvaluationError(key: key, value: logs[key] ?? .nan)
            }
            return logs
        }
        var mean = RunningMeans(loss: loss, metrics: metrics)
        var any = false
        try await consume(data, limit: steps, prefetch: prefetch) { batch in
            let y = predict(try input(of: batch), batchSize: batch.size)
            try checkTargets(batch, prediction: y)
            mean.add(loss: loss.evaluate(prediction: y, target: batch.y).loss, prediction: y, batch: batch)
            any = true
        }
        guard any else { throw InputError("evaluation data produced no batches", hint: "check the validation source") }
        let logs = mean.logs(prefix: "")
        if let key = logs.keys.sorted().first(where: { !(logs[$0] ?? 0).isFinite }) {
            throw NonFiniteEvaluationError(key: key, value: logs[key] ?? .nan)
        }
        return logs
    }

    /// Inference on a tensor `[N, …]` in slices of `batchSize`; returns `[N, …output]`.
    public func predict(_ x: Tensor, batchSize: Int = 32) -> Tensor {
        precondition(batchSize > 0, "batchSize must be > 0")
        let n = x.shape.first ?? 0, per = n == 0 ? 0 : x.count / n
        var context = ForwardContext(training: false, rng: SeededRandom(seed: seed))
        if n <= batchSize { return forward(x, context: &context) }
        var out: [Float] = [], outShape: [Int] = []
        for start in stride(from: 0, to: n, by: batchSize) {
            let m = min(batchSize, n - start)
            let slice = Tensor(shape: [m] + x.shape.dropFirst(), data: Array(x.data[(start * per)..<((start + m) * per)]))
            let y = forward(slice, context: &context)
            out += y.data; outShape = Array(y.shape.dropFirst())
        }
        return Tensor(shape: [n] + outShape, data: out)
    }

    /// Inference over a batch sequence (targets ignored); predictions concatenated in order.
    public func predict(data: BatchSequence, steps: Int? = nil, prefetch: Int = 2) async throws -> Tensor {
        var out: [Float] = [], rows = 0, tail: [Int] = outputShape ?? []
        try await consume(data, limit: steps, prefetch: prefetch) { batch in
            let y = predict(try input(of: batch), batchSize: batch.size)
            out += y.data; rows += batch.size; tail = Array(y.shape.dropFirst())
        }
        return Tensor(shape: [rows] + tail, data: out)
    }

    /// Pulls at most `limit` batches through a bounded prefetch and hands each to `body`.
    func consume<S: AsyncSequence & Sendable>(_ sequence: S, limit: Int?, prefetch: Int,
                                              _ body: (Batch) throws -> Void) async throws where S.Element == Batch {
        var iterator = sequence.prefetched(prefetch).makeAsyncIterator()
        var taken = 0
        while limit.map({ taken < $0 }) ?? true, let batch = try await iterator.next() {
            try body(batch)
            taken += 1
        }
    }
}

/// Sample-weighted running means of the loss and metrics over an epoch (Keras' trackers).
struct RunningMeans {
    let metrics: [Metric]
    var lossSum: Double = 0, samples = 0
    var metricSums: [Double], metricCounts: [Int]

    init(loss: Loss, metrics: [Metric]) {
        self.metrics = metrics
        metricSums = Array(repeating: 0, count: metrics.count); metricCounts = Array(repeating: 0, count: metrics.count)
    }

    /// Continues the sums saved in a ``FitPosition``.
    mutating func restore(_ p: FitPosition) {
        lossSum = p.lossSum; samples = p.samples
        if p.metricSums.count == metricSums.count { metricSums = p.metricSums }
        if p.metricCounts.count == metricCounts.count { metricCounts = p.metricCounts }
    }

    mutating func add(loss: Float, prediction: Tensor, batch: Batch) {
        lossSum += Double(loss) * Double(batch.size); samples += batch.size
        for (i, m) in metrics.enumerated() {
            let (s, c) = m.accumulate(prediction: prediction, target: batch.y)
            metricSums[i] += s; metricCounts[i] += c
        }
    }

    func logs(prefix: String) -> Logs {
        var logs = Logs()
        logs[prefix + "loss"] = samples > 0 ? lossSum / Double(samples) : .nan
        for (i, m) in metrics.enumerated() {
            logs[prefix + m.name] = metricCounts[i] > 0 ? metricSums[i] / Double(metricCounts[i]) : .nan
        }
        return logs
    }
}
