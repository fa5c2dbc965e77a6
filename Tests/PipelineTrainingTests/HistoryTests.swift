import Testing
@testable import PipelineTraining

@Suite struct HistoryTests {
    @Test func keepsKeysInFirstLoggedOrder() {
        var h = History()
        var l = Logs()
        l["loss"] = 0.5; l["mae"] = 0.3; l["val_loss"] = 0.6
        h.append(epoch: 0, logs: l, seconds: 1.5)
        l["loss"] = 0.4
        h.append(epoch: 1, logs: l, seconds: 1.25)
        #expect(h.keys == ["loss", "mae", "val_loss"])
        #expect(h["loss"] == [0.5, 0.4])
        #expect(h.epochSeconds == [1.5, 1.25] && h.epochs == [0, 1])
        #expect(l.description == "loss: 0.4000 - mae: 0.3000 - val_loss: 0.6000")
    }

    @Test func fixedFormattingRoundsLikePython() {
        #expect(TrainingFormat.fixed(0.40126, digits: 4) == "0.4013")
        #expect(TrainingFormat.fixed(12.34, digits: 1) == "12.3")
        #expect(TrainingFormat.fixed(-0.00001, digits: 2) == "0.00")
        #expect(TrainingFormat.fixed(.nan, digits: 4) == "nan")
        #expect(TrainingFormat.fixed(3, digits: 0) == "3")
    }
}
