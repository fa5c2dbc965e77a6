import Foundation
import PipelineCore
import Testing
@testable import PipelineIO

/// Where a row's time comes from (`CSVTime`): one column, assembled part columns, detection.
@Suite struct CSVTimeTests {
    /// An hourly air-quality layout: index, time split over four columns, `NA`, a wind-direction string.
    let beijing = """
    No,year,month,day,hour,pm2.5,DEWP,TEMP,PRES,cbwd,Iws
    1,2010,1,1,0,NA,-21,-11,1021,NW,1.79
    2,2010,1,1,1,129,-16,-4,1020,SE,1.79
    3,2010,1,1,2,148,-15,-4,1020,cv,0.89
    """

    @Test func detectsYearMonthDayHourColumnsAndKeepsThemOutOfTheFeatures() async throws {
        let t = try await table(beijing, CSVReadOptions(source: "b.csv", missing: .keep, time: .auto))
        #expect(t.timestampColumn == "year+month+day+hour")
        #expect(t.timestampFormat == "columns")
        #expect(t.timestampColumnNumber == 2)
        #expect(t.timestamps == [1_262_304_000, 1_262_307_600, 1_262_311_200])
        #expect(t.columns == ["No", "pm2.5", "DEWP", "TEMP", "PRES", "Iws"])   // no year…hour, no cbwd
        #expect(t.values[1].isNaN)
    }

    @Test func explicitPartColumnsMayAlsoBeFeatures() async throws {
        let o = CSVReadOptions(source: "b.csv", missing: .keep, time: .columns(TimeColumns(year: "year", month: "month", day: "day", hour: "hour")),
                               columns: ["hour", "TEMP"])
        let t = try await table(beijing, o)
        #expect(t.columns == ["hour", "TEMP"])
        #expect(t.values == [0, -11, 1, -4, 2, -4])
        #expect(t.timestamps.count == 3)
    }

    @Test func impossibleAssembledDateNamesLineAndParts() async throws {
        let csv = "year,month,day,hour,v\n2010,2,28,0,1\n2010,2,30,0,2\n"
        let e = try #require(await csvError(csv, CSVReadOptions(source: "b.csv", time: .auto)))
        #expect(e.location?.line == 3)
        #expect(e.value?.contains("day=30") == true)
        let frac = "year,month,day,v\n2010,2,1.5,1\n"
        let e2 = try #require(await csvError(frac, CSVReadOptions(source: "b.csv", time: .auto)))
        #expect(e2.message.contains("whole number"))
        #expect(e2.location?.line == 2)
    }

    @Test func detectsATimestampColumnByItsCells() async throws {
        let csv = "station,when,temp\n7,2010/1/1 0:00,1.5\n7,2010/1/1 1:00,2.5\n"
        let t = try await table(csv, CSVReadOptions(source: "h.csv", time: .auto))
        #expect(t.timestampColumn == "when")
        #expect(t.timestampFormat == "yyyy/M/d H:mm")
        #expect(t.columns == ["station", "temp"])
        #expect(t.timestamps == [1_262_304_000, 1_262_307_600])
    }

    @Test func aLaterCellInAnotherFormatIsAnErrorQuotingIt() async throws {
        let csv = "when,temp\n1/2/2010 0:00,1\n13/2/2010 0:00,2\n"        // detected month first; 13 fails
        let e = try #require(await csvError(csv, CSVReadOptions(source: "h.csv", time: .column("when", format: nil))))
        #expect(e.location?.line == 3)
        #expect(e.value == "13/2/2010 0:00")
        #expect(e.message.contains("M/d/yyyy H:mm"))
        #expect(e.hint?.contains("timeseries.time.format") == true)
    }

    @Test func aColumnThatIsNoTimestampIsAnError() async throws {
        let csv = "when,temp\nyesterday,1\n"
        let e = try #require(await csvError(csv, CSVReadOptions(source: "h.csv", time: .column("when", format: nil))))
        #expect(e.value == "yesterday")
        #expect(e.location?.line == 2)
    }

    @Test func noTimeFoundMeansRowOrder() async throws {
        let csv = "a,b\n1,2\n3,4\n"
        let t = try await table(csv, CSVReadOptions(source: "r.csv", time: .auto))
        #expect(t.timestamps.isEmpty)
        #expect(t.timestampColumn == nil)
        #expect(t.columns == ["a", "b"])
    }

    @Test func jenaStillUsesDateTimeWhenAuto() async throws {
        let csv = "\"Date Time\",\"p (mbar)\"\n01.01.2017 00:00:00,996.5\n01.01.2017 00:10:00,996.25\n"
        let t = try await table(csv, CSVReadOptions(source: "j.csv", time: .auto))
        #expect(t.timestampFormat == "dd.MM.yyyy HH:mm:ss")
        #expect(t.timestamps == [1_483_228_800, 1_483_229_400])
    }
}
