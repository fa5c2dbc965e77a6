import PipelineCore

/// Saves the model (weights, optimizer state, config) at epoch ends, as Keras' `ModelCheckpoint`.
///
/// ```swift
/// ModelCheckpoint(path: "runs/jena/best.safetensors", monitor: "val_loss", saveBestOnly: true)
/// ModelCheckpoint(path: "runs/imdb/epoch-{epoch:02d}.safetensors")       // every epoch
/// ```
///
/// Semantics: the path may hold `{epoch}` / `{epoch:02d}` (1-based, as Keras) and
/// `{key}` / `{key:.4f}` for any logged value. With `saveBestOnly`, it saves only when `monitor`
/// improves (``MonitorMode``). Every save goes through ``ModelStore/save(_:to:)``: atomic, so an
/// interrupted run never leaves a half-written checkpoint. Fails with ``IOFailure`` (path) or,
/// with `saveBestOnly`, ``InputError`` when the monitored key is not logged.
public final class ModelCheckpoint: Callback {
    public let path: String
    public let monitor: String
    public let saveBestOnly: Bool
    public let mode: MonitorMode
    public private(set) var best: Double?
    /// The files written, in order.
    public private(set) var saved: [String] = []

    public init(path: String, monitor: String = "val_loss", saveBestOnly: Bool = false, mode: MonitorMode = .auto) {
        self.path = path; self.monitor = monitor; self.saveBestOnly = saveBestOnly; self.mode = mode
    }

    private var resumedBest: Double?

    /// Makes the next `fit` start from the best value an interrupted run had already saved,
    /// so a resumed run does not overwrite that file with a worse epoch.
    public func resume(best: Double?) { resumedBest = best }

    public func onTrainBegin(model: Sequential, epochs: Int) throws { best = resumedBest; resumedBest = nil }

    public func onEpochEnd(epoch: Int, logs: Logs, seconds: Double, model: Sequential) throws {
        if saveBestOnly {
            guard let current = logs[monitor] else {
                throw InputError("ModelCheckpoint monitors a value that training does not log", field: "monitor",
                                 value: monitor, hint: "available: \(logs.keys.joined(separator: ", "))")
            }
            guard mode.isImprovement(current, over: best, minDelta: 0, monitor: monitor) else { return }
            best = current
        }
        let file = Self.format(path, epoch: epoch, logs: logs)
        try ModelStore.save(model, to: file)
        saved.append(file)
    }

    /// Fills `{epoch}`, `{epoch:0Nd}`, `{key}` and `{key:.Nf}` placeholders.
    static func format(_ template: String, epoch: Int, logs: Logs) -> String {
        var out = "", rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let field = rest[rest.index(after: open)..<close]
            let parts = field.split(separator: ":", maxSplits: 1).map(String.init)
            let key = parts.first ?? "", spec = parts.count > 1 ? parts[1] : ""
            if key == "epoch" {
                var s = String(epoch + 1)
                if spec.hasSuffix("d"), let width = Int(spec.dropLast()) { while s.count < width { s = "0" + s } }
                out += s
            } else if let v = logs[key] {
                let digits = spec.hasPrefix(".") && spec.hasSuffix("f") ? Int(spec.dropFirst().dropLast()) ?? 4 : 4
                out += TrainingFormat.fixed(v, digits: digits)
            } else {
                out += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
