import Foundation
import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct CallbacksModelCheckpointTests {
    @Test func checkpointSavesBestOnlyWithFormattedNames() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try ToyData.model()
        let cp = ModelCheckpoint(path: dir + "/m-{epoch:02d}-{val_loss:.2f}.safetensors", saveBestOnly: true)
        try cp.onTrainBegin(model: model, epochs: 4)
        for (epoch, v) in [0.9, 0.8, 0.85, 0.7].enumerated() {
            try cp.onEpochEnd(epoch: epoch, logs: logs([("loss", 1), ("val_loss", v)]), seconds: 0, model: model)
        }
        #expect(cp.saved == [dir + "/m-01-0.90.safetensors", dir + "/m-02-0.80.safetensors", dir + "/m-04-0.70.safetensors"])
        #expect(cp.saved.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        #expect(FileManager.default.fileExists(atPath: dir + "/m-04-0.70.json"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func resumedCheckpointKeepsTheEarlierBest() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try ToyData.model()
        let cp = ModelCheckpoint(path: dir + "/best-{epoch}.safetensors", saveBestOnly: true)
        cp.resume(best: 0.5)                       // the interrupted run had reached 0.5
        try cp.onTrainBegin(model: model, epochs: 4)
        for (epoch, v) in [(2, 0.6), (3, 0.4)] {
            try cp.onEpochEnd(epoch: epoch, logs: logs([("val_loss", v)]), seconds: 0, model: model)
        }
        #expect(cp.saved == [dir + "/best-4.safetensors"])
        #expect(cp.best == 0.4)
    }
}
