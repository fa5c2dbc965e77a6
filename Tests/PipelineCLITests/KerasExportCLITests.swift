import Foundation
import Testing
import PipelineCore
import PipelineKeras
import PipelineRun

/// `pipeline export`, verb suggestions, options per verb and typed `--json` numbers (issue 17, items 5 and 6).
@Suite struct KerasExportCLITests {
    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "export-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func exportWritesAKerasArchiveWithKerasWeightLayout() throws {
        let dir = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try CLI.run(["run", "pipelines/fixtures/imdb-bilstm.yaml", "--quiet", "--set", "train.epochs=1", "--output", dir + "/run"])
        #expect(run.code == 0, "\(run.stderr)")
        let r = try CLI.run(["export", dir + "/run", "--format", "keras", "--output", dir + "/model.keras", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let json = try JSONValue.parse(Array(r.stdout.utf8))
        #expect(json["layers"] == .int(3) && json["parameters"] == .int(29_505) && json["optimizer_state"] == .bool(true))

        let entries = try StoredZip.entries(of: Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/model.keras"))))
        #expect(entries.map(\.name) == ["metadata.json", "config.json", "model.weights.h5"])
        let h5 = try HDF5Image.contents(of: entries[2].bytes)
        let weights = h5.filter { $0.isDataset && $0.path.hasPrefix("layers/") }
        #expect(weights.map(\.path).sorted() == [
            "layers/bidirectional/backward_layer/cell/vars/0", "layers/bidirectional/backward_layer/cell/vars/1",
            "layers/bidirectional/backward_layer/cell/vars/2", "layers/bidirectional/forward_layer/cell/vars/0",
            "layers/bidirectional/forward_layer/cell/vars/1", "layers/bidirectional/forward_layer/cell/vars/2",
            "layers/dense/vars/0", "layers/dense/vars/1", "layers/embedding/vars/0",
        ])
        #expect(weights.allSatisfy { $0.dtype == "float32" })
        #expect(weights.first { $0.path == "layers/embedding/vars/0" }?.shape == [400, 32])
        #expect(weights.first { $0.path == "layers/bidirectional/forward_layer/cell/vars/0" }?.shape == [32, 128])

        // The run's model.json is the same Keras document.
        let modelJSON = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/run/model.json"))))
        #expect(modelJSON["module"]?.string == "keras" && modelJSON["compile_config"]?["from_logits"] == nil)
        #expect(modelJSON["config"]?["layers"]?.array?[2]["config"]?["layer"]?["class_name"]?.string == "LSTM")

        // An existing file is kept unless --overwrite.
        let again = try CLI.run(["export", dir + "/run", "--output", dir + "/model.keras"])
        #expect(again.code == 2 && again.stderr.contains("--overwrite"))
        #expect(try CLI.run(["export", dir + "/run", "--output", dir + "/model.keras", "--overwrite"]).code == 0)
        // Default output: RUN/model.keras; best weights need a best checkpoint.
        #expect(try CLI.run(["export", dir + "/run"]).code == 0)
        #expect(FileManager.default.fileExists(atPath: dir + "/run/model.keras"))
        let best = try CLI.run(["export", dir + "/run", "--weights", "best", "--output", dir + "/best.keras"])
        #expect(best.code == 1 && best.stderr.contains("best.safetensors"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/best.keras"))
    }

    @Test func mistypedVerbSuggestsTheClosestAndExitsTwo() throws {
        let r = try CLI.run(["runn", "pipelines/fixtures/imdb-lstm.yaml"])
        #expect(r.code == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("error: unknown command 'runn' (did you mean 'run'?)\n"))
        #expect(r.stderr.contains("export"))
        let far = try CLI.run(["frobnicate"])
        #expect(far.code == 2 && far.stderr.hasPrefix("error: unknown command 'frobnicate'\n"))
        #expect(try CLI.run(["exprot", "x"]).stderr.contains("did you mean 'export'?"))
    }

    @Test func helpShowsExamplesAndOnlyTheOptionsAVerbUses() throws {
        for verb in ["validate", "describe", "run", "prepare", "export"] {
            let r = try CLI.run([verb, "--help"])
            #expect(r.code == 0)
            #expect(r.stdout.contains("Examples:"), "\(verb)")
        }
        let validate = try CLI.run(["validate", "--help"]).stdout
        #expect(!validate.contains("--quiet") && validate.contains("--set"))
        #expect(!(try CLI.run(["describe", "--help"]).stdout.contains("--quiet")))
        #expect(try CLI.run(["run", "--help"]).stdout.contains("--quiet"))
        #expect(try CLI.run(["validate", "pipelines/fixtures/imdb-lstm.yaml", "--quiet"]).code == 2)
    }

    @Test func jsonStatsAreTypedNumbers() throws {
        let dir = try Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(["run", "pipelines/fixtures/imdb-lstm.yaml", "--json", "--set", "train.epochs=1", "--output", dir + "/run"])
        #expect(r.code == 0, "\(r.stderr)")
        let json = try JSONValue.parse(Array(r.stdout.utf8))
        #expect(json["data"]?["maxlen"] == .int(48))
        #expect(json["data"]?["train samples"]?.isIntegerNumber == true)
        #expect(json["data"]?["source"]?.string != nil)
    }

    @Test func typedKeepsTextThatIsNotANumber() {
        #expect(JSONOutput.typed("48") == .int(48))
        #expect(JSONOutput.typed("0.25") == .number("0.25"))
        #expect(JSONOutput.typed("0.52 s") == .string("0.52 s"))
        #expect(JSONOutput.typed("imdb.tar.gz") == .string("imdb.tar.gz"))
        #expect(JSONOutput.typed("") == .string(""))
    }
}
