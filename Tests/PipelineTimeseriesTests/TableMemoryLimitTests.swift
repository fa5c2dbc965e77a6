import Foundation
import PipelineCore
import PipelineIO
import Testing
@testable import PipelineTimeseries

/// `timeseries.max_table_bytes`: the weather path holds the whole table in memory, so its size is
/// bounded (4 bytes per cell, 16 per row) and crossing the bound is an error at the row that crossed it.
@Suite struct TableMemoryLimitTests {
    @Test func memoryBytesCountsCellsTimestampsAndLines() async throws {
        let t = try await CSVFile.collect(try csvChunks(weatherCSV(rows: 10), name: "w.csv"))
        #expect(t.rowCount == 10)
        #expect(t.memoryBytes == 10 * 4 + 10 * 8 + 10 * 8)
    }

    @Test func aTableOverTheBoundIsRefusedAtTheRowThatCrossesIt() async throws {
        // 1 feature with timestamps: 20 bytes a row; 100 rows fit in 2,000 bytes, row 101 does not.
        do {
            _ = try await CSVFile.collect(try csvChunks(weatherCSV(rows: 300), name: "w.csv"), maxTableBytes: 2_000,
                                          limitKey: "timeseries.max_table_bytes")
            Issue.record("no error")
        } catch let e as InputError {
            #expect(e.location == SourceLocation(file: "w.csv", line: 102))      // header + 100 rows that fit
            #expect(e.field == "timeseries.max_table_bytes")
            #expect(e.message.contains("more than 2000 bytes"))
        }
        let fits = try await CSVFile.collect(try csvChunks(weatherCSV(rows: 100), name: "w.csv"), maxTableBytes: 2_000)
        #expect(fits.rowCount == 100)
    }

    @Test func prepareRefusesATableOverTheBoundAndWritesNothing() async throws {
        var o = smallWindows()
        o.maxTableBytes = 4_000
        let dir = try temporaryDirectory()
        do {
            _ = try await WeatherPreparation.prepare(try csvChunks(weatherCSV(rows: 300), name: "w.csv"), options: o, to: dir)
            Issue.record("no error")
        } catch let e as InputError {
            #expect(e.field == "timeseries.max_table_bytes")
            #expect(e.location?.line == 202)
        }
        #expect(files(in: dir).filter { !$0.hasPrefix(".") }.isEmpty)
        o.maxTableBytes = 6_000
        let meta = try await WeatherPreparation.prepare(try csvChunks(weatherCSV(rows: 300), name: "w.csv"), options: o, to: dir)
        #expect(meta.rows == 300)
    }
}
