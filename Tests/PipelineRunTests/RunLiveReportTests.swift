import Testing
import Foundation
import PipelineCore
import PipelineSpec
import PipelineTraining
@testable import PipelineRun

@Suite struct RunLiveReportTests {
    static func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "live-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// After every epoch the folder holds that epoch's history, plots and a self-reloading report.
    @Test func reportIsRewrittenAfterEveryEpoch() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/jena-dense.yaml")
        let live = RunLiveReport(trainer: RunTrainer(spec: spec, dir: dir, log: { _ in }), epochs: 3, history: History())
        let model = Sequential([Dense(units: 1)])
        model.compile(optimizer: RMSprop(), loss: .meanAbsoluteError, metrics: [try Metric(keras: "mae")])
        try model.build(inputShape: [2], seed: 1)
        for epoch in 0..<2 {
            var logs = Logs()
            logs["loss"] = 0.5 - 0.1 * Double(epoch); logs["mae"] = logs["loss"]
            logs["val_loss"] = 0.45 - 0.05 * Double(epoch); logs["val_mae"] = logs["val_loss"]
            try live.onEpochEnd(epoch: epoch, logs: logs, seconds: 1, model: model)
            let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
            #expect(html.contains("epoch \(epoch + 1) of 3 done"))
            #expect(html.contains("<meta http-equiv=\"refresh\""))
            #expect(html.contains("\(ToolInfo.name) \(ToolInfo.version) · written "))
            #expect(html.contains("best epoch \(epoch + 1) (val_loss"))
            #expect(try RunArtifacts.readHistory(dir)["loss"]?.count == epoch + 1)
            #expect(FileManager.default.fileExists(atPath: dir + "/loss.svg"))
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    /// Cross-entropy and MAE runs never share a val_loss column or panel; no metric is repeated.
    @Test func compareSplitsMixedLossesAndRepeatsNoColumn() throws {
        var dirs: [String] = []
        defer { for d in dirs { try? FileManager.default.removeItem(atPath: d) } }
        for (name, loss, keys) in [("imdb", "binary_crossentropy", ["val_loss", "val_acc"]), ("jena", "mae", ["val_loss", "val_mae"]),
                                   ("imdb2", "binary_crossentropy", ["val_loss", "val_acc"])] {
            let dir = try Self.scratch()
            dirs.append(dir)
            var h: [String: JSONValue] = ["epoch_seconds": .array([.number(1), .number(1)])]
            for k in keys { h[k] = .array([.number(0.6), .number(0.4)]) }
            try AtomicFile.write(JSONValue.object(h).text, to: dir + "/history.json")
            try AtomicFile.write(JSONValue.object(["name": .string(name), "loss": .string(loss)]).text, to: dir + "/run.json")
        }
        let c = try RunComparison(runDirectories: dirs)
        #expect(c.metrics.map(\.label) == ["val_loss (binary_crossentropy)", "val_acc", "val_mae"])
        #expect(c.notes.count == 1 && c.notes[0].contains("binary_crossentropy: imdb, imdb2; mae: jena"), "\(c.notes)")
        let header = c.table.split(separator: "\n")[0].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(Set(header).count == header.count, "repeated column: \(header)")
        #expect(c.charts.count == 3)
        #expect(c.charts[0].series.map(\.name) == ["imdb", "imdb2"])   // the MAE run is not on the cross-entropy panel
    }
}
