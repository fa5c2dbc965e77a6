import Foundation
import PipelineCore
import PipelineIO
import Testing
@testable import PipelineTimeseries

/// Bad values anywhere in a weather CSV: an error naming file:line:column, and no file written.
@Suite struct WeatherPreparationSafetyTests {
    /// Rows 0–149 train, 151–224 validation, 226– test (fractions 0.5 / 0.25 of 300).
    @Test(arguments: [20, 180, 280])
    func anOverflowingCellInAnySplitIsAnErrorAndLeavesNothing(row: Int) async throws {
        let dir = try temporaryDirectory()
        do {
            _ = try await WeatherPreparation.prepare(try csvChunks(weatherCSV(rows: 300, cells: [row: "1e39"]), name: "w.csv"),
                                                     options: smallWindows(), to: dir)
            Issue.record("no error for row \(row)")
        } catch let e as InputError {
            #expect(e.location == SourceLocation(file: "w.csv", line: row + 2, column: 2))
            #expect(e.field == "x" && e.value == "1e39")
        }
        #expect(files(in: dir).isEmpty)
    }

    @Test func aValueThatNormalisationOverflowsIsAnErrorWithItsPlace() async throws {
        // The train rows are constant at -3e38 (std 0: divided by 1); 3e38 - (-3e38) overflows float32.
        var cells: [Int: String] = [:]
        for r in 0..<300 { cells[r] = "-3e38" }
        cells[250] = "3e38"
        let dir = try temporaryDirectory()
        do {
            _ = try await WeatherPreparation.prepare(try csvChunks(weatherCSV(rows: 300, cells: cells), name: "n.csv"),
                                                     options: smallWindows(), to: dir)
            Issue.record("no error")
        } catch let e as InputError {
            #expect(e.location == SourceLocation(file: "n.csv", line: 252, column: 2))
            #expect(e.field == "x")
            #expect(e.message.hasPrefix("value out of the range of float32 once normalised"))
        }
        #expect(files(in: dir).isEmpty)
    }

    @Test func dataShorterThanTheTrainRangeIsAnErrorNotATrap() async throws {
        var o = smallWindows()
        o.fractions = nil
        o.ranges = WindowRanges(train: .init(minIndex: 500, maxIndex: 600), validation: .init(minIndex: 601, maxIndex: 700),
                                test: .init(minIndex: 701, maxIndex: nil))
        let dir = try temporaryDirectory()
        do {
            _ = try await WeatherPreparation.prepare(try csvChunks(weatherCSV(rows: 50), name: "s.csv"), options: o, to: dir)
            Issue.record("no error")
        } catch let e as InputError {
            #expect(e.description.hasPrefix("s.csv: ranges: the train range (rows 500 to 600) holds no row of the 50 rows of the data"))
        }
        #expect(files(in: dir).isEmpty)
        // Long enough to train on, too short for the validation windows: the file is named (exit 1, not 2).
        o.ranges = .fractions(train: 0.5, validation: 0.25, rows: 50)
        o.lookback = 30; o.step = 1
        do {
            _ = try await WeatherPreparation.prepare(try csvChunks(weatherCSV(rows: 50), name: "s.csv"), options: o, to: dir)
            Issue.record("no error")
        } catch let e as InputError {
            #expect(e.location == SourceLocation(file: "s.csv"))
            #expect(e.message.hasPrefix("the validation windows do not fit the 50 rows of the data: min_index + lookback"))
        }
    }

    @Test func aFailedPreparationKeepsTheFilesOfAnEarlierOne() async throws {
        let dir = try temporaryDirectory()
        _ = try await WeatherPreparation.prepare(try csvChunks(weatherCSV(rows: 300)), options: smallWindows(), to: dir)
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/data.npy"))
        await #expect(throws: InputError.self) {
            _ = try await WeatherPreparation.prepare(try csvChunks(weatherCSV(rows: 300, cells: [299: "inf"])),
                                                     options: smallWindows(), to: dir)
        }
        #expect(files(in: dir) == ["data.npy", "meta.json", "normalization.json", "timestamps.npy", "windows.json"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/data.npy")) == before)
    }
}
