import Foundation
import PipelineCore
import PipelineIO
import Testing
@testable import PipelineTimeseries

/// `step_seconds: auto` and an explicit step checked against the data (issue 15).
@Suite struct TimeStepTests {
    func chunk(_ timestamps: [Int64]) -> TableChunk {
        TableChunk(source: "h.csv", columns: ["x"], values: timestamps.map { _ in 1 }, timestamps: timestamps,
                   lines: timestamps.indices.map { $0 + 2 })
    }

    @Test func autoTakesTheMostCommonGap() throws {
        var t: [Int64] = (0..<100).map { Int64($0) * 3600 }
        t.remove(at: 50)                                            // one gap of two hours
        let r = try TimeStep.auto.resolve(chunk(t), tolerance: 0.01)
        #expect(r.step == 3600 && r.detected)
        #expect(try TimeStep.auto.resolve(chunk([0, 600, 1200]), tolerance: 0.01).step == 600)
        #expect(throws: InputError.self) { try TimeStep.auto.resolve(chunk([5]), tolerance: 0.01) }
    }

    @Test func anExplicitStepThatDisagreesIsAnError() throws {
        let hourly: [Int64] = (0..<8760).prefix(4096).map { Int64($0) * 3600 }
        do {
            _ = try TimeStep.seconds(600).resolve(chunk(hourly), tolerance: 0.01)
            Issue.record("no error")
        } catch let e as InputError {
            #expect(e.field == "step_seconds" && e.value == "600")
            #expect(e.message.contains("100 % are 3600 s apart"))
            #expect(e.hint == "set timeseries.step_seconds: 3600, or auto")
        }
        // A step that matches all but a few gaps (a DST change, a missing row) passes.
        var t = hourly; t.remove(at: 10)
        #expect(try TimeStep.seconds(3600).resolve(chunk(t), tolerance: 0.01) == (3600, false))
    }

    @Test func hourlyFileRunsWithAutoAndReportsTheStep() async throws {
        var s = "Date Time,x\n"
        for h in 0..<200 { s += String(format: "%02d.01.2017 %02d:00:00,%d\n", 1 + h / 24, h % 24, h) }
        var o = smallWindows(); o.timeStep = .auto
        o.lookback = 24; o.step = 1; o.delay = 6; o.batchSize = 4
        o.ranges = WindowRanges(train: .init(minIndex: 0, maxIndex: 120), validation: .init(minIndex: 121, maxIndex: 160),
                                test: .init(minIndex: 161, maxIndex: nil))
        let meta = try await WeatherPreparation.prepare(try csvChunks(s), options: o, to: try temporaryDirectory())
        #expect(meta.timeStepSeconds == 3600 && meta.timeStepDetected == true)
        #expect(meta.rows == 200 && meta.counts.rowsInserted == 0)
    }

    @Test func describesSteps() {
        #expect(TimeStep.describe(600) == "10 min")
        #expect(TimeStep.describe(3600) == "1 h")
        #expect(TimeStep.describe(86_400) == "1 d")
        #expect(TimeStep.describe(90) == "90 s")
    }
}

/// Clock changes of local time read as UTC (issue 15): recognised in the time-axis errors.
@Suite struct DaylightSavingTests {
    /// Hourly local-time stamps (`yyyy/M/d H:mm`) across the EU spring change of 2010-03-28.
    @Test func aSpringGapIsNamedAndRepairedByTimeAxis() async throws {
        var s = "when,t\n"
        for h in 0..<48 where h != 26 {                             // 2010-03-28 02:00 does not exist
            s += "2010/3/\(27 + h / 24) \(h % 24):00,\(h)\n"
        }
        let path = try temporaryDirectory() + "/dst.csv"
        try s.write(toFile: path, atomically: true, encoding: .utf8)
        let o = CSVReadOptions(source: "dst.csv", missing: .keep, time: .auto)
        let t = try await CSVFile.collect(CSVFile.bytes(path: path).csvTable(o))
        var strict = TimeAxisChecker(step: 3600, policy: .error)
        do {
            _ = try strict.push(t)
            Issue.record("no error")
        } catch let e as InputError {
            #expect(e.message.hasPrefix("a daylight-saving change (spring forward) in local time: gap in the time axis: 1 row(s) missing"))
            #expect(e.location?.line == 28)
            #expect(e.value == "2010-03-28 03:00:00")
        }
        var fill = TimeAxisChecker(step: 3600, policy: .fill)
        let filled = try fill.push(t)
        #expect(filled.rowCount == 48 && filled.counts.rowsInserted == 1)
    }

    @Test func anAutumnRepeatIsNamed() {
        // 2010-10-31 (EU), 10-minute data: 02:50 is followed by 02:00 again.
        let t0 = Int64(1_288_493_400)                               // 2010-10-31 02:50 (as UTC)
        #expect(DaylightSaving.transition(previous: t0, delta: 600 - 3600, step: 600) == "fall back")
        #expect(DaylightSaving.transition(previous: t0 - 86_400 * 7, delta: 600 - 3600, step: 600) == nil)   // not a change day
        // US 2010: second Sunday of March (the 14th), first of November (the 7th).
        #expect(DaylightSaving.transition(previous: 1_268_532_000, delta: 7200, step: 3600) == "spring forward")
        #expect(DaylightSaving.transition(previous: 1_289_095_200, delta: 0, step: 3600) == "fall back")
        #expect(DaylightSaving.transition(previous: 1_268_532_000, delta: 3 * 3600, step: 3600) == nil)
    }
}
