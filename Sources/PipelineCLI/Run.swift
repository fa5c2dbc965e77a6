import Foundation
import ArgumentParser
import Pipeline
import PipelineDistributed

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every stage of a spec: data → model → fit, writing a run folder (history, model, plots, report).",
        discussion: """
        Examples:
          pipeline run pipelines/fixtures/imdb-lstm.yaml --output runs/demo
          pipeline run pipelines/jena-gru.yaml --set train.epochs=5 --seed 7 --json
          pipeline run pipelines/imdb-lstm.yaml --resume runs/imdb-lstm      # after Ctrl-C
        Without --output, a spec whose folder (output.dir, default runs/NAME) holds a run writes
        runs/NAME-2, -3, …; --output DIR is refused when DIR holds files (unless --overwrite).
        Prepared data is kept once in the cache (pipeline cache list).
        """)
    @OptionGroup var options: SpecOptions

    @Option(help: "Continue an interrupted run from its last checkpoint in this run folder.")
    var resume: String?

    @Flag(help: "Replace an existing, non-empty output folder.")
    var overwrite = false

    func run() async throws {
        if let job = try MPIJob.joinIfLaunched() { await runAsRank(job) }   // under mpirun: RunDistributed.swift
        var options = self.options
        if let resume { options.output = resume }   // the resolved spec (spec.yaml, report) names the folder it runs in
        var spec = try options.load()
        if resume == nil, !overwrite, options.output == nil {
            // The spec's folder (default runs/NAME) holds an earlier run: the next free runs/NAME-2, -3, …
            let free = try OutputFolder.nextFree(spec.outputDir)
            if free != spec.outputDir {
                options.logger("\(spec.outputDir) holds an earlier run; this run writes \(free)")
                spec.outputDir = free
            }
        }
        ProcessTuning.applyForTraining()   // the heap policy from the first step, one OpenBLAS thread
        ProcessTuning.trainingThreads = spec.train?.threads ?? 2
        let runner = PipelineRunner(spec: spec, progress: options.progress, log: options.logger)
        let stop = StopRequest()
        let dir = resume ?? spec.outputDir
        Interrupt.install(stop: stop, outputDir: dir,
                          resumeCommand: Interrupt.resumeCommand(arguments: CommandLine.arguments, runDir: dir))
        do {
            let result = try await runner.run(resume: resume, overwrite: overwrite, stop: stop)
            Console.output(options.json ? result.json.text + "\n" : result.summary + "\n")
        } catch let interrupted as RunInterrupted {
            Console.error("\(interrupted)\ncontinue with: \(Interrupt.resumeCommand(arguments: CommandLine.arguments, runDir: interrupted.runDir))\n")
            throw ExitCode(Interrupt.exitCode(interrupted.signal ?? SIGINT))
        }
    }
}

struct Prepare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the data stages only and write NumPy files (.npy) and JSON metadata that NumPy, PyTorch and Keras read.",
        discussion: """
        Examples:
          pipeline prepare pipelines/fixtures/imdb.yaml --output data/imdb-mini
          pipeline prepare pipelines/jena.yaml --source ~/Downloads/jena_climate_2009_2016.csv --json
        """)
    @OptionGroup var options: SpecOptions

    @Flag(help: "Replace an existing, non-empty output folder.")
    var overwrite = false

    func run() async throws {
        if let job = try MPIJob.joinIfLaunched() { await prepareAsRank(job) }   // under mpirun: PrepareDistributed.swift
        let spec = try options.load()
        let runner = PipelineRunner(spec: spec, progress: options.progress, log: options.logger)
        Interrupt.install(stop: StopRequest(), outputDir: spec.outputDir, resumeCommand: nil)
        let result = try await runner.prepare(overwrite: overwrite)
        Console.output(options.json ? result.json.text + "\n" : result.summary + "\n")
    }
}
