import Foundation
import PipelineCore
import Testing
@testable import PipelineTimeseries

@Suite struct BookGeneratorTests {
    func generator(_ c: Golden.BookCase, shuffle: Bool = false, seed: UInt64 = 0) throws -> BookGenerator {
        let p = c.params
        return try BookGenerator(data: indexMatrix(rows: c.rows, features: c.features), features: c.features,
                                 lookback: p.lookback, delay: p.delay, minIndex: p.min_index, maxIndex: p.max_index,
                                 shuffle: shuffle, batchSize: p.batch_size, step: p.step, targetColumn: 1, seed: seed)
    }

    @Test(arguments: Golden.shared.book.map(\.name))
    func sequentialMatchesTheNumPyGenerator(_ name: String) throws {
        let c = Golden.shared.book.first { $0.name == name }!
        var g = try generator(c)
        for (k, golden) in c.batches.enumerated() {
            var rowsProbe = g
            #expect(rowsProbe.nextRows() == golden.rows, "batch \(k)")
            let b = g.next()
            #expect(b.xShape == golden.shape)
            #expect(mismatches(b.x, golden.x) == nil, "batch \(k)")
            #expect(b.y == golden.y, "batch \(k)")
        }
    }

    @Test func shuffledRowsAreInRangeUniformAndDeterministic() throws {
        let c = Golden.shared.book[0]
        var g = try generator(c, shuffle: true, seed: 9)
        var again = try generator(c, shuffle: true, seed: 9)
        let low = c.params.min_index + c.params.lookback, high = c.params.max_index!
        var histogram = [Int](repeating: 0, count: high - low)
        for _ in 0..<2_000 {
            let rows = g.nextRows()
            #expect(rows == again.nextRows())
            #expect(rows.count == c.params.batch_size)
            for r in rows { #expect(r >= low && r < high); histogram[r - low] += 1 }
        }
        let expected = Double(2_000 * c.params.batch_size) / Double(high - low)
        let chi2 = histogram.reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
        #expect(chi2 < Double(high - low) * 1.5, "chi-square \(chi2) for \(high - low) bins")
        var other = try generator(c, shuffle: true, seed: 10)
        #expect(other.nextRows() != (try generator(c, shuffle: true, seed: 9)).nextRowsCopy())
    }

    @Test func epochsAreSeededAndSequentialEpochsContinue() async throws {
        let c = Golden.shared.book[0]
        let shuffled = try generator(c, shuffle: true, seed: 1)
        var e0: [Batch] = [], e0b: [Batch] = [], e1: [Batch] = []
        for try await b in shuffled.batches(epoch: 0, steps: 3) { e0.append(b) }
        for try await b in shuffled.batches(epoch: 0, steps: 3) { e0b.append(b) }
        for try await b in shuffled.batches(epoch: 1, steps: 3) { e1.append(b) }
        #expect(e0 == e0b && e0 != e1 && e0.count == 3)
        // sequential: epoch 1 of 4 steps continues where a single generator would be after 4 batches
        let seq = try generator(c)
        var single = seq
        for _ in 0..<4 { _ = single.next() }
        var firstOfEpoch1: Batch?
        for try await b in seq.batches(epoch: 1, steps: 4) { firstOfEpoch1 = b; break }
        #expect(firstOfEpoch1 == single.next())
    }

    @Test func bookStepCounts() throws {
        let data = [Float](repeating: 0, count: 420_551 * 2)
        let val = try BookGenerator(data: data, features: 2, lookback: 1440, delay: 144, minIndex: 200_001,
                                    maxIndex: 300_000, targetColumn: 1)
        #expect(val.stepsPerPass == (300_000 - 200_001 - 1440) / 128)
        let test = try BookGenerator(data: data, features: 2, lookback: 1440, delay: 144, minIndex: 300_001,
                                     maxIndex: nil, targetColumn: 1)
        #expect(test.maxIndex == 420_551 - 144 - 1)
        #expect(test.stepsPerPass == (420_551 - 144 - 1 - 300_001 - 1440) / 128)
    }

    @Test func invalidRangesFail() {
        let data = [Float](repeating: 0, count: 100 * 2)
        #expect(throws: InputError.self) { try BookGenerator(data: data, features: 2, lookback: 10, delay: 1, minIndex: 0, maxIndex: 50, step: 3, targetColumn: 1) }
        #expect(throws: InputError.self) { try BookGenerator(data: data, features: 2, lookback: 60, delay: 1, minIndex: 0, maxIndex: 50, step: 6, targetColumn: 1) }
        #expect(throws: InputError.self) { try BookGenerator(data: data, features: 2, lookback: 6, delay: 10, minIndex: 0, maxIndex: 95, step: 6, targetColumn: 1) }
        #expect(throws: InputError.self) { try BookGenerator(data: data, features: 2, lookback: 6, delay: 1, minIndex: 0, maxIndex: 50, step: 6, targetColumn: 2) }
    }
}

extension BookGenerator {
    func nextRowsCopy() -> [Int] { var g = self; return g.nextRows() }
}
