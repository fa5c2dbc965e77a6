import PipelineCore

/// Stops training when a monitored value has stopped improving, as Keras 3's `EarlyStopping`.
///
/// ```swift
/// EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true)
/// ```
///
/// Semantics (Keras 3): at each epoch end `wait` grows by one and is reset to 0 when the value
/// improves on the best by more than `minDelta` (``MonitorMode``); when `wait ≥ patience` and it
/// is not the first epoch, it sets `model.stopTraining`. With `restoreBestWeights`, the weights of
/// the best epoch are put back **at the end of training** (whether or not it stopped early).
/// ``stoppedEpoch`` is the 0-based epoch at which it stopped (nil if it never did).
/// Fails with ``InputError`` when the monitored key is not in the logs (Keras only warns; we
/// stop, since a misspelt monitor silently disables the callback).
public final class EarlyStopping: Callback {
    public let monitor: String
    public let patience: Int
    public let minDelta: Double
    public let mode: MonitorMode
    public let restoreBestWeights: Bool
    public private(set) var stoppedEpoch: Int?
    public private(set) var bestEpoch: Int?
    public private(set) var best: Double?
    private var wait = 0
    public private(set) var bestWeights: [Tensor]?
    private var resumed: (State, [Tensor]?)?

    /// What the callback has seen so far, saved in checkpoints so a resumed run stops (and
    /// restores the best weights) exactly where the uninterrupted run would have.
    public struct State: Codable, Sendable, Equatable {
        public var wait: Int
        public var best: Double?
        public var bestEpoch: Int?
        public var stoppedEpoch: Int?
    }

    public var state: State { State(wait: wait, best: best, bestEpoch: bestEpoch, stoppedEpoch: stoppedEpoch) }

    /// Makes the next `fit` continue from `state` (and the best weights seen so far) instead of
    /// starting afresh. Used when resuming from a checkpoint.
    public func resume(from state: State, bestWeights: [Tensor]?) { resumed = (state, bestWeights) }

    public init(monitor: String = "val_loss", patience: Int = 0, minDelta: Double = 0,
                mode: MonitorMode = .auto, restoreBestWeights: Bool = false) {
        self.monitor = monitor; self.patience = patience; self.minDelta = abs(minDelta)
        self.mode = mode; self.restoreBestWeights = restoreBestWeights
    }

    public func onTrainBegin(model: Sequential, epochs: Int) throws {
        wait = 0; stoppedEpoch = nil; best = nil; bestEpoch = nil; bestWeights = nil
        if let (s, weights) = resumed {
            wait = s.wait; best = s.best; bestEpoch = s.bestEpoch; stoppedEpoch = s.stoppedEpoch; bestWeights = weights
            resumed = nil
        }
    }

    public func onEpochEnd(epoch: Int, logs: Logs, seconds: Double, model: Sequential) throws {
        guard let current = logs[monitor] else {
            throw InputError("EarlyStopping monitors a value that training does not log", field: "monitor",
                             value: monitor, hint: "available: \(logs.keys.joined(separator: ", "))")
        }
        if restoreBestWeights && bestWeights == nil { bestWeights = model.weights(); bestEpoch = epoch }
        wait += 1
        if mode.isImprovement(current, over: best, minDelta: minDelta, monitor: monitor) {
            best = current; bestEpoch = epoch; wait = 0
            if restoreBestWeights { bestWeights = model.weights() }
            return
        }
        if wait >= patience && epoch > 0 {
            stoppedEpoch = epoch
            model.stopTraining = true
        }
    }

    public func onTrainEnd(model: Sequential, history: History) throws {
        if restoreBestWeights, let bestWeights { model.setWeights(bestWeights) }
    }
}
