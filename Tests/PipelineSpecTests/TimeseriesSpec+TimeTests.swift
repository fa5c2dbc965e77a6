import PipelineCore
import PipelineIO
import PipelineTimeseries
import Testing
@testable import PipelineSpec

/// `timeseries.time`, `step_seconds: auto`, durations, categorical, calendar, target_unit (issue 15).
@Suite struct TimeseriesSpecTimeTests {
    func series(_ body: String) throws -> TimeseriesSpec {
        let yaml = "name: t\nsource: {url: w.csv}\ntimeseries:\n" + body.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        return try #require(try PipelineSpec.parse(yaml, file: "t.yaml").timeseries)
    }

    func failure(_ body: String) -> InputError? {
        specError("name: t\nsource: {url: w.csv}\ntimeseries:\n" + body.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    }

    @Test func timeLayouts() throws {
        #expect(try series("target: x").time == .auto)
        #expect(try series("target: x").stepSeconds == .auto)
        #expect(try series("time: row_order").time == CSVTime.none)
        #expect(try series("time: {column: when, format: \"yyyy/M/d H:mm\"}").time == .column("when", format: "yyyy/M/d H:mm"))
        #expect(try series("time: {column: when}").time == .column("when", format: nil))
        #expect(try series("time: {columns: {year: y, month: m, day: d, hour: h}}").time
                == .columns(TimeColumns(year: "y", month: "m", day: "d", hour: "h")))
        #expect(try series("timestamp_column: Date Time").time == .column("Date Time", format: nil))
        #expect(try series("timestamp_format: \"dd.MM.yyyy HH:mm:ss\"").time == .column("Date Time", format: "dd.MM.yyyy HH:mm:ss"))
        #expect(try series("step_seconds: 3600").stepSeconds == .seconds(3600))
    }

    @Test func timeMistakes() {
        #expect(failure("time: {column: t, format: \"MMM d\"}")?.field == "timeseries.time.format")
        #expect(failure("time: rows")?.hint?.contains("row_order") == true)
        #expect(failure("time: {columns: {year: y, month: m}}")?.message.contains("year, month and day") == true)
        #expect(failure("time: {columns: {year: y, month: m, day: d, minute: mi}}")?.message.contains("needs hour") == true)
        #expect(failure("time: auto\ntimestamp_column: x")?.message.contains("not both") == true)
    }

    @Test func durationsAndFeatures() throws {
        let t = try series("target: TEMP\nlookback: 10d\nstep: 1h\ndelay: 24h\ncategorical: [cbwd]\ncalendar: [hour_of_day]\ntarget_unit: \"°C\"")
        #expect(t.durations == WindowDurations(lookback: 864_000, step: 3600, delay: 86_400))
        #expect(t.timesteps == 240)
        #expect(t.categorical == ["cbwd"] && t.calendar == [.hourOfDay] && t.targetUnit == "°C")
        #expect(try series("lookback: 240\nstep: 1").timesteps == 240)
        #expect(failure("lookback: 10d\nstep: 6")?.message.contains("both as durations") == true)
        #expect(failure("lookback: 1h\nstep: 2h")?.field == "timeseries.step")
        #expect(failure("lookback: 10 days")?.message.contains("duration") == true)
        #expect(failure("calendar: [hour]")?.hint?.contains("hour_of_day") == true)
        #expect(failure("target: cbwd\ncategorical: [cbwd]")?.field == "timeseries.categorical")
    }

    @Test func durationsBecomeRowsWithTheTimeStep() throws {
        let d = WindowDurations(lookback: 864_000, step: 3600, delay: 86_400)
        #expect(try d.rows(timeStep: 600) == (1440, 6, 144))
        #expect(try d.rows(timeStep: 3600) == (240, 1, 24))
        #expect(throws: InputError.self) { try d.rows(timeStep: 7 * 3600) }
        #expect(WindowDurations.parse("30min") == 1800 && WindowDurations.parse("2w") == 1_209_600)
        #expect(WindowDurations.parse("144") == nil && WindowDurations.parse("h") == nil)
    }
}
