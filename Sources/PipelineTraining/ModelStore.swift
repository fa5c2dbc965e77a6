#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PipelineCore

/// Saves and restores a model in open formats: weights and optimizer state as safetensors,
/// the architecture as Keras-style JSON.
///
/// ```swift
/// try ModelStore.save(model, to: "runs/imdb/model.safetensors")   // + runs/imdb/model.json
/// let twin = Sequential([...same layers...]); try twin.build(inputShape: [500], seed: 0)
/// try ModelStore.restore(twin, from: "runs/imdb/model.safetensors") // predictions bit for bit
/// let config = try ModelStore.readConfig(from: "runs/imdb/model.json")
/// ```
///
/// Files: `X.safetensors` holds every parameter under its Keras weight name (`dense/kernel`,
/// `embedding/embeddings`), then the optimizer slots as `optimizer/<slot>/<weight name>`
/// (`optimizer/velocity/dense/kernel`); its `__metadata__` holds `model_config` (the JSON
/// below), `optimizer` (Keras name) and `optimizer_iterations`. `X.json` (next to it, `.safetensors`
/// replaced by `.json`) is ``ModelConfig``: `class_name`, `config.layers[]` with Keras' config keys,
/// `build_config.input_shape`, `compile_config`, `seed`. Both are written with ``AtomicFile``.
/// Cost: one pass over the weights. Failures: ``IOFailure`` (path) for unreadable files,
/// ``InputError`` when a restored model lacks a weight or a shape differs (both named).
public enum ModelStore {
    ///
    /// `metadata` and `extraTensors` (names must not start with `optimizer/` or clash with a
    /// weight) go into the same file, so a checkpoint's training state is written in the same
    /// atomic rename as its weights.
    public static func save(_ model: Sequential, to path: String, metadata extra: [String: String] = [:],
                            extraTensors: [(name: String, tensor: Tensor)] = []) throws {
        precondition(model.isBuilt, "ModelStore.save: model '\(model.name)' is not built")
        var tensors = model.parameters.map { (name: $0.name, tensor: $0.value) }
        var metadata = extra.merging(["model_config": try configJSON(model.modelConfig), "format": "pipeline-toolkit/1"]) { _, new in new }
        if let optimizer = model.optimizer {
            let state = optimizer.state
            metadata["optimizer"] = optimizer.kerasName
            metadata["optimizer_iterations"] = String(state.iterations)
            for (slot, byName) in state.slots.sorted(by: { $0.key < $1.key }) {
                for p in model.parameters {
                    if let v = byName[p.name] { tensors.append((name: "optimizer/\(slot)/\(p.name)", tensor: Tensor(shape: p.value.shape, data: v))) }
                }
            }
        }
        tensors += extraTensors
        try AtomicFile.write(Safetensors.encode(tensors, metadata: metadata), to: path)
        try AtomicFile.write(configJSON(model.modelConfig) + "\n", to: configPath(for: path))
    }

