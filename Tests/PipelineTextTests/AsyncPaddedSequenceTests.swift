import Testing
@testable import PipelineText

@Suite struct AsyncPaddedSequenceTests {
    @Test func padsEachBatch() async throws {
        let batches: [[[Int32]]] = [[[1, 2, 3], [4]], [[5, 6]], []]
        var out: [PaddedSequences] = []
        for try await m in ArraySource(items: batches).padded(maxlen: 2, padding: .post, truncating: .pre) { out.append(m) }
        #expect(out.count == 3)
        #expect(out[0] == padSequences(batches[0], maxlen: 2, padding: .post))
        #expect(out[0].values == [2, 3, 4, 0])
        #expect(out[1].values == [5, 6])
        #expect(out[2].shape == [0, 2])
    }

    @Test func nilMaxlenIsPerBatch() async throws {
        var shapes: [[Int]] = []
        for try await m in ArraySource(items: [[[1, 2, 3]], [[1]]] as [[[Int32]]]).padded(maxlen: nil) { shapes.append(m.shape) }
        #expect(shapes == [[1, 3], [1, 1]])
    }
}
