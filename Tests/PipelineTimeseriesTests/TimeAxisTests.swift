import PipelineCore
import Testing
@testable import PipelineTimeseries

@Suite struct TimeAxisTests {
    let t0: Int64 = 1_483_228_800                       // 2017-01-01 00:00:00 UTC

    @Test func regularAxisPassesUnchanged() throws {
        var axis = TimeAxisChecker(step: 600, policy: .error)
        let c = timedChunk([t0, t0 + 600, t0 + 1200])
        #expect(try axis.push(c) == c)
    }

    @Test func gapFailsWithLineColumnAndBothTimestamps() {
        var axis = TimeAxisChecker(step: 600, policy: .error)
        do { _ = try axis.push(timedChunk([t0, t0 + 600, t0 + 2400])); Issue.record("no error") } catch let e as InputError {
            #expect(e.location == SourceLocation(file: "t.csv", line: 4, column: 1))
            #expect(e.field == "Date Time")
            #expect(e.value == "2017-01-01 00:40:00")
            #expect(e.message == "gap in the time axis: 2 row(s) missing (previous: 2017-01-01 00:10:00 on line 3)")
        } catch { Issue.record("\(error)") }
    }

    @Test func backwardsAndDuplicatesFail() {
        var axis = TimeAxisChecker(step: 600, policy: .error)
        #expect(throws: InputError.self) { try axis.push(timedChunk([t0, t0 + 600, t0])) }
        var dup = TimeAxisChecker(step: 600, policy: .error)
        do { _ = try dup.push(timedChunk([t0, t0])) } catch let e as InputError {
            #expect(e.message.hasPrefix("duplicate timestamp"))
            #expect(e.location?.line == 3)
        } catch {}
    }

    @Test func fillInsertsNaNRowsAndDropsBackwardRows() throws {
        var axis = TimeAxisChecker(step: 600, policy: .fill)
        let out = try axis.push(timedChunk([t0, t0 + 1800, t0 + 1800, t0 + 1200, t0 + 2400], values: [1, 4, 9, 9, 5]))
        #expect(out.timestamps == [t0, t0 + 600, t0 + 1200, t0 + 1800, t0 + 2400])
        #expect(out.lines == [2, 0, 0, 3, 6])
        #expect(out.values[1].isNaN && out.values[2].isNaN && out.values[3] == 4 && out.values[4] == 5)
        #expect(out.counts.gaps == 1 && out.counts.rowsInserted == 2 && out.counts.rowsDroppedTime == 2)
        // then interpolate
        var filler = MissingValueFiller(policy: .interpolate)
        let filled = try filler.push(out)
        let rest = try filler.finish()
        #expect((filled?.values ?? []) + (rest?.values ?? []) == [1, 2, 3, 4, 5])
    }

    @Test func dropKeepsGapsAndDropsDuplicates() throws {
        var axis = TimeAxisChecker(step: 600, policy: .drop)
        let out = try axis.push(timedChunk([t0, t0, t0 + 1800, t0 + 2100]))
        #expect(out.timestamps == [t0, t0 + 1800])
        #expect(out.counts.gaps == 1 && out.counts.rowsDroppedTime == 2)
    }

    @Test func stateCarriesAcrossChunks() throws {
        var axis = TimeAxisChecker(step: 600, policy: .fill)
        _ = try axis.push(timedChunk([t0, t0 + 600]))
        let second = try axis.push(timedChunk([t0 + 1800]))
        #expect(second.timestamps == [t0 + 1200, t0 + 1800])
    }

    @Test func formatsUTC() {
        #expect(TimeAxisChecker.format(0) == "1970-01-01 00:00:00")
        #expect(TimeAxisChecker.format(951_782_400) == "2000-02-29 00:00:00")
        #expect(TimeAxisChecker.format(-1) == "1969-12-31 23:59:59")
    }
}
