import Testing
@testable import PipelineCore

@Suite struct AsyncBatchedSequenceTests {
    @Test func keepsOrderAndYieldsRemainder() async throws {
        let out = try await ArraySequence(elements: Array(0..<10)).batched(size: 4).collect()
        #expect(out == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
    }

    @Test func dropsRemainderWhenAsked() async throws {
        let out = try await ArraySequence(elements: Array(0..<10)).batched(size: 4, dropRemainder: true).collect()
        #expect(out == [[0, 1, 2, 3], [4, 5, 6, 7]])
    }

    @Test func exactMultipleHasNoEmptyTail() async throws {
        let out = try await ArraySequence(elements: Array(0..<8)).batched(size: 4).collect()
        #expect(out.count == 2)
    }

    @Test func emptyBaseYieldsNothing() async throws {
        let out = try await ArraySequence(elements: [Int]()).batched(size: 3).collect()
        #expect(out.isEmpty)
    }

    @Test func errorsPassThrough() async throws {
        let s = ArraySequence(elements: Array(0..<10), failAt: 5).batched(size: 4)
        await #expect(throws: ArraySequence<Int>.Boom(index: 5)) { _ = try await s.collect() }
    }
}