    /// Loads weights (by name), the run seed (so dropout streams continue as in the saved run)
    /// and, when the model is compiled with the same optimizer kind, the optimizer state, into an
    /// already built model of the same architecture. Returns the file's metadata and every
    /// tensor that is neither a weight nor optimizer state (what `save` got as `extraTensors`).
    @discardableResult
    public static func restore(_ model: Sequential, from path: String, optimizer restoreOptimizer: Bool = true) throws
        -> (metadata: [String: String], extraTensors: [String: Tensor]) {
        var (tensors, metadata) = try Safetensors.decode(Safetensors.readFile(path), path: path)
        tensors = renamingLegacy(tensors, to: model.parameters.map(\.name))
        let byName = Dictionary(tensors.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
        for p in model.parameters {
            guard let t = byName[p.name] else {
                throw InputError("checkpoint has no weight '\(p.name)'", field: "weights", value: path,
                                 hint: "restore into a model built from the same layers and names")
            }
            guard t.shape == p.value.shape else {
                throw InputError("weight '\(p.name)' has shape \(t.shape) in the checkpoint but \(p.value.shape) in the model",
                                 field: "weights", value: path)
            }
        }
        for p in model.parameters { p.value = byName[p.name]! }
        if let json = metadata["model_config"],
           let config = try? JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8)) { model.seed = config.seed }
        let weightNames = Set(model.parameters.map(\.name))
        let extra = byName.filter { !weightNames.contains($0.key) && !$0.key.hasPrefix("optimizer/") }
        guard restoreOptimizer, let opt = model.optimizer, metadata["optimizer"] == opt.kerasName else { return (metadata, extra) }
        var state = OptimizerState(iterations: Int(metadata["optimizer_iterations"] ?? "0") ?? 0)
        for (name, t) in tensors where name.hasPrefix("optimizer/") {
            let rest = name.dropFirst("optimizer/".count)
            guard let slash = rest.firstIndex(of: "/") else { continue }
            state.slots[String(rest[..<slash]), default: [:]][String(rest[rest.index(after: slash)...])] = t.data
        }
        try opt.restore(state, parameters: model.parameters)
        return (metadata, extra)
    }

    /// `tensors` with every weight saved under its ``legacyName(of:)`` (and its optimizer slots,
    /// `optimizer/<slot>/<name>`) renamed to the name in `names`, when the file lacks the new name.
    static func renamingLegacy(_ tensors: [(name: String, tensor: Tensor)], to names: [String]) -> [(name: String, tensor: Tensor)] {
        let present = Set(tensors.map(\.name))
        var rename: [String: String] = [:]
        for name in names where !present.contains(name) {
            if let old = legacyName(of: name), present.contains(old) { rename[old] = name }
        }
        guard !rename.isEmpty else { return tensors }
        return tensors.map { entry in
            if let new = rename[entry.name] { return (new, entry.tensor) }
            let parts = entry.name.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
            if parts.count == 3, parts[0] == "optimizer", let new = rename[String(parts[2])] { return ("optimizer/\(parts[1])/\(new)", entry.tensor) }
            return entry
        }
    }

    /// Every tensor of a safetensors file, by name, and its metadata.
    public static func readTensors(from path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let (list, metadata) = try Safetensors.decode(Safetensors.readFile(path), path: path)
        return (Dictionary(list.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a }), metadata)
    }

    /// Reads a `model.json` written by ``save(_:to:)``.
    public static func readConfig(from path: String) throws -> ModelConfig {
        do { return try JSONDecoder().decode(ModelConfig.self, from: Data(Safetensors.readFile(path))) }
        catch let e as IOFailure { throw e }
        catch { throw IOFailure("not a model config: \(error)", path: path) }
    }

    /// `runs/model.safetensors` → `runs/model.json`; another name gets `.json` appended.
    public static func configPath(for weightsPath: String) -> String {
        weightsPath.hasSuffix(".safetensors") ? String(weightsPath.dropLast(".safetensors".count)) + ".json" : weightsPath + ".json"
    }

    static func configJSON(_ config: ModelConfig) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(config), as: UTF8.self)
    }
}

/// A model's architecture and training setup in Keras' JSON layout (what `model.json` holds).
///
/// `{"class_name": "Sequential", "config": {"name": …, "layers": [{"class_name": "Dense", "config": {"units": 1, …}}]},
///   "build_config": {"input_shape": [null, 500]}, "compile_config": {"optimizer": {…}, "loss": …, "metrics": […]}, "seed": 42}`
public struct ModelConfig: Sendable, Equatable, Codable {
    /// One layer: Keras' class name (`Dense`) and its config with Keras' keys (`units`, `activation`).
    public struct LayerEntry: Sendable, Equatable, Codable {
        public var className: String
        public var config: [String: ConfigValue]
        enum CodingKeys: String, CodingKey { case className = "class_name", config }

        public init(className: String, config: [String: ConfigValue]) { self.className = className; self.config = config }

