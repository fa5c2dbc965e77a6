import PipelineCore

/// `model.json` in Keras 3's serialization layout, so `keras.models.model_from_json` rebuilds the model.
///
/// ```json
/// {"module": "keras", "class_name": "Sequential", "registered_name": null,
///  "config": {"name": "imdb-lstm", "trainable": true, "layers": [
///     {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 500], "dtype": "float32", …}, "registered_name": null},
///     {"module": "keras.layers", "class_name": "Bidirectional", "registered_name": null,
///      "config": {"name": "bidirectional", "merge_mode": "concat",
///                 "layer": {"module": "keras.layers", "class_name": "LSTM", "config": {"name": "forward_lstm", "units": 32, …}, "registered_name": null}}}, …]},
///  "build_config": {"input_shape": [null, 500]},
///  "compile_config": {"optimizer": {"module": "keras.optimizers", "class_name": "RMSprop", "config": {…}, "registered_name": null},
///                     "loss": "binary_crossentropy", "metrics": ["acc"], "loss_weights": null, …},
///  "seed": 42}
/// ```
///
/// Semantics: each layer's config holds the keys this toolkit implements, with Keras' names
/// (Keras fills the rest with its defaults, which are the ones the toolkit computes with); a
/// `from_logits` loss is written as its loss object (`{"class_name": "BinaryCrossentropy", "config":
/// {"from_logits": true}}`), a plain one as its name. `seed` is the toolkit's own key (Keras
/// ignores it). ``ModelConfig``'s decoder reads this layout and the one written before it
/// (no `module`, a top-level `from_logits`, `Bidirectional`'s `layer` as a class-name string).
extension ModelConfig {
    /// The Keras 3 document (what ``ModelStore`` writes as `model.json` and the `.keras` export as `config.json`).
    public var keras: JSONValue {
        var layerList: [JSONValue] = [Self.kerasObject(module: "keras.layers", className: "InputLayer", config: [
            "batch_shape": .array([.null] + inputShape.map { .int($0) }), "dtype": .string("float32"),
            "sparse": .bool(false), "name": .string("input_layer"),
        ])]
        for layer in layers { layerList.append(Self.kerasLayer(layer)) }
        var document: [String: JSONValue] = [
            "module": .string("keras"), "class_name": .string("Sequential"), "registered_name": .null,
            "config": .object(["name": .string(name), "trainable": .bool(true), "dtype": .string("float32"), "layers": .array(layerList)]),
            "build_config": .object(["input_shape": .array([.null] + inputShape.map { .int($0) })]),
            "seed": .number(String(seed)),
        ]
        if let compile { document["compile_config"] = compile.keras }
        return .object(document)
    }

    static func kerasObject(module: String, className: String, config: [String: JSONValue]) -> JSONValue {
        .object(["module": .string(module), "class_name": .string(className), "config": .object(config), "registered_name": .null])
    }

    static func kerasLayer(_ layer: LayerEntry) -> JSONValue {
        var config = layer.config.mapValues(\.json)
        config["trainable"] = .bool(true)
        config["dtype"] = .string("float32")
        if layer.className == "Bidirectional", let inner = layer.config["layer"]?.stringValue {
            // The toolkit keeps the wrapped layer's keys flat beside merge_mode; Keras nests them.
            var innerConfig = config.filter { !["name", "layer", "merge_mode"].contains($0.key) }
            innerConfig["name"] = .string("forward_" + Sequential.snakeCase(inner))
            config = ["name": config["name"] ?? .string("bidirectional"), "trainable": .bool(true), "dtype": .string("float32"),
                      "merge_mode": config["merge_mode"] ?? .string("concat"),
                      "layer": kerasObject(module: "keras.layers", className: inner, config: innerConfig)]
        }
        return kerasObject(module: "keras.layers", className: layer.className, config: config)
    }
}

