/// Where a `fit` stands inside an epoch: enough to continue it after a crash as if it had
/// never stopped.
///
/// ```swift
/// // in a callback: save `position` with the weights and optimizer state (one atomic file)
/// func onStepEnd(position: FitPosition, model: Sequential) throws { … }
/// // after a crash: restore the weights, then
/// try await model.fit(trainData: train, epochs: 10, resumeFrom: saved)
/// ```
///
/// Semantics: `epoch` (0-based) is the epoch in progress and `step` the number of training
/// batches already consumed in it (`step == 0`: the epoch has not started). The running sums
/// are those of the epoch's logged means (Keras' trackers), so the resumed epoch logs the same
/// loss and metrics. Resuming asks `trainData(epoch)` again and skips its first `step` batches,
/// which needs the data of an epoch to be a function of the seed and epoch (every stage of the
/// toolkit is); dropout is a function of (seed, epoch, step) already. `seconds` is the time
/// the epoch had run before the interruption, added to its logged duration.
public struct FitPosition: Codable, Sendable, Equatable {
    public var epoch: Int
    public var step: Int
    public var lossSum: Double
    public var samples: Int
    public var metricSums: [Double]
    public var metricCounts: [Int]
    public var seconds: Double
    /// Batches of the epoch skipped so far under `on_non_finite: skip_batch` (nil in
    /// checkpoints written before this was recorded: read as 0).
    public var skippedBatches: Int?

    /// The start of epoch `epoch`: nothing consumed yet.
    public init(epochStart epoch: Int) {
        self.epoch = epoch; step = 0; lossSum = 0; samples = 0; metricSums = []; metricCounts = []; seconds = 0
    }

    init(epoch: Int, step: Int, means: RunningMeans, skipped: Int = 0, seconds: Double) {
        self.epoch = epoch; self.step = step; lossSum = means.lossSum; samples = means.samples
        metricSums = means.metricSums; metricCounts = means.metricCounts; self.seconds = seconds
        skippedBatches = skipped
    }
}

/// What `fit` does when a step's loss or gradients are NaN or infinite.
public enum NonFinitePolicy: String, Sendable, Codable, CaseIterable {
    /// Throw ``NonFiniteError`` (epoch, step, first layer that went non-finite). The default.
    case stop
    /// Leave the weights and optimizer state unchanged, tell the callbacks
    /// (``Callback/onBatchSkipped(_:model:)``) and go on with the next batch. Each epoch logs
    /// `skipped_batches`; an epoch whose every batch was skipped throws ``SkippedEpochError``.
    case skipBatch = "skip_batch"
}