        /// Reads both layouts: Keras 3's (nested objects such as Bidirectional's `layer` are folded back
        /// into the toolkit's flat keys; `dtype` and `trainable` dropped) and the older flat one.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            className = try c.decode(String.self, forKey: .className)
            var flat: [String: ConfigValue] = [:]
            for (key, value) in try c.decode([String: LooseJSON].self, forKey: .config) {
                if let v = value.configValue { flat[key] = v; continue }
                // Bidirectional's wrapped layer: its keys beside merge_mode, its class name as `layer`.
                guard key == "layer", let inner = value.object else { continue }
                if case .string(let innerClass)? = inner["class_name"]?.configValue { flat["layer"] = .string(innerClass) }
                for (k, v) in inner["config"]?.object ?? [:] where k != "name" { if let v = v.configValue { flat[k] = v } }
            }
            flat["dtype"] = nil; flat["trainable"] = nil
            config = flat
        }
    }
    /// What `compile` received: the optimizer's Keras config, the loss name and the metric names.
    public struct CompileConfig: Sendable, Equatable, Codable {
        public var optimizer: [String: ConfigValue]
        public var loss: String
        public var fromLogits: Bool
        public var metrics: [String]
        enum CodingKeys: String, CodingKey { case optimizer, loss, fromLogits = "from_logits", metrics }

        public init(optimizer: [String: ConfigValue], loss: String, fromLogits: Bool, metrics: [String]) {
            self.optimizer = optimizer; self.loss = loss; self.fromLogits = fromLogits; self.metrics = metrics
        }

        /// Reads Keras 3's layout (optimizer and a `from_logits` loss as `{class_name, config}` objects)
        /// and the older one (flat optimizer config, loss name, top-level `from_logits`).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let opt = try c.decode([String: LooseJSON].self, forKey: .optimizer)
            optimizer = (opt["config"]?.object ?? opt).compactMapValues(\.configValue)
            let lossValue = try c.decode(LooseJSON.self, forKey: .loss)
            if case .string(let name)? = lossValue.configValue {
                loss = name
                fromLogits = try c.decodeIfPresent(Bool.self, forKey: .fromLogits) ?? false
            } else {
                let config = lossValue.object?["config"]?.object ?? [:]
                guard case .string(let name)? = config["name"]?.configValue else {
                    throw DecodingError.dataCorruptedError(forKey: .loss, in: c, debugDescription: "a loss object needs config.name")
                }
                loss = name
                if case .bool(let b)? = config["from_logits"]?.configValue { fromLogits = b } else { fromLogits = false }
            }
            metrics = try c.decode([String].self, forKey: .metrics)
        }
    }
    public var name: String
    public var layers: [LayerEntry]
    public var inputShape: [Int]
    public var seed: UInt64
    public var compile: CompileConfig?

    enum CodingKeys: String, CodingKey { case className = "class_name", config, buildConfig = "build_config", compileConfig = "compile_config", seed }
    struct Body: Codable { var name: String; var layers: [LayerEntry] }
    struct Build: Codable {
        var inputShape: [Int?]
        enum CodingKeys: String, CodingKey { case inputShape = "input_shape" }
    }

    public init(name: String, layers: [LayerEntry], inputShape: [Int], seed: UInt64, compile: CompileConfig?) {
        self.name = name; self.layers = layers; self.inputShape = inputShape; self.seed = seed; self.compile = compile
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let body = try c.decode(Body.self, forKey: .config)
        name = body.name; layers = body.layers.filter { $0.className != "InputLayer" }
        inputShape = try c.decode(Build.self, forKey: .buildConfig).inputShape.dropFirst().map { $0 ?? 0 }
        seed = try c.decode(UInt64.self, forKey: .seed)
        compile = try c.decodeIfPresent(CompileConfig.self, forKey: .compileConfig)
    }

    /// Writes ``keras`` (Keras 3's layout, see ModelStoreKeras.swift).
    public func encode(to encoder: any Encoder) throws {
        try EncodableJSON(keras).encode(to: encoder)
    }
}

extension Sequential {
    /// The model's ``ModelConfig`` (requires `build`).
    public var modelConfig: ModelConfig {
        var compile: ModelConfig.CompileConfig?
        if let optimizer {
            compile = .init(optimizer: optimizer.config, loss: loss.name, fromLogits: loss.fromLogits, metrics: metrics.map(\.name))
        }
        return ModelConfig(name: name, layers: layers.map { .init(className: $0.kind, config: $0.config) },
                           inputShape: inputShape ?? [], seed: seed, compile: compile)
    }
}
