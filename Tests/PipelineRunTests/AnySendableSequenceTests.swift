import Testing
import PipelineCore
@testable import PipelineRun

/// The type-erased source sequence: same elements in order, errors passed through, and each
/// iterator a fresh pass over the base.
@Suite struct AnySendableSequenceTests {
    struct Boom: Error, Equatable {}

    /// Counts to `n`, then throws when `fails`.
    struct Counter: AsyncSequence, Sendable {
        let n: Int, fails: Bool
        struct Iterator: AsyncIteratorProtocol {
            var i = 0
            let n: Int, fails: Bool
            mutating func next() async throws -> [UInt8]? {
                guard i < n else { if fails { throw Boom() }; return nil }
                i += 1
                return [UInt8(i)]
            }
        }
        func makeAsyncIterator() -> Iterator { Iterator(n: n, fails: fails) }
    }

    @Test func passesElementsAndRestartsPerIterator() async throws {
        let s = AnyByteSequence(Counter(n: 3, fails: false))
        var first: [[UInt8]] = []
        for try await c in s { first.append(c) }
        var second: [[UInt8]] = []
        for try await c in s { second.append(c) }
        #expect(first == [[1], [2], [3]] && second == first)
    }

    @Test func errorsPassThroughAfterTheElements() async {
        var seen = 0
        await #expect(throws: Boom.self) {
            for try await _ in AnyByteSequence(Counter(n: 2, fails: true)) { seen += 1 }
        }
        #expect(seen == 2)
    }

    /// Operators compose on the erased type, as SourceOpener does for its progress count.
    @Test func composesWithOperators() async throws {
        var total = 0
        for try await c in AnyByteSequence(AnyByteSequence(Counter(n: 4, fails: false)).map { $0 + $0 }) { total += c.reduce(0) { $0 + Int($1) } }
        #expect(total == 2 * (1 + 2 + 3 + 4))
    }
}
