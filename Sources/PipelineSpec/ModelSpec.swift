import PipelineCore
import PipelineTraining
import Yams

/// `model:` a Keras `Sequential` stack, one single-key mapping per layer, Keras' names and defaults.
///
/// ```yaml
/// model:
///   - embedding: {input_dim: 10000, output_dim: 32}
///   - bidirectional: {layer: {lstm: {units: 32}}, merge_mode: concat}
///   - dense: {units: 1, activation: sigmoid}
/// ```
/// Layer kinds: `embedding`, `simple_rnn`, `lstm`, `gru`, `bidirectional`, `dense`, `conv1d`,
/// `max_pooling1d`, `global_max_pooling1d`, `flatten`, `dropout`. A layer without options may be
/// written as a bare name (`- flatten`).
public struct ModelSpec: Sendable, Equatable {
    public var layers: [LayerSpec]

    init(_ node: Node, path: String, origin: SpecOrigin) throws {
        guard case .sequence(let seq) = node, !seq.isEmpty else {
            throw SpecMap.error("must be a non-empty list of layers", node: node, path: path, origin: origin)
        }
        layers = try seq.enumerated().map { i, item in try LayerSpec(item, path: "\(path).\(i)", origin: origin) }
    }

    var yaml: Node { .sequence(Node.Sequence(layers.map(\.yaml))) }
}

/// One layer of a ``ModelSpec``. `location` points at its line in the spec, for shape errors.
public struct LayerSpec: Sendable, Equatable {
    // Options are the engine's own types (`Activation`, `Conv1D.Padding`, `Bidirectional.MergeMode`),
    // whose raw values are Keras' spellings: the spec parses them directly.
    public enum RecurrentKind: String, Sendable, CaseIterable { case simple_rnn, lstm, gru }

    public struct Recurrent: Sendable, Equatable {
        public var kind: RecurrentKind
        public var units: Int
        public var activation: Activation
        public var recurrentActivation: Activation
        public var returnSequences: Bool
        public var goBackwards: Bool
        public var dropout: Double
        public var recurrentDropout: Double
        public var resetAfter: Bool
        public var unitForgetBias: Bool
    }

    public enum Kind: Sendable, Equatable {
        case embedding(inputDim: Int?, outputDim: Int)
        case recurrent(Recurrent)
        case bidirectional(Recurrent, mergeMode: Bidirectional.MergeMode)
        case dense(units: Int, activation: Activation)
        case conv1d(filters: Int, kernelSize: Int, strides: Int, padding: Conv1D.Padding, activation: Activation)
        case maxPooling1d(poolSize: Int, strides: Int?)
        case globalMaxPooling1d
        case flatten
        case dropout(rate: Double)
    }

    public var kind: Kind
    public var location: SourceLocation
    public var typeName: String

    /// Equal layers have the same kind and options, wherever they were written.
    public static func == (a: LayerSpec, b: LayerSpec) -> Bool { a.kind == b.kind && a.typeName == b.typeName }

    static let names = ["embedding", "simple_rnn", "lstm", "gru", "bidirectional", "dense", "conv1d",
                        "max_pooling1d", "global_max_pooling1d", "flatten", "dropout"]

    init(_ node: Node, path: String, origin: SpecOrigin) throws {
        location = SpecMap.location(node.mark, path: path, origin: origin)
        let name: String, body: Node
        switch node {
        case .scalar(let s):
            name = s.string; body = Node([(Node, Node)]())
        case .mapping(let m) where m.count == 1:
            name = m.keys.first!.scalar?.string ?? ""
            body = m.values.first!
        default:
            throw SpecMap.error("a layer is a single-key mapping like `- lstm: {units: 32}`", node: node, path: path, origin: origin)
        }
        guard LayerSpec.names.contains(name) else {
            throw InputError("unknown layer type", at: location, field: path, value: name,
                             hint: DidYouMean.hint(name, in: LayerSpec.names) ?? "known: " + LayerSpec.names.joined(separator: ", "))
        }
        typeName = name
        let p = "\(path).\(name)"
        let emptyBody: Node = { if case .scalar(let s) = body, s.string.isEmpty || s.string == "null" { return Node([(Node, Node)]()) }; return body }()
        switch name {
        case "embedding":
            let m = try SpecMap(emptyBody, path: p, origin: origin, allowed: ["input_dim", "output_dim"])
            guard let out = try m.int("output_dim", min: 1) else { throw m.fail("output_dim", "is required") }
            kind = .embedding(inputDim: try m.int("input_dim", min: 1), outputDim: out)
        case "simple_rnn", "lstm", "gru":
            kind = .recurrent(try LayerSpec.recurrent(name, emptyBody, path: p, origin: origin))
        case "bidirectional":
            let m = try SpecMap(emptyBody, path: p, origin: origin, allowed: ["layer", "merge_mode"])
            guard let inner = m.node("layer"), case .mapping(let im) = inner, im.count == 1,
                  let innerName = im.keys.first?.scalar?.string,
                  RecurrentKind(rawValue: innerName) != nil else {
                throw m.fail("layer", "must be one recurrent layer: {lstm: {units: 32}}, {gru: …} or {simple_rnn: …}")
            }
            kind = .bidirectional(try LayerSpec.recurrent(innerName, im.values.first!, path: "\(p).layer.\(innerName)", origin: origin),
                                  mergeMode: try m.choice("merge_mode", default: .concat))
        case "dense":
            let m = try SpecMap(emptyBody, path: p, origin: origin, allowed: ["units", "activation"])
            guard let units = try m.int("units", min: 1) else { throw m.fail("units", "is required") }
            kind = .dense(units: units, activation: try m.choice("activation", default: .linear))
        case "conv1d":
            let m = try SpecMap(emptyBody, path: p, origin: origin, allowed: ["filters", "kernel_size", "strides", "padding", "activation"])
            guard let f = try m.int("filters", min: 1) else { throw m.fail("filters", "is required") }
            guard let k = try m.int("kernel_size", min: 1) else { throw m.fail("kernel_size", "is required") }
            kind = .conv1d(filters: f, kernelSize: k, strides: try m.int("strides", default: 1, min: 1),
                           padding: try m.choice("padding", default: .valid), activation: try m.choice("activation", default: .linear))
        case "max_pooling1d":
            let m = try SpecMap(emptyBody, path: p, origin: origin, allowed: ["pool_size", "strides"])
            kind = .maxPooling1d(poolSize: try m.int("pool_size", default: 2, min: 1), strides: try m.int("strides", min: 1))
        case "global_max_pooling1d":
            _ = try SpecMap(emptyBody, path: p, origin: origin, allowed: [])
            kind = .globalMaxPooling1d
        case "flatten":
            _ = try SpecMap(emptyBody, path: p, origin: origin, allowed: [])
            kind = .flatten
        default: // dropout
            let m = try SpecMap(emptyBody, path: p, origin: origin, allowed: ["rate"])
            guard let r = try m.double("rate", min: 0, max: 1, exclusiveMax: true) else { throw m.fail("rate", "is required") }
            kind = .dropout(rate: r)
        }
    }

