import PipelineCore
import PipelineTraining
import Yams

/// `train:` Keras' `compile` and `fit` arguments.
///
/// ```yaml
/// train:
///   epochs: 10
///   batch_size: 128
///   optimizer: {name: rmsprop, learning_rate: 0.001}
///   loss: binary_crossentropy
///   metrics: [acc]
///   validation_split: 0.2     # IMDB: the last 20 % before shuffling, as Keras
///   steps_per_epoch: 500      # Jena: batches drawn from the endless generator per epoch
/// ```
public struct TrainSpec: Sendable, Equatable {
    /// `loss:` Keras' names; `_from_logits` variants take the last layer's raw outputs (linear Dense).
    /// The categorical losses need a last `dense` with `units` = the number of classes (≥ 2) and
    /// `activation: softmax` (linear for `_from_logits`); labels are class ids (sparse) or one-hot rows.
    public enum Loss: String, Sendable, CaseIterable {
        case binary_crossentropy, binary_crossentropy_from_logits, mse, mae
        case sparse_categorical_crossentropy, sparse_categorical_crossentropy_from_logits
        case categorical_crossentropy, categorical_crossentropy_from_logits

        /// Whether the loss reads several classes on the last axis.
        public var isCategorical: Bool {
            switch self {
            case .sparse_categorical_crossentropy, .sparse_categorical_crossentropy_from_logits,
                 .categorical_crossentropy, .categorical_crossentropy_from_logits: true
            default: false
            }
        }

        /// Whether the loss takes logits (the last layer must then be linear).
        public var fromLogits: Bool { rawValue.hasSuffix("_from_logits") }
    }
    /// `metrics:` Keras' names; `acc` / `accuracy` resolve from the loss (binary, sparse
    /// categorical or categorical accuracy), as Keras does.
    public enum Metric: String, Sendable, CaseIterable {
        case acc, accuracy, mae, binary_accuracy, sparse_categorical_accuracy, categorical_accuracy
    }
    public enum OptimizerName: String, Sendable, CaseIterable { case rmsprop, adam, sgd }
    /// `checkpoint:` which weights a run saves: after every epoch (`every_epoch`, the default), also
    /// the best epoch's (`best`, as Keras' `save_best_only`), or none (`none`).
    public enum Checkpoint: String, Sendable, CaseIterable { case everyEpoch = "every_epoch", best, none }

    public struct Optimizer: Sendable, Equatable {
        public var name: OptimizerName
        public var learningRate: Double
        public var rho: Double
        public var momentum: Double
        public var epsilon: Double
        public var beta1: Double
        public var beta2: Double
        public var centered: Bool
        public var clipnorm: Double?
    }

    public struct EarlyStopping: Sendable, Equatable {
        public var monitor: String
        public var patience: Int
        public var mode: MonitorMode
        public var restoreBestWeights: Bool
    }

    public var epochs: Int
    public var batchSize: Int
    public var optimizer: Optimizer
    public var loss: Loss
    public var metrics: [Metric]
    public var validationSplit: Double?
    public var stepsPerEpoch: Int?
    public var validationSteps: Int?
    public var shuffle: Bool
    public var prefetch: Int
    public var earlyStopping: EarlyStopping?
    public var checkpoint: Checkpoint
    public var checkpointEverySteps: Int?
    public var onNonFinite: NonFinitePolicy
    /// `threads`: a training step's threads, 1 or 2 (`ProcessTuning.trainingThreads`); nil is
    /// `auto` (the default): 2, or under `mpirun` 1 when the node has fewer than 2 cores per
    /// local rank. Results do not depend on it.
    public var threads: Int?

    static let keys = ["epochs", "batch_size", "optimizer", "loss", "metrics", "validation_split", "steps_per_epoch",
                       "validation_steps", "shuffle", "prefetch", "early_stopping", "checkpoint", "checkpoint_every_steps", "on_non_finite", "threads"]

