import PipelineCore
import Testing
@testable import PipelineText

@Suite struct EncodedBatchSequenceTests {
    static let data = EncodedDataset(x: (0..<20).map(Int32.init), y: (0..<10).map { Int32($0 % 2) }, maxlen: 2)

    @Test func orderedBatchesCoverTheRange() async throws {
        let (train, val) = Split.lastFraction(count: 10, fraction: 0.2)
        var got: [Batch] = []
        for try await b in Self.data.batches(batchSize: 3, shuffle: false, range: train) { got.append(b) }
        #expect(got.map(\.xShape) == [[3, 2], [3, 2], [2, 2]])
        #expect(got.map(\.sampleOffset) == [0, 3, 6])
        #expect(got[0].x == [0, 1, 2, 3, 4, 5])
        #expect(got[0].y == [0, 1, 0] && got[0].yShape == [3, 1])
        var v: [Float] = []
        for try await b in Self.data.batches(batchSize: 8, shuffle: false, range: val) { v += b.y }
        #expect(v == [0, 1])
        var n = 0
        for try await _ in Self.data.batches(batchSize: 3, shuffle: false, dropRemainder: true) { n += 1 }
        #expect(n == 3)
    }

    @Test func shuffleIsAPermutationPerEpochAndResumable() async throws {
        let s0 = Self.data.batches(batchSize: 4, shuffle: true, seed: 5, epoch: 0)
        let s1 = Self.data.batches(batchSize: 4, shuffle: true, seed: 5, epoch: 1)
        #expect(s0.order.sorted() == Array(0..<10))
        #expect(s0.order == Self.data.batches(batchSize: 4, shuffle: true, seed: 5, epoch: 0).order)
        #expect(s0.order != s1.order)
        var rows: [Float] = []
        for try await b in s0 { rows += stride(from: 0, to: b.x.count, by: 2).map { b.x[$0] / 2 } }
        #expect(rows.map(Int.init) == s0.order)
        var it = s0.makeAsyncIterator()
        it.skip(batches: 2)
        let last = try await it.next()
        #expect(last?.sampleOffset == 8 && last?.size == 2)
        #expect(s0.batchCount == 3)
    }
}
