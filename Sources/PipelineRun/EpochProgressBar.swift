import PipelineCore
import PipelineText
import PipelineTimeseries
import PipelineTraining

/// The live bar of an epoch on a terminal, as Keras' `fit(verbose=1)`:
/// `Epoch 3/10  120/157 [=====================>........] - ETA: 2s - loss: 0.3121 - acc: 0.8712`,
/// redrawn in place (a carriage return, then ``KerasProgressBar/line(epoch:epochs:step:steps:eta:values:)``).
///
/// ```swift
/// let callbacks: [any Callback] = [EpochProgressBar(steps: 157), ProgressLogger()]
/// ```
/// Put it before the ``ProgressLogger`` that prints the epoch's final line: at the end of an
/// epoch the bar is erased (`erase`), so the final line takes its place, exactly as without a bar.
///
/// Cost per training step: one clock read and one comparison; a line is built and written only
/// when `interval` (0.1 s: at most 10 redraws a second) has passed since the last one, plus the
/// last step of an epoch that ran over a second (so the bar shows the whole epoch done while
/// validation runs). `steps` (batches per epoch) is what the caller knows beforehand; when nil,
/// the first epoch shows `40/Unknown` and later ones the count the first one reached. The ETA is
/// the epoch's mean time per step so far times the steps left. Never fails.
final class EpochProgressBar: Callback {
    let interval: Double
    let draw: @Sendable (String) -> Void
    let erase: @Sendable () -> Void
    let columns: Int?
    var steps: Int?
    var epochs = 0
    var names: [String] = []
    var epochStart = 0.0
    var nextDraw = 0.0
    var firstStep: Int?
    var drawn = false

    init(steps: Int?, interval: Double = 0.1, columns: Int? = Console.columns,
         draw: @escaping @Sendable (String) -> Void = { Console.error($0) },
         erase: @escaping @Sendable () -> Void = { Console.clearStatus() }) {
        self.steps = steps; self.interval = interval; self.columns = columns; self.draw = draw; self.erase = erase
    }

    func onTrainBegin(model: Sequential, epochs: Int) throws {
        self.epochs = epochs
        names = ["loss"] + model.metrics.map(\.name)
    }

    func onEpochBegin(epoch: Int, model: Sequential) throws {
        epochStart = ProgressReporter.now()
        firstStep = nil
    }

    func onStepEnd(position: FitPosition, model: Sequential) throws {
        let t = ProgressReporter.now()
        if firstStep == nil { firstStep = position.step - 1 }
        lastStep = position.step
        guard t >= nextDraw || (position.step == steps && t - epochStart >= 1) else { return }
        nextDraw = t + interval
        draw("\r\u{1B}[K" + Console.fitted(line(position, now: t), columns: columns))
        drawn = true
    }

    func onEpochEnd(epoch: Int, logs: Logs, seconds: Double, model: Sequential) throws {
        if steps == nil { steps = lastStep }
        if drawn { erase(); drawn = false }
    }

    /// The step count reached by the last ``onStepEnd(position:model:)`` (learned as `steps`).
    var lastStep: Int?

    func line(_ p: FitPosition, now t: Double) -> String {
        var values: [(String, Double)] = []
        if p.samples > 0 { values.append(("loss", p.lossSum / Double(p.samples))) }
        for (i, name) in names.dropFirst().enumerated() where i < p.metricSums.count && p.metricCounts[i] > 0 {
            values.append((name, p.metricSums[i] / Double(p.metricCounts[i])))
        }
        var eta: Double?
        if let steps, let first = firstStep, p.step > first {
            eta = (t - epochStart) / Double(p.step - first) * Double(steps - p.step)
        }
        return KerasProgressBar.line(epoch: p.epoch, epochs: epochs, step: p.step, steps: steps, eta: eta, values: values)
    }

    /// Batches per epoch when the data says so beforehand: a text epoch (``EncodedBatchSequence``)
    /// or a window generator's epoch, capped by `train.steps_per_epoch`; nil otherwise.
    static func knownSteps(_ data: BatchSequence, stepsPerEpoch: Int?) -> Int? {
        var n: Int?
        if let s = data as? EncodedBatchSequence { n = s.batchCount }
        if let s = data as? AsyncWindowBatches<BookGenerator.Epoch> { n = s.source.remaining }
        guard let n else { return stepsPerEpoch }
        return stepsPerEpoch.map { min($0, n) } ?? n
    }
}