    static func recurrent(_ name: String, _ body: Node, path: String, origin: SpecOrigin) throws -> Recurrent {
        var allowed = ["units", "activation", "return_sequences", "go_backwards", "dropout", "recurrent_dropout"]
        if name != "simple_rnn" { allowed.append("recurrent_activation") }
        if name == "gru" { allowed.append("reset_after") }
        if name == "lstm" { allowed.append("unit_forget_bias") }
        let b: Node = { if case .scalar(let s) = body, s.string.isEmpty || s.string == "null" { return Node([(Node, Node)]()) }; return body }()
        let m = try SpecMap(b, path: path, origin: origin, allowed: allowed)
        guard let units = try m.int("units", min: 1) else { throw m.fail("units", "is required") }
        return Recurrent(kind: RecurrentKind(rawValue: name)!, units: units,
                         activation: try m.choice("activation", default: .tanh),
                         recurrentActivation: try m.choice("recurrent_activation", default: .sigmoid),
                         returnSequences: try m.bool("return_sequences", default: false),
                         goBackwards: try m.bool("go_backwards", default: false),
                         dropout: try m.double("dropout", default: 0, min: 0, max: 1, exclusiveMax: true),
                         recurrentDropout: try m.double("recurrent_dropout", default: 0, min: 0, max: 1, exclusiveMax: true),
                         resetAfter: try m.bool("reset_after", default: true),
                         unitForgetBias: try m.bool("unit_forget_bias", default: true))
    }

    static func yaml(_ r: Recurrent) -> Node {
        var pairs: [(String, Node)] = [("units", Y.int(r.units)), ("activation", Y.str(r.activation.rawValue))]
        if r.kind != .simple_rnn { pairs.append(("recurrent_activation", Y.str(r.recurrentActivation.rawValue))) }
        pairs += [("return_sequences", Y.bool(r.returnSequences)), ("go_backwards", Y.bool(r.goBackwards)),
                  ("dropout", Y.num(r.dropout)), ("recurrent_dropout", Y.num(r.recurrentDropout))]
        if r.kind == .gru { pairs.append(("reset_after", Y.bool(r.resetAfter))) }
        if r.kind == .lstm { pairs.append(("unit_forget_bias", Y.bool(r.unitForgetBias))) }
        return Y.map([(r.kind.rawValue, Y.map(pairs))])
    }

    var yaml: Node {
        let body: Node
        switch kind {
        case let .embedding(i, o): body = Y.map([("input_dim", Y.opt(i, Y.int)), ("output_dim", Y.int(o))])
        case let .recurrent(r): return LayerSpec.yaml(r)
        case let .bidirectional(r, mm): body = Y.map([("layer", LayerSpec.yaml(r)), ("merge_mode", Y.str(mm.rawValue))])
        case let .dense(u, a): body = Y.map([("units", Y.int(u)), ("activation", Y.str(a.rawValue))])
        case let .conv1d(f, k, s, p, a):
            body = Y.map([("filters", Y.int(f)), ("kernel_size", Y.int(k)), ("strides", Y.int(s)),
                          ("padding", Y.str(p.rawValue)), ("activation", Y.str(a.rawValue))])
        case let .maxPooling1d(ps, s): body = Y.map([("pool_size", Y.int(ps)), ("strides", Y.opt(s, Y.int))])
        case .globalMaxPooling1d, .flatten: return Node(typeName)
        case let .dropout(r): body = Y.map([("rate", Y.num(r))])
        }
        return Y.map([(typeName, body)])
    }
}
