import Foundation
import PipelineCore
import PipelineIO
import Testing
@testable import PipelineTimeseries

/// A weather CSV of `rows` rows ten minutes apart from 01.01.2017 00:00, one column `x`
/// (`x = row`), with rows `skip` left out and cells `cells` replaced (row → text).
func weatherCSV(rows: Int, skip: Set<Int> = [], cells: [Int: String] = [:]) -> String {
    var s = "Date Time,x\n"
    for r in 0..<rows where !skip.contains(r) {
        let t = r * 600, d = 1 + t / 86_400, h = t / 3600 % 24, m = t / 60 % 60
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        s += "\(two(d)).01.2017 \(two(h)):\(two(m)):00,\(cells[r] ?? "\(r)")\n"
    }
    return s
}

/// Small windows that fit a few hundred rows.
func smallWindows() -> WeatherPreparation.Options {
    var o = WeatherPreparation.Options()
    o.targetColumn = "x"; o.lookback = 6; o.step = 1; o.delay = 1; o.batchSize = 4
    o.fractions = WeatherPreparation.Fractions(train: 0.5, validation: 0.25)
    return o
}

func files(in dir: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
}

@Suite struct RepairLimitTests {
    @Test func fillWithAWrongStepIsRefusedAndWritesNothing() async throws {
        var o = smallWindows()
        o.timePolicy = .fill; o.timeStep = .seconds(60)                      // the file's step is 600 s
        let dir = try temporaryDirectory()
        do {
            _ = try await WeatherPreparation.prepare(try csvChunks(weatherCSV(rows: 300), name: "w.csv"), options: o, to: dir)
            Issue.record("no error")
        } catch let e as InputError {
            // The step is checked against the first rows before any is repaired (TimeStep).
            #expect(e.location == SourceLocation(file: "w.csv", line: 2))
            #expect(e.field == "step_seconds" && e.value == "60" && e.message.contains("disagrees with the data"))
            #expect(e.message.contains("100 % are 600 s apart"))
            #expect(e.hint?.contains("step_seconds: 600") == true)
        }
        #expect(files(in: dir).isEmpty)
        // With the right step, a gap of a third of the file is refused by the repair limit.
        o.timeStep = .seconds(600)
        do {
            _ = try await WeatherPreparation.prepare(try csvChunks(weatherCSV(rows: 300, skip: Set(100..<200)), name: "w.csv"),
                                                     options: o, to: dir)
            Issue.record("no error")
        } catch let e as InputError {
            #expect(e.location == SourceLocation(file: "w.csv"))
            #expect(e.message.contains("time_axis inserted 100 rows in 1 gap"))
            #expect(e.message.contains("100 of 200 rows read (50 %)"))
            #expect(e.message.contains("max_repaired_fraction 0.01 (1 %)"))
            #expect(e.hint?.contains("check step_seconds (600 s)") == true)
            #expect(e.hint?.contains("timeseries.max_repaired_fraction") == true)
        }
        #expect(files(in: dir).isEmpty)
        o.timeStep = .seconds(60)
        // Raised to 100 %, a share of 897 % is still refused; 10 % of rows inserted passes at 0.1.
        o.maxRepairedFraction = 1
        await #expect(throws: InputError.self) {
            _ = try await WeatherPreparation.prepare(try csvChunks(weatherCSV(rows: 300)), options: o, to: dir)
        }
        o.timeStep = .seconds(600); o.maxRepairedFraction = 0.1
        let meta = try await WeatherPreparation.prepare(try csvChunks(weatherCSV(rows: 300, skip: Set(100..<120))), options: o, to: dir)
        #expect(meta.counts.rowsInserted == 20 && meta.rowsRead == 280 && meta.rows == 300 && meta.gridGaps == 0)
    }

    @Test func aSmallRepairPassesAndIsCounted() async throws {
        var o = smallWindows()
        o.timePolicy = .fill
        let meta = try await WeatherPreparation.prepare(try csvChunks(weatherCSV(rows: 400, skip: [50, 51])), options: o,
                                                        to: try temporaryDirectory())
        #expect(meta.counts.rowsInserted == 2 && meta.counts.gaps == 1 && meta.rowsRead == 398 && meta.gridGaps == 0)
        let limit = RepairLimit(maxFraction: 0.01, step: 600)
        #expect(limit.summary(meta.counts, rows: meta.rows, gridGaps: 0)
                == "repairs: time_axis inserted 2 rows in 1 gaps (0.50 % of 398 rows read, limit 1 %)")
        #expect(limit.summary(TableCounts(), rows: 10, gridGaps: 0) == nil)
    }

    @Test func dropRowReportsTheGapsItLeavesAndIsLimited() async throws {
        var o = smallWindows()
        o.missing = .dropRow
        let meta = try await WeatherPreparation.prepare(
            try csvChunks(weatherCSV(rows: 400, cells: [10: "-9999", 200: "NA", 201: ""])), options: o, to: try temporaryDirectory())
        #expect(meta.counts.rowsDroppedMissing == 3 && meta.rows == 397 && meta.rowsRead == 400)
        #expect(meta.gridGaps == 2)                                      // rows 10 and 200–201
        #expect(RepairLimit(step: 600).summary(meta.counts, rows: meta.rows, gridGaps: 2)
                == "repairs: missing: drop_row dropped 3 rows (0.75 % of 400 rows read, limit 1 %); the time grid has 2 gaps left")
        var bad: [Int: String] = [:]
        for r in stride(from: 5, to: 400, by: 20) { bad[r] = "-9999" }   // 20 rows: 5 %
        let dir = try temporaryDirectory()
        do {
            _ = try await WeatherPreparation.prepare(try csvChunks(weatherCSV(rows: 400, cells: bad), name: "m.csv"), options: o, to: dir)
            Issue.record("no error")
        } catch let e as InputError {
            #expect(e.description == "m.csv: the repairs change too much of the data: missing: drop_row dropped 20 rows, "
                    + "20 of 400 rows read (5 %), more than max_repaired_fraction 0.01 (1 %) "
                    + "(consider missing: interpolate or fill_previous; raise timeseries.max_repaired_fraction to accept this)")
        }
        #expect(files(in: dir).isEmpty)
    }

    @Test func timeAxisDropCountsItsGapsToo() async throws {
        var o = smallWindows()
        o.timePolicy = .drop
        let meta = try await WeatherPreparation.prepare(try csvChunks(weatherCSV(rows: 400, skip: [30, 300])), options: o,
                                                        to: try temporaryDirectory())
        #expect(meta.counts.gaps == 2 && meta.gridGaps == 2 && meta.counts.rowsInserted == 0)
    }

    @Test func aGapOfYearsIsRefusedBeforeItIsMade() async throws {
        // Two rows 100 years apart with a 1 s step: 3.2e9 rows would be inserted.
        let text = "Date Time,x\n01.01.1990 00:00:00,1\n01.01.2090 00:00:00,2\n01.01.2090 00:00:01,3\n"
        var axis = TimeAxisChecker(step: 1, policy: .fill, maxRepairedFraction: 1)
        let chunk = try await CSVFile.collect(try csvChunks(text, name: "y.csv"))
        #expect(throws: InputError.self) { _ = try axis.push(chunk) }
        var o = smallWindows(); o.timePolicy = .fill; o.timeStep = .seconds(1); o.maxRepairedFraction = 1
        do {
            _ = try await WeatherPreparation.prepare(try csvChunks(text, name: "y.csv"), options: o, to: try temporaryDirectory())
            Issue.record("no error")
        } catch let e as InputError {
            #expect(e.location == SourceLocation(file: "y.csv", line: 3, column: 1))
            #expect(e.message.hasPrefix("filling this gap would insert 3155759999 rows"))
            #expect(e.hint?.contains("timeseries.max_repaired_fraction") == true)
        }
        // A genuine gap near the start is not refused for want of rows read before it.
        var early = TimeAxisChecker(step: 600, policy: .fill, maxRepairedFraction: 0.01)
        let gap = try await CSVFile.collect(try csvChunks(weatherCSV(rows: 300, skip: Set(2..<146))))
        #expect(try early.push(gap).counts.rowsInserted == 144)
    }

    @Test func theTimeAxisHintNamesARealKey() async throws {
        var axis = TimeAxisChecker(step: 600, policy: .error)
        let chunk = try await CSVFile.collect(try csvChunks(weatherCSV(rows: 5, skip: [2])))
        do { _ = try axis.push(chunk); Issue.record("no error") } catch let e as InputError {
            #expect(e.hint == "set timeseries.time_axis to fill or drop to repair the time axis")
        }
    }
}
