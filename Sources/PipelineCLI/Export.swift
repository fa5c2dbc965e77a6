import Foundation
import ArgumentParser
import Pipeline

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a trained run as a Keras 3 model file (.keras) that keras.models.load_model opens.",
        discussion: """
        The file holds config.json (the run's model.json), metadata.json and model.weights.h5 (HDF5, Keras'
        layout), plus the optimizer state when the weights file has it. An existing file is kept unless
        --overwrite is given.

        Examples:
          pipeline export runs/imdb-lstm --format keras --output imdb-lstm.keras
          pipeline export runs/imdb-lstm --weights best            # → runs/imdb-lstm/model.keras
          python3 -c 'import keras; keras.models.load_model("imdb-lstm.keras").summary()'
        """)

    /// Export formats (one today).
    enum Format: String, CaseIterable, ExpressibleByArgument { case keras }

    @Argument(help: "A run folder written by `pipeline run`.")
    var run: String

    @Option(help: "The file format.") var format: Format = .keras
    @Option(help: "Where to write the file (default: RUN/model.keras).") var output: String?
    @Option(help: "Which weights: last (model.safetensors) or best (best.safetensors, from train.checkpoint: best).")
    var weights: Prediction.Weights = .last
    @Flag(help: "Replace an existing output file.") var overwrite = false
    @Flag(help: "Print the result as one JSON object.") var json = false

    func run() async throws {
        let target = output ?? (run as NSString).appendingPathComponent("model.keras")
        if FileManager.default.fileExists(atPath: target), !overwrite {
            throw ValidationError("\(target) already exists; pass --overwrite to replace it, or choose another --output")
        }
        let source = (run as NSString).appendingPathComponent(weights == .best ? "best.safetensors" : "model.safetensors")
        guard FileManager.default.fileExists(atPath: source) else {
            throw IOFailure("no \((source as NSString).lastPathComponent) in the run folder", path: source,
                            hint: weights == .best ? "run with `train.checkpoint: best` to keep the best epoch" : "pass a finished run folder")
        }
        let r = try KerasExport.export(weights: source, to: target, producer: "pipeline \(ToolInfo.version)")
        if json {
            Console.output(JSONOutput.object(["output": .string(r.output), "bytes": .int(r.bytes), "layers": .int(r.layers),
                                              "parameters": .int(r.parameters), "optimizer_state": .bool(r.optimizerState),
                                              "format": .string(format.rawValue)]) + "\n")
        } else {
            Console.output("\(r.output): Keras 3 model, \(r.layers) layers, \(r.parameters) weights\(r.optimizerState ? " + optimizer state" : ""), \(r.bytes) bytes\n"
                           + "load it with: keras.models.load_model(\"\(r.output)\")\n")
        }
    }
}
