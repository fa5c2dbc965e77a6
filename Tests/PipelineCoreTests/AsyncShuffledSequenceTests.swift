import Testing
@testable import PipelineCore

@Suite struct AsyncShuffledSequenceTests {
    let input = Array(0..<1000)

    @Test func isAPermutation() async throws {
        let out = try await ArraySequence(elements: input).shuffled(bufferSize: 100, seed: 1).collect()
        #expect(out.sorted() == input)
        #expect(out != input)
    }

    @Test func reproducibleFromSeedAndEpoch() async throws {
        let a = try await ArraySequence(elements: input).shuffled(bufferSize: 64, seed: 3, epoch: 2).collect()
        let b = try await ArraySequence(elements: input).shuffled(bufferSize: 64, seed: 3, epoch: 2).collect()
        let c = try await ArraySequence(elements: input).shuffled(bufferSize: 64, seed: 3, epoch: 3).collect()
        let d = try await ArraySequence(elements: input).shuffled(bufferSize: 64, seed: 4, epoch: 2).collect()
        #expect(a == b)
        #expect(a != c)
        #expect(a != d)
    }

    @Test func bufferIsBounded() async throws {
        var it = ArraySequence(elements: input).shuffled(bufferSize: 16, seed: 1).makeAsyncIterator()
        var maxBuffered = 0
        var count = 0
        while let x = try await it.next() {
            // An element can move at most bufferSize-1 places earlier than its input position.
            #expect(x <= count + 16)
            maxBuffered = max(maxBuffered, it.buffered)
            count += 1
        }
        #expect(count == input.count)
        #expect(maxBuffered <= 16)
    }

    @Test func bufferLargerThanInputShufflesEverything() async throws {
        let out = try await ArraySequence(elements: Array(0..<10)).shuffled(bufferSize: 1000, seed: 9).collect()
        #expect(out.sorted() == Array(0..<10))
    }
}
