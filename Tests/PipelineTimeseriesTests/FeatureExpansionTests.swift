import Foundation
import PipelineCore
import PipelineIO
import Testing
@testable import PipelineTimeseries

/// One-hot categories from the training rows and calendar features (issue 15).
@Suite struct FeatureExpansionTests {
    func table() -> TableChunk {
        // TEMP, cbwd (ids into levels NW, SE, cv, NE); hourly from 2010-01-01 00:00 UTC.
        var t = TableChunk(source: "b.csv", columns: ["TEMP", "cbwd"],
                           values: [1, 0, 2, 1, 3, 0, 4, 2, 5, 3, 6, .nan],
                           timestamps: (0..<6).map { 1_262_304_000 + Int64($0) * 3600 }, lines: Array(2...7))
        t.levels = [1: ["NW", "SE", "cv", "NE"]]
        return t
    }

    @Test func oneHotUsesTheTrainingRowsCategoriesSorted() throws {
        let x = try FeatureExpansion.fit(table(), categorical: ["cbwd"], calendar: [], trainRows: 0..<3)   // NW, SE only
        #expect(x.columns == ["TEMP", "cbwd=NW", "cbwd=SE"])
        #expect(x.identityColumns == [1, 2])
        let (v, unknown) = try x.apply(table())
        #expect(v == [1, 1, 0, 2, 0, 1, 3, 1, 0, 4, 0, 0, 5, 0, 0, 6, 0, 0])
        #expect(unknown == 3)                                    // cv and NE unseen in training, one missing
    }

    @Test func calendarFeaturesAreSineCosinePairs() throws {
        let x = try FeatureExpansion.fit(table(), categorical: [], calendar: [.hourOfDay, .dayOfWeek], trainRows: 0..<6)
        #expect(x.columns == ["TEMP", "cbwd", "hour_of_day_sin", "hour_of_day_cos", "day_of_week_sin", "day_of_week_cos"])
        let (v, _) = try x.apply(table())
        // 2010-01-01 was a Friday (day 4 from Monday); row 3 is 03:00.
        #expect(abs(v[3 * 6 + 2] - Float(sin(2 * Double.pi * 3 / 24))) < 1e-6)
        #expect(abs(v[3 * 6 + 3] - Float(cos(2 * Double.pi * 3 / 24))) < 1e-6)
        #expect(abs(v[0 * 6 + 4] - Float(sin(2 * Double.pi * 4 / 7))) < 1e-6)
        #expect(FeatureExpansion.phase(.dayOfYear, 1_262_304_000) == 0)
    }

    @Test func calendarWithoutTimeIsAnError() throws {
        var t = table(); t.timestamps = []
        #expect(throws: InputError.self) { try FeatureExpansion.fit(t, categorical: [], calendar: [.dayOfYear], trainRows: 0..<6) }
    }

    @Test func prepareWritesFeaturesAndLeavesOneHotsUnnormalised() async throws {
        var s = "year,month,day,hour,No,TEMP,cbwd\n"
        let dirs = ["NW", "SE", "cv", "NE"]
        for h in 0..<240 { s += "2010,1,\(1 + h / 24),\(h % 24),\(h + 1),\(Double(h % 24) - 5),\(dirs[h % 4])\n" }
        let path = try temporaryDirectory() + "/b.csv"
        try s.write(toFile: path, atomically: true, encoding: .utf8)
        let csv = CSVReadOptions(source: "b.csv", missing: .keep, time: .auto, columns: ["TEMP", "cbwd"], categorical: ["cbwd"])
        var o = smallWindows(); o.timeStep = .auto
        o.targetColumn = "TEMP"; o.categorical = ["cbwd"]; o.calendar = [.hourOfDay]
        o.lookback = 24; o.step = 1; o.delay = 6; o.batchSize = 4
        o.ranges = WindowRanges(train: .init(minIndex: 0, maxIndex: 120), validation: .init(minIndex: 121, maxIndex: 180),
                                test: .init(minIndex: 181, maxIndex: nil))
        let dir = try temporaryDirectory()
        let meta = try await WeatherPreparation.prepare(CSVFile.bytes(path: path).csvTable(csv), options: o, to: dir)
        #expect(meta.columns == ["TEMP", "cbwd=NE", "cbwd=NW", "cbwd=SE", "cbwd=cv", "hour_of_day_sin", "hour_of_day_cos"])
        #expect(meta.features == 7 && meta.unknownCategories == 0)
        #expect(meta.timeColumn == "year+month+day+hour" && meta.timeStepSeconds == 3600)
        let x = try #require(try FeatureExpansion.load(directory: dir))
        #expect(x.columns == meta.columns)
        let n = try Normalizer.load(from: dir + "/normalization.json")
        #expect(n.mean[1...] == [0, 0, 0, 0, 0, 0] && n.std[1...] == [1, 1, 1, 1, 1, 1])
        #expect(n.std[0] > 1)
        let data = try NpyFile.read(dir + "/data.npy", as: Float.self)
        #expect(data.shape == [240, 7])
        #expect(data.values[0 * 7 + 2] == 1 && data.values[1 * 7 + 3] == 1)   // NW, then SE: one-hot, not normalised
    }
}
