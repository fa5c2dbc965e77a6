import Testing
import PipelineCore
import PipelineTimeseries
@testable import PipelineSpec

/// `timeseries:` the weather path's reading, missing values, windows and row ranges. The time
/// axis keys (`time`, `step_seconds`, durations) are in TimeseriesSpecTimeTests.
@Suite struct TimeseriesSpecTests {
    static let cases: [InvalidSpec] = [
        InvalidSpec(label: "timeseries step longer than lookback", yaml: "source: {url: x.csv}\ntimeseries: {lookback: 4, step: 6}\n",
                    expected: ["bad.yaml:2:", "timeseries.step", "must be <= lookback (4)"]),
        InvalidSpec(label: "overlapping ranges", yaml: "source: {url: x.csv}\ntimeseries: {ranges: {train: [0, 100], validation: [50, 200]}}\n",
                    expected: ["timeseries.ranges.validation", "must start after the train range ends (100)"]),
        InvalidSpec(label: "ranges and fractions", yaml: "source: {url: x.csv}\ntimeseries: {ranges: {train: [0, 9], validation: [10, 19]}, fractions: {train: 0.5, validation: 0.2}}\n",
                    expected: ["timeseries.fractions", "not both"]),
        InvalidSpec(label: "fractions over 1", yaml: "source: {url: x.csv}\ntimeseries: {ranges: null, fractions: {train: 0.8, validation: 0.3}}\n",
                    expected: ["timeseries.fractions.validation", "train + validation must be <= 1"]),
        InvalidSpec(label: "range ends before it starts", yaml: "source: {url: x.csv}\ntimeseries: {ranges: {train: [10, 5], validation: [11, 20]}}\n",
                    expected: ["timeseries.ranges.train", "last_row must be >= first_row"]),
        InvalidSpec(label: "two-character delimiter", yaml: "source: {url: x.csv}\ntimeseries: {delimiter: ';;'}\n",
                    expected: ["timeseries.delimiter", "single character"]),
    ]

    @Test(arguments: cases)
    func invalidSeriesIsRejectedWithPlace(_ c: InvalidSpec) { expectRejected(c) }

    @Test func timeseriesRangesResolve() throws {
        let s = try PipelineSpec.load(path: repoRoot + "/pipelines/jena-gru.yaml")
        let r = s.timeseries!.ranges.resolve(rows: 420_551)
        #expect(r.train == 0...200_000 && r.validation == 200_001...300_000 && r.test == 300_001...420_550)
        #expect(s.inputShape() == [240, 14])
        let f = try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/jena-gru.yaml").timeseries!.ranges.resolve(rows: 4000)
        #expect(f.train == 0...1999 && f.validation == 2000...2999 && f.test == 3000...3999)
    }

    /// Inclusive bounds; an open or too-long end stops at the last row; fractions that leave no
    /// test rows give no test range.
    @Test func rangesResolveAgainstTheFile() {
        typealias R = TimeseriesSpec.RowRange
        let rows = TimeseriesSpec.Ranges.rows(train: R(start: 0, end: 4), validation: R(start: 5, end: 50), test: R(start: 20, end: nil))
        let small = rows.resolve(rows: 30)
        #expect(small.train == 0...4 && small.validation == 5...29 && small.test == 20...29)
        let fr = TimeseriesSpec.Ranges.fractions(train: 0.5, validation: 0.3).resolve(rows: 10)
        #expect(fr.train == 0...4 && fr.validation == 5...7 && fr.test == 8...9)
        let noTest = TimeseriesSpec.Ranges.fractions(train: 0.5, validation: 0.5).resolve(rows: 10)
        #expect(noTest.validation == 5...9 && noTest.test == nil)
    }

    /// A spec written for Jena's 420551 rows used on a shorter file: the ranges past the end
    /// hold no row (nil) instead of trapping on `start...end` with start > end.
    @Test func rangesStartingPastTheEndDoNotTrap() {
        typealias R = TimeseriesSpec.RowRange
        let r = TimeseriesSpec.Ranges.rows(train: R(start: 0, end: 9), validation: R(start: 10, end: 19), test: R(start: 300, end: nil)).resolve(rows: 30)
        #expect(r.train == 0...9 && r.validation == 10...19 && r.test == nil)
        #expect(TimeseriesSpec.Ranges.fractions(train: 0.1, validation: 0.1).resolve(rows: 3).train == nil)
    }

    @Test func timeseriesOptionsAreTheEngineTypes() throws {
        let series = try PipelineSpec.parse(minimalSeries.replacingOccurrences(of: "delay: 3}", with: "delay: 3, missing: fill_previous, time_axis: drop}"),
                                            file: "w.yaml")
        guard case .timeseries(let s) = series.task else { Issue.record("not a timeseries task"); return }
        #expect(s.missing == MissingValuePolicy.fillPrevious && s.timeAxis == TimeAxisPolicy.drop)
        #expect(series.task.name == "timeseries" && series.text == nil)
    }

    /// The book's windows and the defaults of a bare section: Jena's column, 10 days back, one
    /// row an hour, 24 hours ahead; missing values interpolated, a gap in time an error.
    @Test func defaultsAreTheBooks() throws {
        let t = try #require(try PipelineSpec.parse("source: {url: x.csv}\ntimeseries: {}\n", file: "w.yaml").timeseries)
        #expect(t.target == "T (degC)" && t.lookback == 1440 && t.step == 6 && t.delay == 144)
        #expect(t.missing == .interpolate && t.timeAxis == .error && t.delimiter == "," && t.maxLineBytes == 1 << 20)
        let again = try #require(try PipelineSpec.parse(try PipelineSpec.parse(minimalSeries, file: "w.yaml").yaml, file: "w.yaml").timeseries)
        #expect(again.lookback == 12 && again.step == 2 && again.delay == 3)
    }
}
