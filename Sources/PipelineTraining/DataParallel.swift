import PipelineCore

/// The seam between the trainer and a data-parallel runtime: the ranks of a job each hold the
/// same model and see the same global batches; ``Sequential/fit`` (with
/// ``Sequential/dataParallel`` set) trains each rank on its share of every batch and sums the
/// gradients through this protocol. The engine knows nothing of the transport: the CLI's
/// `PipelineDistributed` module implements it over MPI (`mpirun -np N pipeline run SPEC`).
///
/// Contract: every method is collective (all ranks call it, in the same order, with buffers of
/// the same length) and returns the same result on every rank; a rank that fails between two
/// collective calls must end the whole job (MPI_Abort), else the others wait forever.
public protocol DataParallel: AnyObject, Sendable {
    /// This process's index, `0..<size`; rank 0 writes the run folder.
    var rank: Int { get }
    /// The number of ranks in the job.
    var size: Int { get }
    /// Replaces every element by its sum over all ranks.
    func sum(_ values: UnsafeMutableBufferPointer<Float>) throws
    /// Replaces every element by its sum over all ranks.
    func sum(_ values: UnsafeMutableBufferPointer<Double>) throws
    /// True (on every rank) when every rank passed the same value.
    func agree(_ value: UInt64) throws -> Bool
}

extension DataParallel {
    /// This rank's contiguous share of `count` samples: `rank*count/size ..< (rank+1)*count/size`,
    /// the same split whenever `size` is the same (empty when `count < size` for some ranks).
    public func share(of count: Int) -> Range<Int> {
        (rank * count / size)..<((rank + 1) * count / size)
    }
}

/// The replicas' weights differ after an epoch (the all-reduced updates should keep them equal):
/// a bug or ranks that read different data; the job stops rather than train diverged copies.
public struct ReplicaMismatchError: Error, Sendable, CustomStringConvertible {
    public var epoch: Int
    public var description: String {
        "the weights differ across ranks after epoch \(epoch) (data-parallel replicas diverged; "
            + "check that every rank reads the same data and spec, and report it if they do)"
    }
}

extension Batch {
    /// Samples `range` of this batch (`sampleOffset` moved along), for one rank's share.
    func samples(_ range: Range<Int>) -> Batch {
        if range == 0..<size { return self }
        let perX = size == 0 ? 0 : x.count / size, perY = size == 0 ? 0 : y.count / size
        return Batch(x: Array(x[(range.lowerBound * perX)..<(range.upperBound * perX)]), xShape: [range.count] + xShape.dropFirst(),
                     y: Array(y[(range.lowerBound * perY)..<(range.upperBound * perY)]), yShape: [range.count] + yShape.dropFirst(),
                     sampleOffset: sampleOffset + range.lowerBound)
    }
}

