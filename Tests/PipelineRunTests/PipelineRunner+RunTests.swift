import Testing
import Foundation
import PipelineCore
import PipelineTraining
@testable import PipelineRun
import PipelineSpec

/// `PipelineRunner.run()`: a whole run of every fixture companion into its run folder, the
/// same seed giving the same weights, and an existing folder left alone.
@Suite(.serialized) struct PipelineRunnerRunTests {
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

    @Test func existingOutputFolderIsNotOverwrittenSilently() async throws {
        let out = scratch("exists")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "keep me".write(toFile: out + "/precious.txt", atomically: true, encoding: .utf8)
        let spec = try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/jena-dense.yaml", overrides: .init(output: out))
        await #expect(throws: InputError.self) { _ = try await PipelineRunner(spec: spec, progress: .quiet).run() }
        #expect(FileManager.default.fileExists(atPath: out + "/precious.txt"))
    }

    /// `--resume` on a folder that is not a run folder is refused before anything is written.
    @Test func resumeNeedsARunFolder() async throws {
        let dir = scratch("not-a-run")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "mine".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        let spec = try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/jena-dense.yaml", overrides: .init(output: dir))
        let e = try await #require(throws: IOFailure.self) { _ = try await PipelineRunner(spec: spec, progress: .quiet).run(resume: dir) }
        #expect(e.description.contains("not a run folder") && e.description.contains(dir))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["notes.txt"])
    }
}
