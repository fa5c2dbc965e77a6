import ArgumentParser
import Pipeline

/// The options of every verb that takes a spec: the spec and its overrides, and `--json`.
/// `validate` and `describe` take only these; `run` and `prepare` add ``SpecOptions``' `--quiet`.
struct SpecInput: ParsableArguments {
    @Argument(help: "The pipeline spec (YAML).")
    var spec: String

    @Option(help: "Seed for every random stream (replaces the spec's seed).")
    var seed: UInt64?

    @Option(name: .customLong("cache-dir"), help: "Where downloads are cached (default ~/.cache/pipeline).")
    var cacheDir: String?

    @Option(help: "Output folder (replaces output.dir).")
    var output: String?

    @Option(help: ArgumentHelp("Data source path or URL (replaces source.url and its checksums); train=PATH and test=PATH give one source per split (repeat the option).",
                               valueName: "[SPLIT=]PATH_OR_URL"))
    var source: [String] = []

    /// `--source` values: the plain one, and `train=`/`test=` ones by split.
    var sources: (plain: String?, splits: [String: String]) {
        get throws {
            var plain: String?, splits: [String: String] = [:]
            for s in source {
                if let eq = s.firstIndex(of: "="), ["train", "test"].contains(String(s[..<eq])) {
                    let key = String(s[..<eq])
                    guard splits[key] == nil else { throw ValidationError("--source \(key)= given twice") }
                    splits[key] = PathResolution.absoluteIfLocal(String(s[s.index(after: eq)...]))
                } else {
                    guard plain == nil else { throw ValidationError("--source given twice; use --source train=PATH --source test=PATH for one source per split") }
                    plain = PathResolution.absoluteIfLocal(s)
                }
            }
            if plain != nil && !splits.isEmpty { throw ValidationError("give either --source PATH or --source train=PATH/test=PATH, not both") }
            return (plain, splits)
        }
    }

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a field by its dotted path, validated like the file.", valueName: "KEY=VALUE"))
    var sets: [String] = []

    @Flag(help: "Print the result as one JSON object on standard output.")
    var json = false

    func validate() throws {
        _ = try sources
        for s in sets {
            do { _ = try SpecOverride(parsing: s) } catch { throw ValidationError("\(error)") }
        }
    }

    /// Loads the spec with every command-line override applied.
    func load() throws -> PipelineSpec {
        var o = PipelineSpec.Overrides()
        o.sets = try sets.map(SpecOverride.init(parsing:))
        o.seed = seed
        (o.source, o.splitSources) = try sources
        o.cacheDir = cacheDir
        o.output = output
        return try PipelineSpec.load(path: spec, overrides: o)
    }
}

/// ``SpecInput`` plus `--quiet`, for the verbs that show progress (`run`, `prepare`).
struct SpecOptions: ParsableArguments {
    @OptionGroup var input: SpecInput

    @Flag(help: "No progress output.")
    var quiet = false

    var spec: String { input.spec }
    var json: Bool { input.json }
    var output: String? {
        get { input.output }
        set { input.output = newValue }
    }

    /// Loads the spec with every command-line override applied.
    func load() throws -> PipelineSpec { try input.load() }

    var progress: ProgressStyle { quiet || json ? .quiet : .automatic }

    /// Where progress lines of a run go: standard error, or nowhere with --json / --quiet.
    var logger: @Sendable (String) -> Void {
        if json || quiet { return { _ in } }
        return { Console.error($0 + "\n") }
    }
}
