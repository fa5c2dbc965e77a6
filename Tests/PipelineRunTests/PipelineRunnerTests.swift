import Testing
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PipelineCore
import PipelineText
import PipelineTraining
@testable import PipelineRun
import PipelineSpec

func scratch(_ name: String) -> String {
    let d = NSTemporaryDirectory() + "runner-\(name)-\(UUID().uuidString)"
    return d
}

/// Counts `<path>` elements and checks the document is well-formed XML.
final class SVGCounter: NSObject, XMLParserDelegate {
    var paths = 0
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "path" { paths += 1 }
    }
    static func count(_ path: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let p = XMLParser(data: data)
        let c = SVGCounter()
        p.delegate = c
        return p.parse() ? c.paths : nil
    }
}

@Suite(.serialized) struct PipelineRunnerTests {
    static let companions = try! FileManager.default.contentsOfDirectory(atPath: repoRoot + "/pipelines/fixtures")
        .filter { $0.hasSuffix(".yaml") && $0 != "imdb.yaml" && $0 != "jena.yaml" }.sorted()

    @Test(arguments: companions)
    func fixtureCompanionProducesRunFolder(file: String) async throws {
        let out = scratch(file)
        let spec = try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/" + file,
                                         overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=2")].filter { _ in !file.contains("baseline") },
                                                          output: out))
        let result = try await PipelineRunner(spec: spec, progress: .quiet).run()
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: out))
        for f in ["spec.yaml", "run.json", "report.html", "summary.txt", "history.json", "history.csv"] {
            #expect(files.contains(f), "\(file): run folder lacks \(f)")
        }
        // report.html references only files inside the run folder.
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        let refs = html.components(separatedBy: "src=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
            + html.components(separatedBy: "href=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        for r in refs {
            #expect(!r.contains("/") && !r.contains(":"), "\(file): report references \(r)")
            #expect(files.contains(String(r)), "\(file): report references missing \(r)")
        }
        guard spec.model != nil else {
            #expect(result.json["baseline_mae"]?.double.map { $0 > 0 } == true)
            return
        }
        for f in ["model.safetensors", "model.json", "loss.svg"] { #expect(files.contains(f), "\(file): lacks \(f)") }
        let metric = spec.text != nil ? "acc" : "mae"
        #expect(files.contains("\(metric).svg"))
        // One path per curve: training and validation.
        #expect(SVGCounter.count(out + "/loss.svg") == 2)
        #expect(SVGCounter.count(out + "/\(metric).svg") == 2)
        let history = try RunArtifacts.readHistory(out)
        #expect(history["loss"]?.count == 2 && history["val_loss"]?.count == 2 && history["val_" + metric]?.count == 2)
        #expect(history["loss"]!.allSatisfy { $0.isFinite })
        let csv = try String(contentsOfFile: out + "/history.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 3 && csv[0].hasPrefix("epoch,loss,\(metric),val_loss,val_\(metric)"))
    }

    @Test func sameSeedGivesBitIdenticalWeights() async throws {
        var bytes: [Data] = []
        for _ in 0..<2 {
            let out = scratch("det")
            let spec = try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/jena-gru-dropout.yaml", overrides: .init(output: out))
            _ = try await PipelineRunner(spec: spec, progress: .quiet).run()
            bytes.append(FileManager.default.contents(atPath: out + "/model.safetensors")!)
        }
        #expect(bytes[0] == bytes[1])
    }

    @Test func resumedRunEqualsUninterruptedRun() async throws {
        let path = repoRoot + "/pipelines/fixtures/imdb-gru.yaml"
        let full = scratch("full"), part = scratch("part")
        _ = try await PipelineRunner(spec: try PipelineSpec.load(path: path, overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=3")], output: full)), progress: .quiet).run()
        _ = try await PipelineRunner(spec: try PipelineSpec.load(path: path, overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=2")], output: part)), progress: .quiet).run()
        // Continue the 2-epoch run to 3 epochs from its checkpoint.
        let spec3 = try PipelineSpec.load(path: path, overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=3")], output: part))
        _ = try await PipelineRunner(spec: spec3, progress: .quiet).run(resume: part)
        #expect(FileManager.default.contents(atPath: full + "/model.safetensors") == FileManager.default.contents(atPath: part + "/model.safetensors"))
        #expect(try RunArtifacts.readHistory(part)["loss"]?.count == 3)
    }

    @Test func checkpointBestKeepsTheBestEpochsWeights() async throws {
        let out = scratch("best")
        let spec = try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/jena-gru.yaml",
                                         overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=4"),
                                                                 try SpecOverride(parsing: "train.checkpoint=best")], output: out))
        _ = try await PipelineRunner(spec: spec, progress: .quiet).run()
        let valLoss = try #require(try RunArtifacts.readHistory(out)["val_loss"])
        let bestEpoch = valLoss.indices.min { valLoss[$0] < valLoss[$1] }!
        let best = try ModelStore.readTensors(from: out + "/best.safetensors").tensors
        let final = try ModelStore.readTensors(from: out + "/model.safetensors").tensors
        let weights = best.keys.filter { !$0.hasPrefix("optimizer/") }
        #expect(!weights.isEmpty)
        let same = weights.allSatisfy { best[$0]?.data == final[$0]?.data }
        #expect(same == (bestEpoch == valLoss.count - 1), "best epoch \(bestEpoch + 1) of \(valLoss): \(same)")
        // `predict`/`evaluate --weights best` load exactly those weights.
        let loaded = try Prediction(runDirectory: out, weights: .best).model.parameters
        #expect(!loaded.isEmpty && loaded.allSatisfy { best[$0.name]?.data == $0.value.data })
        // Without `best` there is no such file.
        let plain = scratch("plain")
        let spec2 = try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/jena-dense.yaml",
                                          overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=1")], output: plain))
        _ = try await PipelineRunner(spec: spec2, progress: .quiet).run()
        #expect(!FileManager.default.fileExists(atPath: plain + "/best.safetensors"))
        let missing = try #require(throws: IOFailure.self) { try Prediction(runDirectory: plain, weights: .best) }
        #expect(missing.description.contains("best.safetensors") && missing.description.contains("checkpoint"))
    }

    @Test func existingOutputFolderIsNotOverwrittenSilently() async throws {
        let out = scratch("exists")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "keep me".write(toFile: out + "/precious.txt", atomically: true, encoding: .utf8)
        let spec = try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/jena-dense.yaml", overrides: .init(output: out))
        await #expect(throws: InputError.self) { _ = try await PipelineRunner(spec: spec, progress: .quiet).run() }
        #expect(FileManager.default.fileExists(atPath: out + "/precious.txt"))
    }

    @Test func predictionUsesTheRunsOwnEncodingAndWeights() async throws {
        let out = scratch("predict")
        let spec = try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/imdb-lstm.yaml",
                                         overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=1")], output: out))
        _ = try await PipelineRunner(spec: spec, progress: .quiet).run()
        let p = try Prediction(runDirectory: out)
        let vocab = try Vocabulary.load(from: out + "/data/vocab.json")
        // A text made of known words encodes with the start char, padded "pre" to maxlen.
        let text = "Brilliant moving film, the acting was wonderful."
        let row = try p.encode(text: text)
        #expect(row.count == 48)
        #expect(Array(row.suffix(vocab.encode(text: text).count)) == vocab.encode(text: text))
        #expect(row.first == 0 && vocab.encode(text: text).first == 1)
        let prob = try p.probability(text: text)
        #expect(prob > 0 && prob < 1)
        // evaluate on the fixture's test split equals the test metrics recorded by the run
        let eval = try await p.evaluate(source: repoRoot + "/fixtures/aclImdb-mini.tar.gz")
        let run = try JSONValue.parse(FileManager.default.contents(atPath: out + "/run.json")!)
        #expect(eval["acc"]?.double == run["final"]?["test_acc"]?.double)
        // Same samples, other batch composition: equal up to float summation order.
        #expect(abs((eval["loss"]?.double ?? 0) - (run["final"]?["test_loss"]?.double ?? 1)) < 1e-5)
    }

    /// `evaluate` on a weather CSV: the model's MAE over every full batch of windows, in
    /// normalised units and °C, beside the common-sense baseline over the same file.
    @Test func weatherEvaluationReportsTheBaselineBesideTheModel() async throws {
        let out = scratch("evaluate-weather")
        let spec = try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/jena-gru.yaml",
                                         overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=1")], output: out))
        _ = try await PipelineRunner(spec: spec, progress: .quiet).run()
        let eval = try await Prediction(runDirectory: out).evaluate(source: repoRoot + "/fixtures/jena-mini.csv")
        let mae = try #require(eval["mae"]?.double), baseline = try #require(eval["baseline_mae"]?.double)
        let maeC = try #require(eval["mae_celsius"]?.double), baselineC = try #require(eval["baseline_mae_celsius"]?.double)
        #expect((eval["windows"]?.double ?? 0) > 0)
        #expect(mae > 0 && mae.isFinite && baseline > 0 && baseline.isFinite)
        #expect(abs(maeC / mae - baselineC / baseline) < 1e-9)        // the same target std
        #expect(baseline != mae)
    }

    @Test func compareTablesAndOverlay() async throws {
        var dirs: [String] = []
        for m in ["jena-dense", "jena-gru"] {
            let out = scratch(m)
            _ = try await PipelineRunner(spec: try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/\(m).yaml", overrides: .init(output: out)), progress: .quiet).run()
            dirs.append(out)
        }
        let c = try RunComparison(runDirectories: dirs)
        #expect(c.metric == "val_mae")
        #expect(c.table.contains("jena-dense-fixture") && c.table.contains("jena-gru-fixture"))
        let svg = scratch("compare") + ".svg"
        try c.writeOverlay(to: svg)
        #expect(SVGCounter.count(svg) == 2)
    }
}
