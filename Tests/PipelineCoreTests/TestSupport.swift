import PipelineCore

/// A finite async sequence over an array, for tests.
struct ArraySequence<Element: Sendable>: AsyncSequence, Sendable {
    let elements: [Element]
    var failAt: Int? = nil
    struct Boom: Error, Equatable { let index: Int }
    struct Iterator: AsyncIteratorProtocol {
        var i = 0
        let elements: [Element]
        let failAt: Int?
        mutating func next() async throws -> Element? {
            if let failAt, i == failAt { throw Boom(index: i) }
            guard i < elements.count else { return nil }
            defer { i += 1 }
            return elements[i]
        }
    }
    func makeAsyncIterator() -> Iterator { Iterator(elements: elements, failAt: failAt) }
}

extension AsyncSequence {
    func collect() async throws -> [Element] {
        var out: [Element] = []
        for try await x in self { out.append(x) }
        return out
    }
}
