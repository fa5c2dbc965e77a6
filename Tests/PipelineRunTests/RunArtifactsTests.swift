import Testing
import Foundation
import PipelineCore
import PipelineTraining
@testable import PipelineRun

/// The history files of a run folder (Keras' key names), the best epoch, and the plots.
@Suite struct RunArtifactsTests {
    static let history = makeHistory([("loss", [0.7, 0.5, 0.6]), ("acc", [0.5, 0.6, 0.7]), ("val_loss", [0.69, 0.52, 0.58]), ("val_acc", [0.5, 0.8, 0.7])])

    /// history.json holds every logged key, 1-based epochs and the seconds; readHistory reads
    /// back exactly those values; history.csv has one row per epoch in the logged key order.
    @Test func historyFilesRoundTrip() throws {
        let dir = scratch("history")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try RunArtifacts.write(Self.history, into: dir)
        let back = try RunArtifacts.readHistory(dir)
        #expect(back["loss"] == [0.7, 0.5, 0.6] && back["val_acc"] == [0.5, 0.8, 0.7])
        #expect(back["epoch"] == [1, 2, 3] && back["epoch_seconds"] == [1, 2, 3])
        #expect(back == RunArtifacts.historySeries(Self.history))
        let csv = try String(contentsOfFile: dir + "/history.csv", encoding: .utf8)
        #expect(csv == "epoch,loss,acc,val_loss,val_acc,seconds\n1,0.7,0.5,0.69,0.5,1.0\n2,0.5,0.6,0.52,0.8,2.0\n3,0.6,0.7,0.58,0.7,3.0\n")
    }

    /// A non-finite value (written as null) is left out of the series the report reads.
    @Test func nonFiniteValuesAreLeftOutOfTheSeries() {
        let h = makeHistory([("loss", [0.5, .nan, 0.4])])
        #expect(RunArtifacts.historySeries(h)["loss"] == [0.5, 0.4])
    }

    /// The lowest val_loss, else the lowest loss; non-finite values never win; nil without any.
    @Test func bestEpoch() throws {
        let b = try #require(RunArtifacts.bestEpoch(RunArtifacts.historySeries(Self.history)))
        #expect(b.epoch == 2 && b.key == "val_loss" && b.value == 0.52)
        let noVal = try #require(RunArtifacts.bestEpoch(["loss": [.nan, 0.9, 0.3, 0.31]]))
        #expect(noVal.epoch == 3 && noVal.key == "loss")
        #expect(RunArtifacts.bestEpoch(["loss": [.nan, .infinity]]) == nil)
        #expect(RunArtifacts.bestEpoch([:]) == nil)
        #expect(RunArtifacts.bestEpoch(["val_loss": [], "loss": [2, 1]])?.key == "loss")
    }

    /// One plot per metric (loss and acc here), training and validation curves, valid SVG.
    @Test func plotsOnePerMetric() throws {
        let dir = scratch("plots")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let files = try RunArtifacts.writePlots(Self.history, into: dir)
        #expect(files == ["loss.svg", "acc.svg"])
        for f in files { #expect(SVGCounter.count(dir + "/" + f) == 2, "\(f)") }
        let svg = try String(contentsOfFile: dir + "/loss.svg", encoding: .utf8)
        #expect(svg.contains("best epoch 2 (lowest val_loss)"))
    }

    @Test func aFolderWithoutHistoryIsNamed() throws {
        let dir = scratch("nohistory")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let e = try #require(throws: IOFailure.self) { try RunArtifacts.readHistory(dir) }
        #expect(e.description.contains("history.json") && e.description.contains(dir))
        try "[1, 2]".write(toFile: dir + "/history.json", atomically: true, encoding: .utf8)
        #expect(throws: IOFailure.self) { try RunArtifacts.readHistory(dir) }
    }
}
