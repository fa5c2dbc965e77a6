import ArgumentParser
import Pipeline

struct Compare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare run folders: final and best metrics, time per epoch, and an SVG overlaying their validation curves.")

    @Argument(help: "Run folders written by `pipeline run`.")
    var runs: [String]

    @Option(help: "Where to write the overlay SVG.")
    var svg: String = "compare.svg"

    @Flag(help: "Print the table as one JSON object.")
    var json = false

    func validate() throws {
        if runs.isEmpty { throw ValidationError("give at least one run folder") }
    }

    func run() async throws {
        let c = try RunComparison(runDirectories: runs)
        try c.writeOverlay(to: svg)
        Console.output(json ? c.json.text + "\n" : c.table + "\nvalidation curves: \(svg)\n")
    }
}

struct Predict: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict with a trained run: a review's sentiment (--text, --file) or the next forecast from a CSV's last window (--csv).")

    @Argument(help: "A run folder written by `pipeline run`.")
    var run: String

    @Option(help: "Review text.") var text: String?
    @Option(help: "A file holding one review.") var file: String?
    @Option(help: "A weather CSV whose last window is used.") var csv: String?
    @Flag(help: "Print the result as one JSON object.") var json = false
    @Option(help: "Which weights: last (model.safetensors) or best (best.safetensors, from train.checkpoint: best).")
    var weights: Prediction.Weights = .last

    func validate() throws {
        if [text, file, csv].compactMap({ $0 }).count != 1 { throw ValidationError("give exactly one of --text, --file or --csv") }
    }

    func run() async throws {
        let p = try Prediction(runDirectory: run, weights: weights)
        let result: JSONValue
        if let text { result = try p.predict(text: text) }
        else if let file { result = try p.predict(file: file) }
        else { result = try await p.predict(csv: csv!) }
        Console.output(json ? result.text + "\n" : Prediction.describe(result) + "\n")
    }
}

struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a trained run on a held-out set: an archive or folder with a test split (IMDB), or a CSV (weather).")

    @Argument(help: "A run folder written by `pipeline run`.")
    var run: String

    @Option(help: "Held-out data: path or URL.") var source: String
    @Flag(help: "Print the result as one JSON object.") var json = false
    @Option(help: "Which weights: last (model.safetensors) or best (best.safetensors, from train.checkpoint: best).")
    var weights: Prediction.Weights = .last
    @Flag(help: "No progress output.") var quiet = false

    func run() async throws {
        let p = try Prediction(runDirectory: run, weights: weights)
        let result = try await p.evaluate(source: PathResolution.absoluteIfLocal(source), progress: quiet || json ? .quiet : .automatic)
        Console.output(json ? result.text + "\n" : Prediction.describe(result) + "\n")
    }
}

/// `--weights last|best` for `predict` and `evaluate`.
extension Prediction.Weights: ExpressibleByArgument {}
