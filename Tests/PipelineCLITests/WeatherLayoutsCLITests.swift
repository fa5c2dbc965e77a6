import Foundation
import Testing

/// `pipeline` on weather layouts other than Jena's (issue 15): the time found without a key,
/// a local-time file with a daylight-saving gap, durations, categories, evaluation by split.
@Suite struct WeatherLayoutsCLITests {
    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "weather-layouts-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func spec(_ dir: String, _ body: String) throws -> String {
        let path = dir + "/spec.yaml"
        try body.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func yearMonthDayHourFileRunsWithOnlyTargetAndWindowKeys() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = try Self.spec(dir, """
            name: air-min
            source: {url: \(CLI.repoRoot)/fixtures/air-hourly.csv}
            timeseries:
              target: TEMP
              lookback: 5d
              step: 1h
              delay: 24h
              fractions: {train: 0.5, validation: 0.25}
            """)
        let r = try CLI.run(["prepare", spec, "--output", dir + "/out", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"features\": 8"))
        #expect(r.stdout.contains("\"columns\": [\"No\", \"pm2.5\", \"DEWP\", \"TEMP\", \"PRES\", \"Iws\", \"Is\", \"Ir\"]"))
        let text = try CLI.run(["prepare", spec, "--output", dir + "/out2"])
        #expect(text.stdout.contains("time: year+month+day+hour (columns, detected), step 1 h (detected)"), "\(text.stdout)")
        let windows = try String(contentsOfFile: dir + "/out/windows.json", encoding: .utf8)
        #expect(windows.contains("\"lookback\" : 120") && windows.contains("\"delay\" : 24") && windows.contains("\"step\" : 1"))
    }

    @Test func daylightSavingGapIsNamedAndFillRepairsIt() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = try Self.spec(dir, """
            name: dst
            source: {url: \(CLI.repoRoot)/fixtures/temp-hourly-dst.csv}
            timeseries:
              target: "Temperature (degC)"
              lookback: 2d
              step: 1h
              delay: 12h
              fractions: {train: 0.5, validation: 0.25}
            """)
        let strict = try CLI.run(["prepare", spec, "--output", dir + "/a"])
        #expect(strict.code == 1)
        #expect(strict.stderr.contains("temp-hourly-dst.csv:652:1: Datetime: a daylight-saving change (spring forward) in local time"),
                "\(strict.stderr)")
        let filled = try CLI.run(["prepare", spec, "--output", dir + "/b", "--set", "timeseries.time_axis=fill", "--json"])
        #expect(filled.code == 0, "\(filled.stderr)")
        #expect(filled.stdout.contains("\"rows_inserted\": 1"))
        #expect(filled.stdout.contains("\"target_unit\": \"°C\""))
        // An explicit step that the data contradicts is refused before any repair.
        let wrong = try CLI.run(["prepare", spec, "--output", dir + "/c", "--set", "timeseries.step_seconds=600",
                                 "--set", "timeseries.time_axis=fill"])
        #expect(wrong.code == 1 && wrong.stderr.contains("the time step disagrees with the data"), "\(wrong.stderr)")
    }

    @Test func fixturePipelineTrainsAndEvaluatesItsOwnTestSplit() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = dir + "/run"
        let r = try CLI.run(["run", "pipelines/fixtures/air-quality-gru.yaml", "--output", run, "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")
        let features = try String(contentsOfFile: run + "/data/features.json", encoding: .utf8)
        #expect(features.contains("\"cbwd=NW\""))
        let e = try CLI.run(["evaluate", run, "--split", "test", "--json"])
        #expect(e.code == 0, "\(e.stderr)")
        #expect(e.stdout.contains("\"split\": \"test\"") && e.stdout.contains("\"mae_celsius\"") && e.stdout.contains("\"baseline_mae\""))
        let both = try CLI.run(["evaluate", run, "--split", "test", "--source", "fixtures/air-hourly.csv"])
        #expect(both.code == 2)
        let onOtherFile = try CLI.run(["evaluate", run, "--source", "fixtures/air-hourly.csv", "--json"])
        #expect(onOtherFile.code == 0 && onOtherFile.stdout.contains("\"windows\""), "\(onOtherFile.stderr)")
        let predict = try CLI.run(["predict", run, "--csv", "fixtures/air-hourly.csv", "--json"])
        #expect(predict.code == 0 && predict.stdout.contains("\"forecast\""), "\(predict.stderr)")
    }
}
