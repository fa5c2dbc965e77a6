import PipelineCore
import Testing
@testable import PipelineTimeseries

struct Chunks: AsyncSequence, Sendable {
    typealias Element = TableChunk
    let chunks: [TableChunk]
    struct Iterator: AsyncIteratorProtocol {
        var rest: [TableChunk]
        mutating func next() async throws -> TableChunk? { rest.isEmpty ? nil : rest.removeFirst() }
    }
    func makeAsyncIterator() -> Iterator { Iterator(rest: chunks) }
}

@Suite struct AsyncTimeAxisSequenceTests {
    @Test func gapAcrossChunksIsFilledThenInterpolated() async throws {
        let t0: Int64 = 600_000
        var b = timedChunk([t0 + 2400, t0 + 3000], values: [40, 50]); b.lines = [4, 5]
        let source = Chunks(chunks: [timedChunk([t0, t0 + 600], values: [0, 10]), b])
        var values: [Float] = [], counts = TableCounts()
        for try await c in source.checkingTimeAxis(step: 600, policy: .fill).handlingMissing(.interpolate) {
            values += c.values; counts.add(c.counts)
        }
        #expect(values == [0, 10, 20, 30, 40, 50])
        #expect(counts.rowsInserted == 2 && counts.filledCells == 2 && counts.gaps == 1)
    }

    @Test func errorPolicyStopsTheStream() async {
        let source = Chunks(chunks: [timedChunk([0, 600]), timedChunk([600])])
        await #expect(throws: InputError.self) {
            for try await _ in source.checkingTimeAxis(step: 600, policy: .error) {}
        }
    }
}
