import Testing
import Foundation
import PipelineCore
import PipelineTraining
@testable import PipelineRun
import PipelineSpec

/// `pipeline compare`: final and best values per validation metric, one `val_loss` per loss,
/// the headline metric, and the overlay with a panel per metric.
@Suite struct RunComparisonTests {
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

    /// Accuracies are best when highest, losses when lowest; epochs are 1-based; the headline
    /// metric is val_acc when every run has it.
    @Test func bestIsHighestForAccuracyLowestOtherwise() throws {
        let a = try fakeRunFolder("a", history: [("loss", [0.7, 0.5, 0.6]), ("acc", [0.5, 0.6, 0.7]),
                                                 ("val_loss", [0.69, 0.55, 0.58]), ("val_acc", [0.52, 0.81, 0.74])],
                                  run: ["name": .string("run-a"), "loss": .string("binary_crossentropy")])
        let b = try fakeRunFolder("b", history: [("loss", [0.7, 0.6]), ("acc", [0.5, 0.6]), ("val_loss", [0.66, 0.61]), ("val_acc", [0.6, 0.7])],
                                  run: ["name": .string("run-b"), "loss": .string("binary_crossentropy")])
        let c = try RunComparison(runDirectories: [a, b])
        #expect(c.metric == "val_acc")
        #expect(c.metrics.map(\.label) == ["val_loss (binary_crossentropy)", "val_acc"])
        #expect(c.notes.isEmpty)
        let lines = c.table.split(separator: "\n").map(String.init)
        #expect(lines[0] == "run | epochs | final val_loss (binary_crossentropy) | best val_loss (binary_crossentropy) (epoch) | final val_acc | best val_acc (epoch) | s/epoch")
        #expect(lines[2] == "run-a | 3 | 0.5800 | 0.5500 (2) | 0.7400 | 0.8100 (2) | 2.00", "\(lines[2])")
        #expect(lines[3].hasPrefix("run-b | 2 | 0.6100 | 0.6100 (2) | 0.7000 | 0.7000 (2) | 1.50"), "\(lines[3])")
        let runs = try #require(c.json["runs"]?.array)
        #expect(runs[0]["best"]?.double == 0.81 && runs[0]["best_epoch"]?.double == 2 && runs[0]["final"]?.double == 0.74)
        #expect(c.charts.count == 2 && c.charts.allSatisfy { $0.series.count == 2 })
    }

    /// Runs trained with different losses never share a `val_loss` column or panel: one per loss,
    /// a note says so, and a run's cells under the other loss are "-". A loss that is also a
    /// logged metric (loss mae, metrics [mae]) appears once, as that metric.
    @Test func differentLossesAreComparedOnlyWithinEachLoss() throws {
        let text = try fakeRunFolder("t", history: [("loss", [0.6]), ("val_loss", [0.5]), ("val_acc", [0.8])],
                                     run: ["name": .string("text"), "loss": .string("binary_crossentropy")])
        let mse = try fakeRunFolder("m", history: [("loss", [2.0]), ("val_loss", [3.0])],
                                    run: ["name": .string("mse-run"), "loss": .string("mse")])
        let c = try RunComparison(runDirectories: [text, mse])
        #expect(c.metrics.map(\.label) == ["val_loss (binary_crossentropy)", "val_loss (mse)", "val_acc"])
        #expect(c.metric == "val_loss")
        #expect(c.notes.count == 1 && c.notes[0].contains("binary_crossentropy: text") && c.notes[0].contains("mse: mse-run"))
        let rows = c.table.split(separator: "\n").map(String.init)
        #expect(rows[2].hasPrefix("text | 1 | 0.5000 | 0.5000 (1) | - | - | 0.8000"), "\(rows[2])")
        #expect(rows[3].hasPrefix("mse-run | 1 | - | - | 3.0000 | 3.0000 (1) | - | -"), "\(rows[3])")
        #expect(rows.last?.hasPrefix("note: the runs were trained with different losses") == true)

        let mae = try fakeRunFolder("mae", history: [("loss", [0.3]), ("mae", [0.3]), ("val_loss", [0.4]), ("val_mae", [0.4])],
                                    run: ["name": .string("weather"), "loss": .string("mae"), "baseline_mae": .number(0.45)])
        let w = try RunComparison(runDirectories: [mae])
        #expect(w.metrics.map(\.label) == ["val_mae"] && w.metric == "val_mae")
        #expect(w.table.contains("common-sense baseline MAE: 0.4500"))
        #expect(w.charts.first?.reference?.1 == 0.45)
    }

    /// Without run.json the folder name names the run and model.json gives the loss.
    @Test func folderNameAndModelJSONAreTheFallbacks() throws {
        let dir = try fakeRunFolder("bare", history: [("loss", [1.0]), ("val_loss", [1.0])])
        try #"{"compile_config": {"loss": "mean_absolute_error"}}"#.write(toFile: dir + "/model.json", atomically: true, encoding: .utf8)
        let c = try RunComparison(runDirectories: [dir])
        #expect(c.rows[0].name == (dir as NSString).lastPathComponent && c.rows[0].loss == "mean_absolute_error")
    }

    @Test func aFolderWithoutHistoryIsAnIOFailure() throws {
        let dir = scratch("empty")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let e = try #require(throws: IOFailure.self) { try RunComparison(runDirectories: [dir]) }
        #expect(e.description.contains("history.json") && e.description.contains(dir))
    }
}
