import Dispatch

/// Runs an async body to completion from libFuzzer's synchronous callback. Errors are the
/// readers' normal answer to bad input and are ignored; crashes, traps and sanitizer reports
/// are what the fuzzer looks for.
public func runBlocking(_ body: @escaping @Sendable () async throws -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        _ = try? await body()
        done.signal()
    }
    done.wait()
}

/// The input split into up to three chunks at positions taken from its first two bytes, so
/// the readers' chunk-boundary code (a record or an entry cut between two chunks) is fuzzed too.
public func fuzzChunks(_ bytes: [UInt8]) -> [[UInt8]] {
    guard bytes.count > 2 else { return bytes.isEmpty ? [] : [bytes] }
    let body = Array(bytes.dropFirst(2))
    let a = Int(bytes[0]) % (body.count + 1), b = Int(bytes[1]) % (body.count + 1)
    let (lo, hi) = (min(a, b), max(a, b))
    return [Array(body[..<lo]), Array(body[lo..<hi]), Array(body[hi...])].filter { !$0.isEmpty }
}

/// A finite async sequence over prepared byte chunks (the shape every byte stage consumes).
public struct ChunkSequence: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let chunks: [[UInt8]]
    public init(_ chunks: [[UInt8]]) { self.chunks = chunks }
    public struct Iterator: AsyncIteratorProtocol {
        var rest: ArraySlice<[UInt8]>
        public mutating func next() async throws -> [UInt8]? { rest.popFirst() }
    }
    public func makeAsyncIterator() -> Iterator { Iterator(rest: chunks[...]) }
}

/// Copies libFuzzer's input into an array.
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}