extension ModelConfig.CompileConfig {
    /// Keras' `compile_config`.
    public var keras: JSONValue {
        let optimizerClass = ["rmsprop": "RMSprop", "adam": "Adam", "sgd": "SGD"][optimizer["name"]?.stringValue ?? ""]
            ?? (optimizer["name"]?.stringValue ?? "RMSprop")
        let lossValue: JSONValue
        if fromLogits {
            let className = loss.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            lossValue = ModelConfig.kerasObject(module: "keras.losses", className: className, config: [
                "name": .string(loss), "from_logits": .bool(true), "reduction": .string("sum_over_batch_size")])
        } else {
            lossValue = .string(loss)
        }
        return .object([
            "optimizer": ModelConfig.kerasObject(module: "keras.optimizers", className: optimizerClass, config: optimizer.mapValues(\.json)),
            "loss": lossValue, "metrics": .array(metrics.map { .string($0) }),
            "loss_weights": .null, "weighted_metrics": .null, "run_eagerly": .bool(false),
            "steps_per_execution": .int(1), "jit_compile": .bool(false),
        ])
    }
}

extension ConfigValue {
    var json: JSONValue {
        switch self {
        case .int(let v): .int(v)
        case .double(let v): .number(v)
        case .string(let v): .string(v)
        case .bool(let v): .bool(v)
        case .list(let v): .array(v.map(\.json))
        case .null: .null
        }
    }

    var stringValue: String? { if case .string(let s) = self { return s }; return nil }
}

/// Encodes a ``JSONValue`` through `Encoder` (numbers without a fraction as integers, others as doubles).
struct EncodableJSON: Encodable {
    var value: JSONValue
    init(_ value: JSONValue) { self.value = value }

    struct Key: CodingKey {
        var stringValue: String; var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch value {
        case .object(let o):
            var c = encoder.container(keyedBy: Key.self)
            for (k, v) in o { try c.encode(EncodableJSON(v), forKey: Key(stringValue: k)) }
        case .array(let a):
            var c = encoder.unkeyedContainer()
            for v in a { try c.encode(EncodableJSON(v)) }
        default:
            var c = encoder.singleValueContainer()
            switch value {
            case .null: try c.encodeNil()
            case .bool(let b): try c.encode(b)
            case .string(let s): try c.encode(s)
            case .number(let n):
                if value.isIntegerNumber, let i = Int64(n) { try c.encode(i) }
                else if value.isIntegerNumber, let u = UInt64(n) { try c.encode(u) }
                else { try c.encode(Double(n) ?? 0) }
            default: break
            }
        }
    }
}

/// Decodes any JSON value (for the nested objects of Keras' layout that ``ConfigValue`` does not hold).
enum LooseJSON: Decodable {
    case value(ConfigValue), object([String: LooseJSON])

    init(from decoder: any Decoder) throws {
        if let c = try? decoder.container(keyedBy: EncodableJSON.Key.self) {
            var o: [String: LooseJSON] = [:]
            for k in c.allKeys { o[k.stringValue] = try c.decode(LooseJSON.self, forKey: k) }
            self = .object(o)
        } else if let v = try? ConfigValue(from: decoder) {
            self = .value(v)
        } else {
            // A list holding objects (not part of any layer config the toolkit writes): kept as null.
            self = .value(.null)
        }
    }

    var configValue: ConfigValue? { if case .value(let v) = self { return v }; return nil }
    var object: [String: LooseJSON]? { if case .object(let o) = self { return o }; return nil }
}

extension ModelStore {
    /// The name a weight had before Bidirectional's wrapped layers were named as Keras names them:
    /// `bidirectional/forward_lstm/kernel` was saved as `bidirectional/forward_/kernel` (the wrapped
    /// layer was built with an empty name). `nil` when `name` has no older form.
    public static func legacyName(of name: String) -> String? {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return nil }
        for prefix in ["forward_", "backward_"] where parts[1].hasPrefix(prefix) && parts[1].count > prefix.count {
            var old = parts.map(String.init)
            old[1] = prefix
            return old.joined(separator: "/")
        }
        return nil
    }
}
