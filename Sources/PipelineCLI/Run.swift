import ArgumentParser
import Pipeline

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every stage of a spec: data → model → fit, writing a run folder (history, model, plots, report).")
    @OptionGroup var options: SpecOptions

    @Option(help: "Continue an interrupted run from its last checkpoint in this run folder.")
    var resume: String?

    @Flag(help: "Replace an existing, non-empty output folder.")
    var overwrite = false

    func run() async throws {
        let spec = try options.load()
        let runner = PipelineRunner(spec: spec, progress: options.progress, log: options.logger)
        let result = try await runner.run(resume: resume, overwrite: overwrite)
        Console.output(options.json ? result.json.text + "\n" : result.summary + "\n")
    }
}

struct Prepare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the data stages only and write NumPy files (.npy) and JSON metadata that NumPy, PyTorch and Keras read.")
    @OptionGroup var options: SpecOptions

    @Flag(help: "Replace an existing, non-empty output folder.")
    var overwrite = false

    func run() async throws {
        let spec = try options.load()
        let runner = PipelineRunner(spec: spec, progress: options.progress, log: options.logger)
        let result = try await runner.prepare(overwrite: overwrite)
        Console.output(options.json ? result.json.text + "\n" : result.summary + "\n")
    }
}
