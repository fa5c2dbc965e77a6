#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PipelineCore
import PipelineTraining

/// A trained model as a Keras 3 `.keras` file: `keras.models.load_model("model.keras")` rebuilds it
/// with the same weights, so its predictions equal the toolkit's (float32 round-off apart).
///
/// ```swift
/// let result = try KerasExport.export(weights: "runs/imdb/model.safetensors", to: "model.keras", producer: "pipeline 0.9")
/// // result.layers == 3, result.parameters == 330_017, result.optimizerState == true
/// ```
///
/// The archive (``StoredZip``, stored entries, as Keras writes it) holds:
/// - `metadata.json`: `keras_version` (the Keras release whose layout this follows), `date_saved`, `producer`;
/// - `config.json`: ``ModelConfig/keras`` (the same document as the run's `model.json`);
/// - `model.weights.h5` (``HDF5Image``): Keras' tree of `vars` groups, each dataset named by its
///   position: `layers/<layer>/vars/0…` (Dense kernel, bias; Embedding embeddings; Conv1D kernel,
///   bias), `layers/<rnn>/cell/vars/0…2` (kernel, recurrent_kernel, bias),
///   `layers/<bidirectional>/forward_layer/cell/vars/…` and `…/backward_layer/cell/vars/…`, an empty
///   `vars` group for every layer without weights and for the model, each with its `name` attribute;
///   `optimizer/vars/0` (iterations, int64), `/1` (learning rate), then the slots in Keras' order
///   (RMSprop: every velocity, then momentums, then average gradients; Adam: momentum and velocity
///   per weight; SGD: momentums) when the weights file holds them. Without them the group is left
///   out and Keras warns that it skips the optimizer's variables (training restarts its state).
/// Weights are looked up by the toolkit's names, and by their ``ModelStore/legacyName(of:)`` for
/// files written before Bidirectional's wrapped layers were named as Keras names them.
/// Cost: two copies of the weights in memory (HDF5 image, archive). Failures: ``InputError`` when a
/// layer's weight is missing from the file or a layer kind has no Keras layout; ``IOFailure`` for I/O.
public enum KerasExport {
    /// The Keras release whose `.keras` layout the export follows (and was checked against).
    public static let kerasVersion = "3.15.1"

    /// What ``export(weights:to:producer:)`` wrote.
    public struct Result: Sendable {
        public var output: String
        public var bytes: Int
        public var layers: Int
        public var parameters: Int
        public var optimizerState: Bool
    }

