extension AsyncSequence {
    /// Names a stage: any error its elements throw reaches the consumer as a
    /// ``StageError`` carrying `name` and the 0-based position of the element that failed.
    ///
    /// ```swift
    /// let rows = csvChunks.stage("csv").map(parse).stage("parse")
    /// // error → "stage 'parse', element 12: …"
    /// ```
    /// Errors already wrapped by an inner stage keep the innermost name and position.
    /// Cost: one counter per element.
    public func stage(_ name: String) -> AsyncStagedSequence<Self> {
        AsyncStagedSequence(base: self, name: name)
    }
}

/// An async sequence that labels its base's errors. See ``AsyncSequence/stage(_:)``.
public struct AsyncStagedSequence<Base: AsyncSequence>: AsyncSequence {
    public typealias Element = Base.Element
    let base: Base
    let name: String

    public struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let name: String
        /// How many elements have been produced so far.
        public private(set) var position = 0

        public mutating func next() async throws -> Base.Element? {
            do {
                let x = try await base.next()
                if x != nil { position += 1 }
                return x
            } catch let e as StageError {
                throw e
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw StageError(stage: name, position: position, underlying: error)
            }
        }
    }

    public func makeAsyncIterator() -> Iterator { Iterator(base: base.makeAsyncIterator(), name: name) }
}

extension AsyncStagedSequence: Sendable where Base: Sendable {}
