import ArgumentParser
import Pipeline

/// The options shared by every verb that takes a spec.
struct SpecOptions: ParsableArguments {
    @Argument(help: "The pipeline spec (YAML).")
    var spec: String

    @Option(help: "Seed for every random stream (replaces the spec's seed).")
    var seed: UInt64?

    @Option(name: .customLong("cache-dir"), help: "Where downloads are cached (default ~/.cache/pipeline).")
    var cacheDir: String?

    @Option(help: "Output folder (replaces output.dir).")
    var output: String?

    @Option(help: "Data source path or URL (replaces source.url and its checksums).")
    var source: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a field by its dotted path, validated like the file.", valueName: "KEY=VALUE"))
    var sets: [String] = []

    @Flag(help: "Print the result as one JSON object on standard output.")
    var json = false

    @Flag(help: "No progress output.")
    var quiet = false

    func validate() throws {
        for s in sets {
            do { _ = try SpecOverride(parsing: s) } catch { throw ValidationError("\(error)") }
        }
    }

    /// Loads the spec with every command-line override applied.
    func load() throws -> PipelineSpec {
        var o = PipelineSpec.Overrides()
        o.sets = try sets.map(SpecOverride.init(parsing:))
        o.seed = seed
        o.source = source.map(PathResolution.absoluteIfLocal)
        o.cacheDir = cacheDir
        o.output = output
        return try PipelineSpec.load(path: spec, overrides: o)
    }

    var progress: ProgressStyle { quiet || json ? .quiet : .automatic }

    /// Where progress lines of a run go: standard error, or nowhere with --json / --quiet.
    var logger: @Sendable (String) -> Void {
        if json || quiet { return { _ in } }
        return { Console.error($0 + "\n") }
    }
}
