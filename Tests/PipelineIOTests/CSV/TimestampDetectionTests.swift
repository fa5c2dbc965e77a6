import Foundation
import PipelineCore
import Testing
@testable import PipelineIO

/// The formats people meet (issue 15) and detecting them from a cell.
@Suite struct TimestampDetectionTests {
    /// Seconds since 1970 of a UTC wall-clock time, via Foundation (an independent reference).
    func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> Int64 {
        var c = DateComponents(); c.year = y; c.month = mo; c.day = d; c.hour = h; c.minute = mi; c.second = s
        var cal = Calendar(identifier: .gregorian); cal.timeZone = TimeZone(identifier: "UTC")!
        return Int64(cal.date(from: c)!.timeIntervalSince1970)
    }

    func parse(_ format: String, _ text: String) throws -> Int64? { try TimestampFormat(format).parse(Array(text.utf8)) }

    @Test func nonPaddedFieldsAndTwelveHourClocks() throws {
        #expect(try parse("yyyy/M/d H:mm", "2010/1/1 0:00") == utc(2010, 1, 1))
        #expect(try parse("yyyy/M/d H:mm", "2010/12/31 23:59") == utc(2010, 12, 31, 23, 59))
        #expect(try parse("M/d/yyyy h:mm a", "1/1/2010 12:30 AM") == utc(2010, 1, 1, 0, 30))
        #expect(try parse("M/d/yyyy h:mm a", "1/1/2010 12:30 pm") == utc(2010, 1, 1, 12, 30))
        #expect(try parse("M/d/yyyy h:mm a", "7/4/2010 9:05 PM") == utc(2010, 7, 4, 21, 5))
        #expect(try parse("M/d/yyyy h:mm a", "1/1/2010 13:30 PM") == nil)      // 13 is not a 12-hour hour
        #expect(try parse("M/d/yyyy h:mm a", "1/1/2010 0:30 AM") == nil)
        #expect(try parse("yyyy/M/d H:mm", "2010/1/1 0:0") == nil)             // mm is padded
        #expect(try parse("yyyyMMddHHmm", "201001020304") == utc(2010, 1, 2, 3, 4))
        #expect(try parse("yyyyMdHm", "201001020304") == utc(2010, 1, 2, 3, 4)) // adjacent fields take 2 digits
    }

    @Test func isoWithZonesAndFractions() throws {
        #expect(try parse("iso8601", "2024-03-31") == utc(2024, 3, 31))
        #expect(try parse("iso8601", "2024-03-31T02:10") == utc(2024, 3, 31, 2, 10))
        #expect(try parse("iso8601", "2024-03-31 02:10:07") == utc(2024, 3, 31, 2, 10, 7))
        #expect(try parse("iso8601", "2024-03-31T02:10:07.999Z") == utc(2024, 3, 31, 2, 10, 7))
        #expect(try parse("iso8601", "2024-03-31T02:10:00+01:00") == utc(2024, 3, 31, 1, 10))
        #expect(try parse("iso8601", "2024-03-31T02:10:00-0530") == utc(2024, 3, 31, 7, 40))
        #expect(try parse("iso8601", "2024-03-31T02:10:00+02") == utc(2024, 3, 31, 0, 10))
        #expect(try parse("iso8601", "2024-03-31T02:10:00+2") == nil)
        #expect(try parse("iso8601", "2024-3-31") == nil)
        #expect(try parse("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2024-01-01T00:00:00.250+01:00") == utc(2023, 12, 31, 23))
    }

    @Test func epochSecondsAndMilliseconds() throws {
        #expect(try parse("epoch_seconds", "1704067200") == utc(2024, 1, 1))
        #expect(try parse("epoch_seconds", "1704067200.75") == utc(2024, 1, 1))
        #expect(try parse("epoch_seconds", "-1.5") == -2)                      // rounded down, also before 1970
        #expect(try parse("epoch_milliseconds", "1704067200999") == utc(2024, 1, 1))
        #expect(try parse("epoch_milliseconds", "-1") == -1)
        #expect(try parse("epoch_milliseconds", "17040672.5") == nil)
        #expect(try parse("epoch_seconds", "12abc") == nil)
    }

    @Test func formatErrors() {
        #expect(throws: InputError.self) { try TimestampFormat("M/d/yyyy h:mm") }   // 12-hour without a
        #expect(throws: InputError.self) { try TimestampFormat("M/d/yyyy H:mm a") } // a without 12-hour
        #expect(throws: InputError.self) { try TimestampFormat("yy-MM-dd") }
    }

    @Test func detectsCommonLayouts() {
        let cases: [([String], String)] = [
            (["01.01.2009 00:10:00"], "dd.MM.yyyy HH:mm:ss"),
            (["2010/1/1 0:00", "2010/1/1 1:00"], "yyyy/M/d H:mm"),
            (["2024-03-31T02:10:00Z"], "iso8601"),
            (["2024-03-31 02:10"], "iso8601"),
            (["1/13/2010 1:00 PM"], "M/d/yyyy h:mm a"),
            (["13/1/2010 13:00"], "d/M/yyyy H:mm"),              // a day above 12: day first
            (["1704067200"], "epoch_seconds"),
            (["1704067200000"], "epoch_milliseconds"),
        ]
        for (samples, expected) in cases {
            #expect(TimestampFormat.detect(samples)?.pattern == expected, "\(samples)")
        }
        for notTime in [["NW"], ["2010"], ["996.52"], ["12"], [""], ["101325"]] {
            #expect(TimestampFormat.detect(notTime) == nil, "\(notTime)")
        }
    }
}
