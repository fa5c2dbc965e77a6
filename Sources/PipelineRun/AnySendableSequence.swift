import PipelineCore
import PipelineSpec

/// A type-erased, `Sendable` async sequence, so a source can be a local file, a download, a
/// decompressor or a folder chosen at run time — without a task hop per element.
///
/// `AnySendableSequence(FileChunks(path: p))` and `AnySendableSequence(bytes.archiveEntries())`
/// have one type per element type. Cost: one virtual call per element.
public struct AnySendableSequence<Element: Sendable>: AsyncSequence, Sendable {
    let make: @Sendable () -> Iterator

    public init<S: AsyncSequence & Sendable>(_ base: S) where S.Element == Element {
        make = { Iterator(Box(base.makeAsyncIterator())) }
    }

    class AnyBox: @unchecked Sendable { func next() async throws -> Element? { nil } }

    final class Box<I: AsyncIteratorProtocol>: AnyBox, @unchecked Sendable where I.Element == Element {
        var it: I
        init(_ it: I) { self.it = it }
        override func next() async throws -> Element? { try await it.next() }
    }

    public struct Iterator: AsyncIteratorProtocol {
        let box: AnyBox
        init(_ box: AnyBox) { self.box = box }
        public mutating func next() async throws -> Element? { try await box.next() }
    }

    public func makeAsyncIterator() -> Iterator { make() }
}

/// Raw byte chunks of a source.
public typealias AnyByteSequence = AnySendableSequence<[UInt8]>
/// Files of an archive or folder.
public typealias AnyEntrySequence = AnySendableSequence<DataEntry>
