import PipelineCore

/// Hooks that `fit` calls, as Keras' callbacks. Every method has an empty default.
///
/// ```swift
/// let history = try await model.fit(trainData: train, epochs: 20, validationData: val,
///     callbacks: [ProgressLogger(), EarlyStopping(monitor: "val_loss", patience: 2)])
/// ```
///
/// Order per epoch: `onEpochBegin`, the training steps (each followed by `onStepEnd` with the
/// ``FitPosition`` reached, and preceded by `onBatchSkipped` when a non-finite step was skipped),
/// validation, then `onEpochEnd` with the epoch's logs and wall time. A callback ends training by setting `model.stopTraining`
/// (the current epoch still completes). A callback that throws stops `fit` with that error.
public protocol Callback: AnyObject {
    func onTrainBegin(model: Sequential, epochs: Int) throws
    func onEpochBegin(epoch: Int, model: Sequential) throws
    func onStepEnd(position: FitPosition, model: Sequential) throws
    func onBatchSkipped(_ error: NonFiniteError, model: Sequential) throws
    func onEpochEnd(epoch: Int, logs: Logs, seconds: Double, model: Sequential) throws
    func onTrainEnd(model: Sequential, history: History) throws
}

extension Callback {
    public func onTrainBegin(model: Sequential, epochs: Int) throws {}
    public func onEpochBegin(epoch: Int, model: Sequential) throws {}
    public func onStepEnd(position: FitPosition, model: Sequential) throws {}
    public func onBatchSkipped(_ error: NonFiniteError, model: Sequential) throws {}
    public func onEpochEnd(epoch: Int, logs: Logs, seconds: Double, model: Sequential) throws {}
    public func onTrainEnd(model: Sequential, history: History) throws {}
}

/// One Keras-like line per epoch, to standard error by default or to any sink:
/// `Epoch 3/10 - 12.3s - loss: 0.4012 - acc: 0.8231 - val_loss: 0.4410 - val_acc: 0.8050`.
///
/// ```swift
/// ProgressLogger()                                   // Console.error
/// ProgressLogger { line in lines.append(line) }      // captured (tests, a GUI); nothing printed
/// ```
/// Epochs are shown 1-based as Keras does. Lines end with a newline. Never fails.
public final class ProgressLogger: Callback {
    let sink: (String) -> Void
    private var epochs = 0

    public init(sink: @escaping (String) -> Void = { Console.error($0) }) { self.sink = sink }

    public func onTrainBegin(model: Sequential, epochs: Int) throws { self.epochs = epochs }

    public func onEpochEnd(epoch: Int, logs: Logs, seconds: Double, model: Sequential) throws {
        sink(Self.line(epoch: epoch, epochs: epochs, seconds: seconds, logs: logs) + "\n")
    }

    /// The line for one epoch (0-based `epoch`), without the newline.
    public static func line(epoch: Int, epochs: Int, seconds: Double, logs: Logs) -> String {
        var s = "Epoch \(epoch + 1)/\(epochs) - \(TrainingFormat.fixed(seconds, digits: 1))s"
        if !logs.keys.isEmpty { s += " - " + logs.description }
        return s
    }
}

/// Whether a monitored value improves by going down or up. `auto` means `max` for names that
/// contain `acc` or `auc`, else `min` (Keras' fallback).
public enum MonitorMode: String, Sendable, Codable, CaseIterable {
    case auto, min, max

    func resolved(for monitor: String) -> MonitorMode {
        guard self == .auto else { return self }
        return monitor.contains("acc") || monitor.contains("auc") ? .max : .min
    }

    /// True when `current` beats `best` by more than `minDelta` (always when there is no best yet).
    func isImprovement(_ current: Double, over best: Double?, minDelta: Double, monitor: String) -> Bool {
        guard let best else { return true }
        return resolved(for: monitor) == .max ? current - minDelta > best : current + minDelta < best
    }
}
