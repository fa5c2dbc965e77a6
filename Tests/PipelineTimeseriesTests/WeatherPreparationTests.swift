import Foundation
import PipelineCore
import PipelineIO
import Testing
@testable import PipelineTimeseries

// Integration tests: they read CSVs with PipelineIO (the test target depends on it).

/// CSV text written to a temporary file, read back as table chunks of `chunkRows` rows.
func csvChunks(_ text: String, name: String = "t.csv", chunkRows: Int = 4096,
               missing: MissingValuePolicy = .keep) throws -> AsyncCSVTableSequence<CSVFileBytes> {
    let path = try temporaryDirectory() + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    var o = CSVReadOptions.jena(source: name)
    o.chunkRows = chunkRows; o.missing = missing
    return CSVFile.bytes(path: path, chunkSize: 7).csvTable(o)
}

@Suite struct WeatherPreparationTests {
    @Test(.requiresSharedData(sharedData("jena-climate-2016-last1000.csv")))
    func preparesJenaLast1000() async throws {
        let path = sharedData("jena-climate-2016-last1000.csv")
        var csv = CSVReadOptions.jena(source: "jena-climate-2016-last1000.csv"); csv.missing = .keep
        var o = WeatherPreparation.Options()
        o.lookback = 60; o.step = 6; o.delay = 12; o.batchSize = 16; o.stepsPerEpoch = 20
        o.ranges = .fractions(train: 0.5, validation: 0.25, rows: 1000)
        let dir = try temporaryDirectory()
        let meta = try await WeatherPreparation.prepare(CSVFile.bytes(path: path).csvTable(csv), options: o, to: dir)
        #expect(meta.rows == 1000 && meta.features == 14 && meta.columns[1] == "T (degC)")
        let raw = try await CSVFile.read(path: path, options: csv)
        let (shape, data): ([Int], [Float]) = try NpyFile.read(dir + "/data.npy")
        #expect(shape == [1000, 14])
        let norm = try Normalizer.load(from: dir + "/normalization.json")
        #expect(norm == Normalizer.fit(raw.values, columns: raw.columns, rows: 0..<500))
        var expected = raw.values
        norm.apply(to: &expected)
        #expect(data == expected)
        let (tshape, ts): ([Int], [Int64]) = try NpyFile.read(dir + "/timestamps.npy")
        #expect(tshape == [1000] && ts == raw.timestamps)
        let windows = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/windows.json"))) as! [String: Any]
        #expect(windows["validation_steps"] as? Int == (750 - 501 - 60) / 16)
        #expect(windows["target_column"] as? String == "T (degC)")
        #expect(FileManager.default.fileExists(atPath: dir + "/meta.json"))
        #expect(abs(meta.baselineMAECelsius - meta.baselineMAE * norm.std[1]) < 1e-12)
    }

    @Test(.requiresSharedData(sharedData("mpi-roof-2024.csv")))
    func preparesMpiRoofWithInterpolation() async throws {
        let path = sharedData("mpi-roof-2024.csv")
        var csv = CSVReadOptions.jena(source: "mpi-roof-2024.csv"); csv.missing = .keep
        var o = WeatherPreparation.Options()
        o.ranges = .fractions(train: 0.6, validation: 0.2, rows: 19_132)
        o.missing = .interpolate
        let meta = try await WeatherPreparation.prepare(CSVFile.bytes(path: path).csvTable(csv), options: o,
                                                        to: try temporaryDirectory())
        #expect(meta.rows == 19_132 && meta.features == 21)
        #expect(meta.counts.missingCells == 18 && meta.counts.filledCells == 18)
        #expect(meta.counts.gaps == 0)
    }

    @Test func gapInACSVFailsOrIsFilled() async throws {
        let text = "Date Time,x\n01.01.2017 00:00:00,1\n01.01.2017 00:10:00,2\n01.01.2017 00:40:00,5\n01.01.2017 00:50:00,6\n"
        var o = WeatherPreparation.Options()
        o.targetColumn = "x"; o.lookback = 1; o.step = 1; o.delay = 1; o.batchSize = 1
        o.ranges = WindowRanges(train: .init(minIndex: 0, maxIndex: 3), validation: .init(minIndex: 0, maxIndex: 3),
                                test: .init(minIndex: 0, maxIndex: nil))
        do {
            _ = try await WeatherPreparation.prepare(try csvChunks(text, name: "gap.csv"), options: o, to: try temporaryDirectory())
            Issue.record("no error")
        } catch let e as InputError {
            #expect(e.location == SourceLocation(file: "gap.csv", line: 4, column: 1))
        }
        o.timePolicy = .fill; o.maxRepairedFraction = 1      // 2 rows of 4 inserted: far above the 1 % default
        let dir = try temporaryDirectory()
        let meta = try await WeatherPreparation.prepare(try csvChunks(text, name: "gap.csv", chunkRows: 2), options: o, to: dir)
        #expect(meta.rows == 6 && meta.counts.rowsInserted == 2 && meta.counts.filledCells == 2)
        let norm = try Normalizer.load(from: dir + "/normalization.json")
        let (_, data): ([Int], [Float]) = try NpyFile.read(dir + "/data.npy")
        #expect(data.map { norm.denormalize(Double($0), column: 0) }.map { ($0 * 1000).rounded() / 1000 } == [1, 2, 3, 4, 5, 6])
    }

    @Test func backwardsTimestampsInACSVAreDropped() async throws {
        let text = "Date Time,x\n01.01.2017 00:00:00,1\n01.01.2017 00:10:00,2\n01.01.2017 00:00:00,9\n01.01.2017 00:20:00,3\n01.01.2017 00:30:00,4\n"
        var o = WeatherPreparation.Options()
        o.targetColumn = "x"; o.lookback = 1; o.step = 1; o.delay = 1; o.batchSize = 1; o.timePolicy = .drop
        o.maxRepairedFraction = 1                            // 1 row of 5 dropped: above the 1 % default
        o.ranges = WindowRanges(train: .init(minIndex: 0, maxIndex: 3), validation: .init(minIndex: 0, maxIndex: 3),
                                test: .init(minIndex: 0, maxIndex: nil))
        let meta = try await WeatherPreparation.prepare(try csvChunks(text), options: o, to: try temporaryDirectory())
        #expect(meta.rows == 4 && meta.counts.rowsDroppedTime == 1)
    }
}
