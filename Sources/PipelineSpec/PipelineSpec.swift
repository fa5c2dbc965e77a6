import PipelineCore
import Yams

/// A whole pipeline: where the data comes from, how it is prepared, the model, how it is
/// trained, and where results go. Decoded strictly from YAML.
///
/// ```yaml
/// name: imdb-lstm
/// seed: 1337
/// source: {url: fixtures/aclImdb-mini.tar.gz}
/// text: {num_words: 10000, maxlen: 500}
/// model:
///   - embedding: {input_dim: 10000, output_dim: 32}
///   - lstm: {units: 32}
///   - dense: {units: 1, activation: sigmoid}
/// train: {epochs: 10, batch_size: 128, optimizer: rmsprop, loss: binary_crossentropy, metrics: [acc], validation_split: 0.2}
/// output: {dir: runs/imdb-lstm}
/// ```
///
/// Exactly one of `text:` (the IMDB path) and `timeseries:` (the weather path) says what the
/// task is. Without `model:` a run only prepares data (and, for a timeseries, evaluates the
/// common-sense baseline). Every error is an ``InputError`` with `file:line:column`, the dotted
/// field and the value received; unknown keys come with a suggestion.
public struct PipelineSpec: Sendable, Equatable {
    /// What the pipeline prepares, with its section: `text:` (IMDB-style reviews) or
    /// `timeseries:` (a weather CSV). Exactly one is given, so code that needs a section gets it
    /// by matching the task, never by unwrapping an optional.
    public enum Task: Sendable, Equatable {
        case text(TextSpec)
        case timeseries(TimeseriesSpec)

        /// The section's key, `text` or `timeseries` (`pipeline validate` prints it).
        public var name: String {
            switch self {
            case .text: "text"
            case .timeseries: "timeseries"
            }
        }
    }

    public var name: String
    public var seed: UInt64
    public var source: SourceSpec
    public var task: Task
    /// The `text:` section when the task is text, else `nil`.
    public var text: TextSpec? { if case .text(let t) = task { t } else { nil } }
    /// The `timeseries:` section when the task is a timeseries, else `nil`.
    public var timeseries: TimeseriesSpec? { if case .timeseries(let t) = task { t } else { nil } }
    public var model: ModelSpec?
    public var train: TrainSpec?
    public var outputDir: String
    public var file: String

    static let keys = ["name", "seed", "source", "text", "timeseries", "model", "train", "output"]

    /// Command-line replacements, applied before decoding and validated like the file.
    public struct Overrides: Sendable {
        public var sets: [SpecOverride] = []
        public var seed: UInt64?
        public var source: String?
        public var cacheDir: String?
        public var output: String?
        /// `--source train=PATH --source test=PATH`: one source per split (replaces `source:`'s url or that split's).
        public var splitSources: [String: String] = [:]
        public init(sets: [SpecOverride] = [], seed: UInt64? = nil, source: String? = nil, cacheDir: String? = nil, output: String? = nil) {
            self.sets = sets; self.seed = seed; self.source = source; self.cacheDir = cacheDir; self.output = output
        }
    }

    /// Reads and decodes a spec file. I/O failures throw ``IOFailure``; spec mistakes ``InputError``.
    public static func load(path: String, overrides: Overrides = Overrides()) throws -> PipelineSpec {
        guard let data = try? WholeFile.read(path) else {
            throw InputError("cannot read the spec file", at: SourceLocation(file: path), hint: "check the path")
        }
        return try parse(SpecBytes.text(data, file: path), file: path, overrides: overrides)
    }

    /// Decodes a spec from YAML text; `file` names it in error messages.
    public static func parse(_ yaml: String, file: String, overrides: Overrides = Overrides()) throws -> PipelineSpec {
        var root: Node
        do {
            root = try Yams.compose(yaml: yaml) ?? Node([(Node, Node)]())
        } catch let e as YamlError {
            throw InputError("not valid YAML: \(e)", at: SourceLocation(file: file))
        }
        var all = overrides.sets
        var flags: [String: String] = [:]
        for s in overrides.sets { flags[s.dottedPath] = "--set \(s.dottedPath)" }
        func add(_ path: [String], _ value: String, flag: String) {
            all.append(SpecOverride(path: path, value: value)); flags[path.joined(separator: ".")] = flag
        }
        if let s = overrides.seed { add(["seed"], String(s), flag: "--seed") }
        if let s = overrides.source {
            add(["source", "url"], "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\"", flag: "--source")
            add(["source", "sha256"], "null", flag: "--source"); add(["source", "md5"], "null", flag: "--source")
            if case .mapping(let m)? = root["source"], m["train"] != nil || m["test"] != nil {
                add(["source", "train"], "null", flag: "--source"); add(["source", "test"], "null", flag: "--source")
            }
            if case .mapping(let m)? = root["source"], m["shards"] != nil { add(["source", "shards"], "null", flag: "--source") }
        }
        for (split, s) in overrides.splitSources.sorted(by: { $0.key > $1.key }) {   // train, then test
            let flag = "--source \(split)="
            add(["source", split, "url"], "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\"", flag: flag)
            add(["source", split, "sha256"], "null", flag: flag); add(["source", split, "md5"], "null", flag: flag)
            add(["source", "url"], "null", flag: flag); add(["source", "sha256"], "null", flag: flag); add(["source", "md5"], "null", flag: flag)
            if case .mapping(let m)? = root["source"], m["shards"] != nil { add(["source", "shards"], "null", flag: flag) }
        }
        if let s = overrides.cacheDir { add(["source", "cache_dir"], "\"\(s)\"", flag: "--cache-dir") }
        if let s = overrides.output { add(["output", "dir"], "\"\(s)\"", flag: "--output") }
        for o in all { root = try o.apply(to: root) }
        return try PipelineSpec(root, origin: SpecOrigin(file: file, overrides: flags))
    }

