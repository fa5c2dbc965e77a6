import PipelineCore
import Testing
@testable import PipelineTimeseries

@Suite struct NaiveBaselineTests {
    func generator(_ data: [Float]) throws -> BookGenerator {
        try BookGenerator(data: data, features: 2, lookback: 12, delay: 5, minIndex: 3, maxIndex: 150,
                          batchSize: 8, step: 4, targetColumn: 1)
    }

    @Test func bookVersionAveragesBatchMAEsOfTheGenerator() throws {
        var rng = SeededRandom(seed: 5)
        let data = (0..<400).map { _ in Float(rng.nextGaussian()) }
        var g = try generator(data)
        var probe = try generator(data)
        let steps = g.stepsPerPass
        var expected = 0.0
        for _ in 0..<steps {
            let b = probe.next()
            let t = b.xShape[1]
            let preds = (0..<b.size).map { b.x[($0 * t + t - 1) * 2 + 1] }        // samples[:, -1, 1]
            expected += zip(preds, b.y).map { Double(abs($0 - $1)) }.reduce(0, +) / Double(b.size)
        }
        #expect(abs(NaiveBaseline.bookMAE(&g, steps: steps) - expected / Double(steps)) < 1e-6)
    }

    @Test func allWindowsVersionVisitsEveryRowOnce() throws {
        let data = (0..<400).map { Float($0 % 7) }
        let g = try generator(data)
        let rows = 15..<150
        let expected = rows.map { Double(abs(data[($0 - 4) * 2 + 1] - data[($0 + 5) * 2 + 1])) }.reduce(0, +) / Double(rows.count)
        #expect(abs(NaiveBaseline.allWindowsMAE(g) - expected) < 1e-12)
    }
}
