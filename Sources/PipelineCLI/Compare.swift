import ArgumentParser
import Pipeline

struct Compare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare run folders: final and best metrics, time per epoch, and an SVG overlaying their validation curves.",
        discussion: """
        Examples:
          pipeline compare runs/imdb-lstm runs/imdb-gru
          pipeline compare runs/jena-gru runs/jena-bigru --json
        """)

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
        abstract: "Predict with a trained run: texts' classes (--text, repeated; --file, one text per line, - for standard input) or the next forecast from a CSV's last window (--csv).",
        discussion: """
        Examples:
          pipeline predict runs/imdb-lstm --text "A moving, beautifully acted film." --text "Dull and far too long."
          cat reviews.txt | pipeline predict runs/ag-news-lstm --file - --format jsonl --top-k 2
          pipeline predict runs/jena-gru --csv jena_climate_2009_2016.csv --json
        """)

    @Argument(help: "A run folder written by `pipeline run`.")
    var run: String

    @Option(help: "A text to classify (repeat for several).") var text: [String] = []
    @Option(help: "A file with one text per line; - reads standard input.") var file: String?
    @Option(help: "A weather CSV whose last window is used.") var csv: String?
    @Option(help: "Output for texts: table, jsonl (one JSON object per text) or csv.") var format: PredictFormat = .table
    @Option(name: .customLong("top-k"), help: "How many classes to list per text, most probable first.") var topK: Int = 3
    @Flag(help: "Print JSON (one object per text, as --format jsonl).") var json = false
    @Option(help: "Which weights: last (model.safetensors) or best (best.safetensors, from train.checkpoint: best).")
    var weights: Prediction.Weights = .last

    func validate() throws {
        let given = (text.isEmpty ? 0 : 1) + (file == nil ? 0 : 1) + (csv == nil ? 0 : 1)
        if given != 1 { throw ValidationError("give exactly one of --text, --file or --csv (--text may be repeated; --file - reads standard input)") }
        if topK < 1 { throw ValidationError("--top-k must be at least 1") }
    }

    func run() async throws {
        let p = try Prediction(runDirectory: run, weights: weights)
        if let csv {
            let result = try await p.predict(csv: csv)
            Console.output(json ? result.text + "\n" : Prediction.describe(result) + "\n")
            return
        }
        let texts = try file.map(PredictInput.lines(of:)) ?? text
        guard !texts.isEmpty else { throw ValidationError("\(file ?? "the input") holds no text") }
        let predictions = try p.predict(texts: texts, topK: topK)
        for (i, r) in predictions.enumerated() {
            if let w = r.warning { Console.error("warning: text \(i + 1): \(w)\n") }
        }
        Console.output(PredictInput.render(predictions, format: json ? .jsonl : format))
    }
}

struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a trained run on a held-out set: its own prepared split (--split), an archive or folder with a test split (IMDB), or a CSV (weather).",
        discussion: """
        Examples:
          pipeline evaluate runs/jena-gru --split test --json
          pipeline evaluate runs/imdb-lstm --source aclImdb_v1.tar.gz --weights best
          pipeline evaluate runs/air-quality-gru --source PRSA_2015.csv
        """)

    @Argument(help: "A run folder written by `pipeline run`.")
    var run: String

    @Option(help: "Held-out data: path or URL (a weather CSV is scored on all its windows).") var source: String?
    @Option(help: "The run's own split of its prepared data instead of --source: test, validation, train or all.")
    var split: Prediction.Split?
    @Flag(help: "Print the result as one JSON object.") var json = false
    @Option(help: "Which weights: last (model.safetensors) or best (best.safetensors, from train.checkpoint: best).")
    var weights: Prediction.Weights = .last
    @Flag(help: "No progress output.") var quiet = false

    func run() async throws {
        guard (source == nil) != (split == nil) else {
            throw ValidationError("give either --source or --split (--split test uses the run's own test part; --source scores another file or archive)")
        }
        let p = try Prediction(runDirectory: run, weights: weights)
        let result = if let split { try await p.evaluate(split: split) }
            else { try await p.evaluate(source: PathResolution.absoluteIfLocal(source!), progress: quiet || json ? .quiet : .automatic) }
        Console.output(json ? result.text + "\n" : Prediction.describe(result) + "\n")
    }
}

/// `--weights last|best` for `predict` and `evaluate`.
extension Prediction.Weights: ExpressibleByArgument {}
extension Prediction.Split: ExpressibleByArgument {}
