import PipelineCore
import Testing
@testable import PipelineTimeseries

@Suite struct AsyncWindowBatchesTests {
    @Test func iteratingTwiceGivesTheSameBatchesAndSizes() async throws {
        let ds = try TimeseriesDataset(data: indexMatrix(rows: 100, features: 2), features: 2, sequenceLength: 4,
                                       batchSize: 30, shuffle: true, seed: 2)
        let seq = ds.batches(epoch: 5)
        var a: [Batch] = [], b: [Batch] = []
        for try await x in seq { a.append(x) }
        for try await x in seq { b.append(x) }
        #expect(a == b)
        #expect(a.map(\.size) == [30, 30, 30, 7])
        #expect(a.map(\.sampleOffset) == [0, 30, 60, 90])
    }
}
