import Benchmark
import PipelineCore

/// A 3-stage chain (map → filter → map) over 10^6 Floats, element by element versus in chunks
/// of 1,024: the cost of an async hop per element is what chunking removes.
struct Scalars: AsyncSequence, Sendable {
    let count: Int
    struct Iterator: AsyncIteratorProtocol {
        var i = 0
        let count: Int
        mutating func next() async -> Float? {
            guard i < count else { return nil }
            defer { i += 1 }
            return Float(i & 1023)
        }
    }
    func makeAsyncIterator() -> Iterator { Iterator(count: count) }
}

struct Chunks: AsyncSequence, Sendable {
    let count: Int
    let chunk: Int
    struct Iterator: AsyncIteratorProtocol {
        var i = 0
        let count: Int
        let chunk: Int
        mutating func next() async -> [Float]? {
            guard i < count else { return nil }
            let n = Swift.min(chunk, count - i)
            defer { i += n }
            return (0..<n).map { Float(($0 + i) & 1023) }
        }
    }
    func makeAsyncIterator() -> Iterator { Iterator(count: count, chunk: chunk) }
}

let elements = 1_000_000

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .peakMemoryResident],
                                           maxDuration: .seconds(5), maxIterations: 20)

    Benchmark("3-stage chain, 10^6 scalars, one per element",
              configuration: .init(scalingFactor: .mega)) { benchmark in
        var sum: Float = 0
        for try await x in Scalars(count: elements).map({ $0 * 2 }).filter({ $0 >= 0 }).map({ $0 + 1 }) { sum += x }
        blackHole(sum)
    }

    Benchmark("3-stage chain, 10^6 scalars, 1,024 per element",
              configuration: .init(scalingFactor: .mega)) { benchmark in
        var sum: Float = 0
        let s = Chunks(count: elements, chunk: 1024)
            .map { c in c.map { $0 * 2 } }
            .filter { !$0.isEmpty }
            .map { c in c.map { $0 + 1 } }
        for try await c in s { for x in c { sum += x } }
        blackHole(sum)
    }

    Benchmark("3-stage chain + prefetch(4), 10^6 scalars, 1,024 per element",
              configuration: .init(scalingFactor: .mega)) { benchmark in
        var sum: Float = 0
        let s = Chunks(count: elements, chunk: 1024)
            .map { c in c.map { $0 * 2 } }
            .batched(size: 1)
            .map { b in b[0].map { $0 + 1 } }
            .prefetched(4)
        for try await c in s { for x in c { sum += x } }
        blackHole(sum)
    }
}