    init(_ root: Node, origin: SpecOrigin) throws {
        file = origin.file
        let m = try SpecMap(root, path: "", origin: origin, allowed: PipelineSpec.keys)
        name = try m.string("name") ?? PipelineSpec.stem(origin.file)
        guard let seedText = try m.string("seed") ?? Optional("1337"), let s = UInt64(seedText) else {
            throw m.fail("seed", "must be a non-negative integer")
        }
        seed = s
        let hasText = m.node("text") != nil, hasSeries = m.node("timeseries") != nil
        if hasText == hasSeries {
            throw InputError(hasText ? "give either text: or timeseries:, not both" : "a pipeline needs a text: or a timeseries: section",
                             at: SourceLocation(file: origin.file, line: root.mark?.line, column: root.mark?.column),
                             hint: "text: for IMDB-style reviews, timeseries: for a weather CSV")
        }
        let sm = try m.map("source", allowed: SourceSpec.keys)
        guard let sm else { throw InputError("is required", at: m.location("source"), field: "source", hint: "or pass --source PATH_OR_URL") }
        let textFormat = hasText ? TextSpec.declaredFormat(m.node("text")) : nil
        source = try SourceSpec(sm, defaultInclude: hasText ? TextSpec.defaultInclude(textFormat) : [],
                                defaultExclude: hasText && TextSpec.defaultInclude(textFormat) == TextSpec.aclImdbInclude ? ["**/unsup/**"] : [])
        if !hasText && !source.shards.isEmpty {
            throw InputError("a source in shards is for text pipelines", at: m.location("source"), field: "source.shards",
                             hint: "a timeseries reads one CSV: give source.url (join the parts into one file)")
        }
        if !hasText && !source.splits.isEmpty {
            throw InputError("one source per split (train:/test:) is for text pipelines", at: m.location("source"), field: "source",
                             hint: "a timeseries reads one CSV: give source.url")
        }
        if hasText {
            let tm: SpecMap? = if case .scalar? = m.node("text") { nil } else { try m.map("text", allowed: TextSpec.keys) }
            task = .text(try TextSpec(tm))
        } else {
            task = .timeseries(try TimeseriesSpec(try m.map("timeseries", allowed: TimeseriesSpec.keys)
                                                  ?? SpecMap(Node([(Node, Node)]()), path: "timeseries", origin: origin, allowed: [])))
        }
        if let n = m.node("model"), !m.isNull(n) { model = try ModelSpec(n, path: "model", origin: origin) }
        let trm = try m.map("train", allowed: TrainSpec.keys)
        if model != nil || trm != nil {
            train = try TrainSpec(trm, defaultLoss: hasText ? .binary_crossentropy : .mae,
                                  defaultMetrics: hasText ? [.acc] : [.mae],
                                  defaultValidationSplit: hasText ? 0.2 : nil)
        }
        let om = try m.map("output", allowed: ["dir"])
        outputDir = try om?.string("dir") ?? "runs/\(name)"
        try validateShapes(origin: origin)
    }

    static func stem(_ path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        return base.hasSuffix(".yaml") ? String(base.dropLast(5)) : base.hasSuffix(".yml") ? String(base.dropLast(4)) : base
    }

    /// The resolved spec, every default filled in, as YAML (`pipeline describe`).
    public var yaml: String {
        var pairs: [(String, Node)] = [("name", Y.str(name)), ("seed", Node(String(seed))), ("source", source.yaml)]
        if let text { pairs.append(("text", text.yaml)) }
        if let timeseries { pairs.append(("timeseries", timeseries.yaml)) }
        pairs.append(("model", model?.yaml ?? Y.null))
        pairs.append(("train", train?.yaml ?? Y.null))
        pairs.append(("output", Y.map([("dir", Y.str(outputDir))])))
        return (try? Yams.serialize(node: Y.map(pairs), width: 120, sortKeys: false)) ?? ""
    }
}


#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
