import Foundation
import PipelineCore
import Testing
@testable import PipelineIO

@Suite struct TimestampFormatTests {
    @Test func parsesJenaTimestampsLikeFoundation() throws {
        let f = try TimestampFormat("dd.MM.yyyy HH:mm:ss")
        #expect(f.width == 19)
        let df = DateFormatter()
        df.dateFormat = "dd.MM.yyyy HH:mm:ss"
        df.timeZone = TimeZone(identifier: "UTC")
        df.locale = Locale(identifier: "en_US_POSIX")
        for s in ["01.01.1970 00:00:00", "29.02.2016 23:59:59", "01.01.2017 00:00:00", "09.06.2024 11:40:00",
                  "31.12.1899 12:00:00", "01.03.2100 00:10:00"] {
            #expect(f.parse(Array(s.utf8)) == Int64(df.date(from: s)!.timeIntervalSince1970), "\(s)")
        }
    }

    @Test func rejectsMismatchesAndImpossibleDates() throws {
        let f = try TimestampFormat("dd.MM.yyyy HH:mm:ss")
        for s in ["1.1.2017 00:00:00", "01-01-2017 00:00:00", "31.04.2017 00:00:00", "29.02.2017 00:00:00",
                  "01.13.2017 00:00:00", "01.01.2017 24:00:00", "01.01.2017 00:60:00", "0a.01.2017 00:00:00"] {
            #expect(f.parse(Array(s.utf8)) == nil, "\(s)")
        }
    }

    @Test func isoPatternAndUnknownTokens() throws {
        let iso = try TimestampFormat("yyyy-MM-dd'T'HH:mm:ss")
        #expect(iso.parse(Array("2017-01-01T00:00:00".utf8)) == 1_483_228_800)
        #expect(throws: InputError.self) { try TimestampFormat("dd.MM.yy") }
        #expect(throws: InputError.self) { try TimestampFormat("MMM dd") }
    }
}