extension Sequential {
    /// One data-parallel training step on a global batch: this rank's share forward and backward
    /// with the loss gradient scaled by `share / batch`, then ONE sum of a flat buffer holding
    /// every trainable gradient, the scaled loss and the share's loss and metric sums, so every
    /// rank holds the gradient of the loss averaged over the GLOBAL batch, applies the same
    /// update and merges the same sums into `means`. One allreduce per step: a network's latency
    /// is paid once per step (the metric sums travel as Float, ~1e-7 relative, accumulated in
    /// Double over the epoch). A last slot carries this rank's stop request (`stopRequested`):
    /// when any rank had one, ``dataParallelStopAgreed`` is set on every rank, and `fit` stops
    /// all of them before the next step (a rank never stops alone and leaves the others waiting).
    ///
    /// Non-finite values propagate through the sums, so every rank sees the same verdict and
    /// throws the same ``NonFiniteError`` (or skips the same batch). A bad batch (shapes, ids,
    /// targets) throws on the rank holding it only: the job must then be aborted (see
    /// ``DataParallel``). Cost: a copy of the gradients in and out of one buffer per step.
    func dataParallelStep(_ batch: Batch, epoch: Int, step: Int, parallel p: any DataParallel,
                          means: inout RunningMeans, stopRequested: Bool = false) throws -> Float {
        try FlushDenormals.scoped {
            guard let optimizer else { preconditionFailure("Sequential '\(name)': compile() before training") }
            StepMemory.applyIfRequested()
            let share = p.share(of: batch.size)
            zeroGradients()
            var local = RunningMeans(loss: loss, metrics: metrics)
            var scaledLoss: Float = 0
            if !share.isEmpty {
                let part = batch.samples(share)
                let x = try input(of: part)
                var context = trainingContext(part, epoch: epoch, step: step)   // per-sample masks: same for any N
                let y = forward(x, context: &context)
                try checkTargets(part, prediction: y)
                let (value, lossGradient) = loss.evaluate(prediction: y, target: part.y)
                var gradient = lossGradient
                if share.count != batch.size {
                    let scale = Float(share.count) / Float(batch.size)
                    gradient.data.withUnsafeMutableBufferPointer { g in for i in g.indices { g[i] *= scale } }
                }
                scaledLoss = value * Float(share.count) / Float(batch.size)
                if value.isFinite { backward(gradient) }
                else { scaledLoss = value }   // propagates as non-finite; no backward on garbage
                local.add(loss: value, prediction: y, batch: part)
            }
            // The flat buffer: every trainable gradient, the scaled loss, then this share's loss
            // and metric sums (as Float: sums over one share of one step, ~1e-7 relative, then
            // accumulated in Double), so a step costs ONE allreduce (one latency, not two).
            // Last, one slot: 1 when this rank was asked to stop (Ctrl-C, SIGTERM), so every rank
            // learns of a request any rank got and all stop at the same step boundary.
            let total = trainable.reduce(0) { $0 + $1.grad.count }
            let localSums = local.flattened()
            let stopSlot = total + 1 + localSums.count
            if dataParallelBuffer.count != stopSlot + 1 {
                dataParallelBuffer = [Float](repeating: 0, count: stopSlot + 1)
            }
            var offset = 0
            for p in trainable {
                let n = p.grad.count
                p.grad.data.withUnsafeBufferPointer { g in
                    dataParallelBuffer.withUnsafeMutableBufferPointer { b in
                        _ = UnsafeMutableBufferPointer(rebasing: b[offset..<(offset + n)]).update(fromContentsOf: g)
                    }
                }
                offset += n
            }
            dataParallelBuffer[total] = scaledLoss
            for (i, v) in localSums.enumerated() { dataParallelBuffer[total + 1 + i] = Float(v) }
            dataParallelBuffer[stopSlot] = stopRequested ? 1 : 0
            try dataParallelBuffer.withUnsafeMutableBufferPointer { try p.sum($0) }
            if dataParallelBuffer[stopSlot] > 0 { dataParallelStopAgreed = true }
            let sums = (0..<localSums.count).map { Double(dataParallelBuffer[total + 1 + $0]) }
            let globalLoss = dataParallelBuffer[total]
            if !globalLoss.isFinite {
                throw NonFiniteError(epoch: epoch + 1, step: step + 1, loss: globalLoss, place: .loss, layer: nil)
            }
            offset = 0
            for p in trainable {
                let n = p.grad.count
                p.grad.data.withUnsafeMutableBufferPointer { g in
                    dataParallelBuffer.withUnsafeBufferPointer { b in
                        _ = g.update(fromContentsOf: UnsafeBufferPointer(rebasing: b[offset..<(offset + n)]))
                    }
                }
                offset += n
            }
            if let bad = firstNonFiniteGradientLayer() {
                throw NonFiniteError(epoch: epoch + 1, step: step + 1, loss: globalLoss, place: .gradient,
                                     layer: "'\(bad.name)' (\(bad.kind))")
            }
            optimizer.apply(trainable)
            means.merge(flattened: sums)
            return globalLoss
        }
    }

    /// ``evaluate(data:steps:prefetch:)`` over this rank's share of each batch, the sums merged
    /// across ranks once at the end (the same result on every rank).
    func dataParallelEvaluate(data: BatchSequence, steps: Int?, prefetch: Int, parallel p: any DataParallel) async throws -> Logs {
        var mean = RunningMeans(loss: loss, metrics: metrics)
        try await consume(data, limit: steps, prefetch: prefetch) { batch in
            let share = p.share(of: batch.size)
            guard !share.isEmpty else { return }
            let part = batch.samples(share)
            let y = predict(try input(of: part), batchSize: part.size)
            try checkTargets(part, prediction: y)
            mean.add(loss: loss.evaluate(prediction: y, target: part.y).loss, prediction: y, batch: part)
        }
        var sums = mean.flattened()
        try sums.withUnsafeMutableBufferPointer { try p.sum($0) }
        var merged = RunningMeans(loss: loss, metrics: metrics)
        merged.merge(flattened: sums)
        guard merged.samples > 0 else { throw InputError("evaluation data produced no batches", hint: "check the validation source") }
        return merged.logs(prefix: "")
    }

    /// A hash of every parameter's bits (FNV-1a), equal on ranks holding equal weights.
    public func weightsHash() -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for p in parameters {
            p.value.data.withUnsafeBufferPointer { values in
                for v in values { h = (h ^ UInt64(v.bitPattern)) &* 0x0000_0100_0000_01b3 }
            }
        }
        return h
    }

    /// Throws ``ReplicaMismatchError`` when the ranks' weights differ (a collective call).
    func checkReplicas(_ p: any DataParallel, epoch: Int) throws {
        guard try p.agree(weightsHash()) else { throw ReplicaMismatchError(epoch: epoch + 1) }
    }
}

extension RunningMeans {
    /// `[lossSum, samples, metricSums…, metricCounts…]`, for a sum across ranks.
    func flattened() -> [Double] {
        [lossSum, Double(samples)] + metricSums + metricCounts.map(Double.init)
    }

    /// Adds sums laid out as ``flattened()``.
    mutating func merge(flattened s: [Double]) {
        lossSum += s[0]; samples += Int(s[1])
        let m = metricSums.count
        for i in 0..<m { metricSums[i] += s[2 + i]; metricCounts[i] += Int(s[2 + m + i]) }
    }
}
