import PipelineCore

/// A type-erased, `Sendable` async sequence of byte chunks, so a source can be a local file,
/// a download or a decompressor chosen at run time without a task hop per chunk.
public struct AnyByteSequence: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let make: @Sendable () -> Iterator

    public init<S: AsyncSequence & Sendable>(_ base: S) where S.Element == [UInt8] {
        make = { Iterator(Box(base.makeAsyncIterator())) }
    }

    final class Box<I: AsyncIteratorProtocol>: AnyIteratorBox, @unchecked Sendable where I.Element == [UInt8] {
        var it: I
        init(_ it: I) { self.it = it }
        override func next() async throws -> [UInt8]? { try await it.next() }
    }

    class AnyIteratorBox: @unchecked Sendable {
        func next() async throws -> [UInt8]? { nil }
    }

    public struct Iterator: AsyncIteratorProtocol {
        let box: AnyIteratorBox
        init(_ box: AnyIteratorBox) { self.box = box }
        public mutating func next() async throws -> [UInt8]? { try await box.next() }
    }

    public func makeAsyncIterator() -> Iterator { make() }
}