    /// Reads a safetensors file written by ``ModelStore`` (its `model_config` metadata names the
    /// layers) and writes the `.keras` archive to `output` atomically.
    public static func export(weights path: String, to output: String, producer: String) throws -> Result {
        let (tensors, metadata) = try ModelStore.readTensors(from: path)
        guard let json = metadata["model_config"] else {
            throw IOFailure("the weights file has no model_config metadata (not written by ModelStore)", path: path)
        }
        let config: ModelConfig
        do { config = try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8)) } catch {
            throw IOFailure("the weights file's model_config is not readable: \(error)", path: path)
        }
        let iterations = metadata["optimizer_iterations"].flatMap(Int64.init)
        let (h5, parameters, optimizerState) = try weightsFile(config: config, tensors: tensors, optimizerIterations: iterations, source: path)
        let bytes = StoredZip.archive([
            ("metadata.json", Array(JSONValue.object(["keras_version": .string(kerasVersion), "date_saved": .string(dateSaved()),
                                                      "producer": .string(producer)]).text.utf8)),
            ("config.json", Array(config.keras.text.utf8)),
            ("model.weights.h5", try h5.bytes()),
        ])
        try AtomicFile.write(bytes, to: output)
        return Result(output: output, bytes: bytes.count, layers: config.layers.count, parameters: parameters, optimizerState: optimizerState)
    }

    /// Keras' `model.weights.h5` tree for a model config and its weights by name; also the number
    /// of weight values and whether the optimizer state was written.
    public static func weightsFile(config: ModelConfig, tensors: [String: Tensor], optimizerIterations: Int64?,
                                   source: String = "<weights>") throws -> (HDF5Image, parameters: Int, optimizerState: Bool) {
        var h5 = HDF5Image()
        h5.group("layers")
        var ordered: [String] = []   // weight names in model order (the optimizer's variable order)
        func tensor(_ name: String) throws -> Tensor {
            if let t = tensors[name] ?? ModelStore.legacyName(of: name).flatMap({ tensors[$0] }) { return t }
            throw InputError("the weights file has no weight '\(name)'", field: "weights", value: source,
                             hint: "export a weights file written for this model (model.safetensors or best.safetensors of the run)")
        }
        func put(_ names: [String], under group: String) throws {
            for (i, name) in names.enumerated() {
                let t = try tensor(name)
                h5.dataset("\(group)/\(i)", shape: t.shape, values: t.data)
                ordered.append(name)
            }
        }
        func recurrentNames(_ prefix: String, _ config: [String: ConfigValue]) -> [String] {
            ["\(prefix)/kernel", "\(prefix)/recurrent_kernel"] + (config["use_bias"] == .bool(false) ? [] : ["\(prefix)/bias"])
        }
        for layer in config.layers {
            guard case .string(let name)? = layer.config["name"] else {
                throw InputError("layer \(layer.className) has no name in the model config", field: "model_config", value: source)
            }
            let base = "layers/\(name)"
            h5.group("\(base)/vars", attributes: ["name": name])
            let bias = layer.config["use_bias"] == .bool(false) ? [String]() : ["\(name)/bias"]
            switch layer.className {
            case "Dense", "Conv1D": try put(["\(name)/kernel"] + bias, under: "\(base)/vars")
            case "Embedding": try put(["\(name)/embeddings"], under: "\(base)/vars")
            case "SimpleRNN", "LSTM", "GRU":
                h5.group("\(base)/cell/vars", attributes: ["name": Sequential.snakeCase(layer.className) + "_cell"])
                try put(recurrentNames(name, layer.config), under: "\(base)/cell/vars")
            case "Bidirectional":
                guard case .string(let inner)? = layer.config["layer"] else {
                    throw InputError("Bidirectional '\(name)' does not name its wrapped layer", field: "model_config", value: source)
                }
                let innerName = Sequential.snakeCase(inner)
                for direction in ["forward", "backward"] {
                    h5.group("\(base)/\(direction)_layer/vars", attributes: ["name": "\(direction)_\(innerName)"])
                    h5.group("\(base)/\(direction)_layer/cell/vars", attributes: ["name": innerName + "_cell"])
                    try put(recurrentNames("\(name)/\(direction)_\(innerName)", layer.config), under: "\(base)/\(direction)_layer/cell/vars")
                }
            case "Dropout", "Flatten", "MaxPooling1D", "GlobalMaxPooling1D": break
            default:
                throw InputError("layer '\(name)' (\(layer.className)) has no Keras weight layout in this exporter", field: "model_config", value: source)
            }
        }
        h5.group("vars", attributes: ["name": "sequential"])
        let parameters = try ordered.reduce(0) { $0 + (try tensor($1)).count }
        var optimizerState = false
        if let compile = config.compile, let iterations = optimizerIterations,
           let slots = optimizerSlots(compile.optimizer, weights: ordered, tensors: tensors) {
            let kind = compile.optimizer["name"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "optimizer"
            h5.group("optimizer/vars", attributes: ["name": kind == "rmsprop" ? "rm_sprop" : kind])
            h5.dataset("optimizer/vars/0", shape: [], integers: [iterations])
            var learningRate: Double = 0.001
            switch compile.optimizer["learning_rate"] {
            case .double(let d)?: learningRate = d
            case .int(let i)?: learningRate = Double(i)
            default: break
            }
            h5.dataset("optimizer/vars/1", shape: [], values: [Float(learningRate)])
            for (i, t) in slots.enumerated() { h5.dataset("optimizer/vars/\(i + 2)", shape: t.shape, values: t.data) }
            optimizerState = true
        }
        return (h5, parameters, optimizerState)
    }

    /// The optimizer's slot tensors in Keras' variable order, or nil when the file lacks any of them.
    static func optimizerSlots(_ optimizer: [String: ConfigValue], weights: [String], tensors: [String: Tensor]) -> [Tensor]? {
        func slot(_ kind: String, _ weight: String) -> Tensor? {
            tensors["optimizer/\(kind)/\(weight)"] ?? ModelStore.legacyName(of: weight).flatMap { tensors["optimizer/\(kind)/\($0)"] }
        }
        func number(_ key: String) -> Double {
            switch optimizer[key] { case .double(let d)?: d; case .int(let i)?: Double(i); default: 0 }
        }
        var order: [(String, String)] = []
        switch optimizer["name"] {
        case .string("rmsprop")?:
            order = weights.map { ("velocity", $0) }
            if number("momentum") > 0 { order += weights.map { ("momentum", $0) } }
            if optimizer["centered"] == .bool(true) { order += weights.map { ("average_gradient", $0) } }
        case .string("adam")?:
            order = weights.flatMap { [("momentum", $0), ("velocity", $0)] }
        case .string("sgd")?:
            if number("momentum") > 0 { order = weights.map { ("momentum", $0) } }
        default: return nil
        }
        var out: [Tensor] = []
        for (kind, weight) in order {
            guard let t = slot(kind, weight) else { return nil }
            out.append(t)
        }
        return out
    }

    /// Keras' `date_saved` format, UTC: `2026-11-30@09:21:44`.
    static func dateSaved() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let n = strftime(&buffer, buffer.count, "%Y-%m-%d@%H:%M:%S", &parts)
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