    init(_ m: SpecMap?, defaultLoss: Loss, defaultMetrics: [Metric], defaultValidationSplit: Double?) throws {
        epochs = try m?.int("epochs", default: 10, min: 1) ?? 10
        batchSize = try m?.int("batch_size", default: 128, min: 1) ?? 128
        let shorthand = m?.node("optimizer")?.scalar.map { _ in true } ?? false
        let om = shorthand ? nil : try m?.map("optimizer", allowed: ["name", "learning_rate", "rho", "momentum", "epsilon", "beta_1", "beta_2", "centered", "clipnorm"])
        if let m, shorthand, let s = m.node("optimizer")?.scalar?.string, !m.isNull(m.node("optimizer")!) {
            // `optimizer: rmsprop` shorthand
            guard let n = OptimizerName(rawValue: s) else {
                throw m.fail("optimizer", "must be one of rmsprop, adam, sgd", hint: DidYouMean.hint(s, in: OptimizerName.allCases.map(\.rawValue)))
            }
            optimizer = TrainSpec.defaults(n)
        } else {
            let name: OptimizerName = try om?.choice("name", default: .rmsprop) ?? .rmsprop
            let d = TrainSpec.defaults(name)
            optimizer = Optimizer(
                name: name,
                learningRate: try om?.double("learning_rate", default: d.learningRate, min: 0, exclusiveMin: true) ?? d.learningRate,
                rho: try om?.double("rho", default: d.rho, min: 0, max: 1, exclusiveMax: true) ?? d.rho,
                momentum: try om?.double("momentum", default: d.momentum, min: 0, max: 1, exclusiveMax: true) ?? d.momentum,
                epsilon: try om?.double("epsilon", default: d.epsilon, min: 0, exclusiveMin: true) ?? d.epsilon,
                beta1: try om?.double("beta_1", default: d.beta1, min: 0, max: 1, exclusiveMax: true) ?? d.beta1,
                beta2: try om?.double("beta_2", default: d.beta2, min: 0, max: 1, exclusiveMax: true) ?? d.beta2,
                centered: try om?.bool("centered", default: false) ?? false,
                clipnorm: try om?.double("clipnorm", min: 0, exclusiveMin: true))
        }
        loss = try m?.choice("loss", default: defaultLoss) ?? defaultLoss
        if let m, let names = try m.strings("metrics") {
            metrics = try names.map { s in
                guard let v = Metric(rawValue: s) else {
                    throw m.fail("metrics", "unknown metric '\(s)': known \(Metric.allCases.map(\.rawValue).joined(separator: ", "))", hint: DidYouMean.hint(s, in: Metric.allCases.map(\.rawValue)))
                }
                return v
            }
        } else { metrics = defaultMetrics }
        if let m, m.node("validation_split") != nil {
            validationSplit = try m.double("validation_split", min: 0, max: 1, exclusiveMin: true, exclusiveMax: true)
        } else { validationSplit = defaultValidationSplit }
        stepsPerEpoch = try m?.int("steps_per_epoch", min: 1)
        validationSteps = try m?.int("validation_steps", min: 1)
        shuffle = try m?.bool("shuffle", default: true) ?? true
        prefetch = try m?.int("prefetch", default: 2, min: 1, max: 64) ?? 2
        if let m, m.node("threads") != nil, (try? m.string("threads")) != "auto" {
            threads = try m.int("threads", min: 1, max: 2)
        }
        if let e = try m?.map("early_stopping", allowed: ["monitor", "patience", "mode", "restore_best_weights"]) {
            earlyStopping = EarlyStopping(monitor: try e.string("monitor", default: "val_loss"),
                                          patience: try e.int("patience", default: 2, min: 0),
                                          mode: try e.choice("mode", default: .auto, among: [.min, .max, .auto]),
                                          restoreBestWeights: try e.bool("restore_best_weights", default: false))
        }
        checkpoint = try m?.choice("checkpoint", default: .everyEpoch) ?? .everyEpoch
        checkpointEverySteps = try m?.int("checkpoint_every_steps", min: 1)
        onNonFinite = try m?.choice("on_non_finite", default: .stop) ?? .stop
    }

    static func defaults(_ n: OptimizerName) -> Optimizer {
        switch n {
        case .rmsprop: Optimizer(name: n, learningRate: 1e-3, rho: 0.9, momentum: 0, epsilon: 1e-7, beta1: 0.9, beta2: 0.999, centered: false, clipnorm: nil)
        case .adam: Optimizer(name: n, learningRate: 1e-3, rho: 0.9, momentum: 0, epsilon: 1e-7, beta1: 0.9, beta2: 0.999, centered: false, clipnorm: nil)
        case .sgd: Optimizer(name: n, learningRate: 1e-2, rho: 0.9, momentum: 0, epsilon: 1e-7, beta1: 0.9, beta2: 0.999, centered: false, clipnorm: nil)
        }
    }

    var yaml: Node {
        let o = optimizer
        var opt: [(String, Node)] = [("name", Y.str(o.name.rawValue)), ("learning_rate", Y.num(o.learningRate))]
        switch o.name {
        case .rmsprop: opt += [("rho", Y.num(o.rho)), ("momentum", Y.num(o.momentum)), ("epsilon", Y.num(o.epsilon)), ("centered", Y.bool(o.centered))]
        case .adam: opt += [("beta_1", Y.num(o.beta1)), ("beta_2", Y.num(o.beta2)), ("epsilon", Y.num(o.epsilon))]
        case .sgd: opt += [("momentum", Y.num(o.momentum))]
        }
        opt.append(("clipnorm", Y.opt(o.clipnorm, Y.num)))
        return Y.map([
            ("epochs", Y.int(epochs)), ("batch_size", Y.int(batchSize)), ("optimizer", Y.map(opt)),
            ("loss", Y.str(loss.rawValue)), ("metrics", Y.strs(metrics.map(\.rawValue))),
            ("validation_split", Y.opt(validationSplit, Y.num)), ("steps_per_epoch", Y.opt(stepsPerEpoch, Y.int)),
            ("validation_steps", Y.opt(validationSteps, Y.int)), ("shuffle", Y.bool(shuffle)), ("prefetch", Y.int(prefetch)),
            ("early_stopping", Y.opt(earlyStopping) { e in
                Y.map([("monitor", Y.str(e.monitor)), ("patience", Y.int(e.patience)), ("mode", Y.str(e.mode.rawValue)),
                       ("restore_best_weights", Y.bool(e.restoreBestWeights))]) }),
            ("checkpoint", Y.str(checkpoint.rawValue)), ("checkpoint_every_steps", Y.opt(checkpointEverySteps, Y.int)),
            ("on_non_finite", Y.str(onNonFinite.rawValue)),
        ] + (threads.map { [("threads", Y.int($0))] } ?? []))   // only when set: older specs resolve to the same text
    }
}
