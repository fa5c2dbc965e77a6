import Testing
import PipelineCore
import PipelineTraining
@testable import PipelineRun

@Suite struct EpochProgressBarTests {
    final class Draws: @unchecked Sendable { let lines = Locked([String]()); let erased = Locked(0) }

    /// Thousands of steps in a tight loop: a line only every `interval`, the rest cost a clock read.
    @Test func drawsAtMostOncePerIntervalAndErasesAtEpochEnd() throws {
        let d = Draws()
        let bar = EpochProgressBar(steps: 5000, interval: 0.1, columns: 200, draw: { s in d.lines.withLock { $0.append(s) } },
                                   erase: { d.erased.withLock { $0 += 1 } })
        let model = Sequential([Dense(units: 1)])
        model.compile(optimizer: RMSprop(), loss: .binaryCrossentropy(), metrics: [try Metric(keras: "acc")])
        try bar.onTrainBegin(model: model, epochs: 2)
        let start = ProgressReporter.now()
        try bar.onEpochBegin(epoch: 0, model: model)
        var p = FitPosition(epochStart: 0)
        for step in 1...5000 {
            p.step = step; p.samples = step * 32; p.lossSum = 0.5 * Double(p.samples)
            p.metricSums = [0.75 * Double(p.samples)]; p.metricCounts = [p.samples]
            try bar.onStepEnd(position: p, model: model)
        }
        let seconds = ProgressReporter.now() - start
        try bar.onEpochEnd(epoch: 0, logs: Logs(), seconds: seconds, model: model)
        let lines = d.lines.withLock { $0 }
        #expect(lines.count >= 1)
        #expect(Double(lines.count) <= seconds / 0.1 + 2, "\(lines.count) draws in \(seconds) s")
        #expect(lines[0].hasPrefix("\r\u{1B}[KEpoch 1/2     1/5000 ["), "\(lines[0].debugDescription)")
        #expect(lines[0].hasSuffix(" - loss: 0.5000 - acc: 0.7500"))
        #expect(d.erased.withLock { $0 } == 1)
    }

    @Test func unknownStepsAreLearnedFromTheFirstEpoch() throws {
        let d = Draws()
        let bar = EpochProgressBar(steps: nil, interval: 0, columns: nil, draw: { s in d.lines.withLock { $0.append(s) } }, erase: {})
        let model = Sequential([Dense(units: 1)])
        model.compile(optimizer: RMSprop(), loss: .meanSquaredError, metrics: [])
        try bar.onTrainBegin(model: model, epochs: 2)
        for epoch in 0..<2 {
            try bar.onEpochBegin(epoch: epoch, model: model)
            var p = FitPosition(epochStart: epoch)
            for step in 1...3 { p.step = step; p.samples = step; p.lossSum = Double(step); try bar.onStepEnd(position: p, model: model) }
            try bar.onEpochEnd(epoch: epoch, logs: Logs(), seconds: 1, model: model)
        }
        let lines = d.lines.withLock { $0 }.map { String($0.dropFirst(4)) }
        #expect(lines.first == "Epoch 1/2        1/Unknown - loss: 1.0000")
        #expect(lines.last?.hasPrefix("Epoch 2/2  3/3 [" + String(repeating: "=", count: 30) + "]") == true, "\(lines)")
    }
}
