import Testing
import Synchronization
@testable import PipelineCore

/// An endless (or finite) counting source that records how many elements were pulled and
/// whether an iterator of it is still alive.
final class Probe: Sendable {
    let pulled = Atomic<Int>(0)
    let alive = Atomic<Int>(0)
}

struct CountingSource: AsyncSequence, Sendable {
    let probe: Probe
    var limit: Int = .max
    var failAt: Int? = nil
    struct Boom: Error {}
    final class Token: Sendable {
        let probe: Probe
        init(_ p: Probe) { probe = p; p.alive.add(1, ordering: .sequentiallyConsistent) }
        deinit { probe.alive.subtract(1, ordering: .sequentiallyConsistent) }
    }
    struct Iterator: AsyncIteratorProtocol {
        let token: Token
        let limit: Int
        let failAt: Int?
        var i = 0
        mutating func next() async throws -> Int? {
            if let failAt, i == failAt { throw Boom() }
            guard i < limit else { return nil }
            token.probe.pulled.add(1, ordering: .sequentiallyConsistent)
            defer { i += 1 }
            return i
        }
    }
    func makeAsyncIterator() -> Iterator { Iterator(token: Token(probe), limit: limit, failAt: failAt) }
}

@Suite struct AsyncPrefetchedSequenceTests {
    @Test func keepsOrder() async throws {
        let out = try await CountingSource(probe: Probe(), limit: 500).prefetched(3).collect()
        #expect(out == Array(0..<500))
    }

    @Test func neverMoreThanLimitAhead() async throws {
        let probe = Probe()
        var it = CountingSource(probe: probe, limit: 200).prefetched(4).makeAsyncIterator()
        var consumed = 0
        while let _ = try await it.next() {
            consumed += 1
            if consumed % 10 == 0 { try await Task.sleep(for: .milliseconds(2)) }  // let the producer run ahead
            let ahead = probe.pulled.load(ordering: .sequentiallyConsistent) - consumed
            #expect(ahead <= 4, "producer is \(ahead) elements ahead with limit 4")
        }
        #expect(consumed == 200)
    }

    @Test func producerDoesRunAhead() async throws {
        let probe = Probe()
        var it = CountingSource(probe: probe, limit: 100).prefetched(5).makeAsyncIterator()
        _ = try await it.next()
        for _ in 0..<200 where probe.pulled.load(ordering: .sequentiallyConsistent) < 6 {
            try await Task.sleep(for: .milliseconds(1))
        }
        #expect(probe.pulled.load(ordering: .sequentiallyConsistent) == 6)
    }

    @Test func cancellingTheConsumerStopsTheProducer() async throws {
        let probe = Probe()
        let consumer = Task {
            var n = 0
            for try await _ in CountingSource(probe: probe).prefetched(2) {
                n += 1
                try await Task.sleep(for: .milliseconds(1))
            }
            return n
        }
        try await Task.sleep(for: .milliseconds(30))
        consumer.cancel()
        _ = await consumer.result
        for _ in 0..<500 where probe.alive.load(ordering: .sequentiallyConsistent) > 0 {
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(probe.alive.load(ordering: .sequentiallyConsistent) == 0, "the producer's iterator is still alive")
        let pulled = probe.pulled.load(ordering: .sequentiallyConsistent)
        try await Task.sleep(for: .milliseconds(20))
        #expect(probe.pulled.load(ordering: .sequentiallyConsistent) == pulled, "the producer kept pulling")
    }

    @Test func droppingTheIteratorStopsTheProducer() async throws {
        let probe = Probe()
        do {
            var it = CountingSource(probe: probe).prefetched(2).makeAsyncIterator()
            _ = try await it.next()
        }
        for _ in 0..<500 where probe.alive.load(ordering: .sequentiallyConsistent) > 0 {
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(probe.alive.load(ordering: .sequentiallyConsistent) == 0)
    }

    /// The case `fit` hits with `steps_per_epoch` on an endless generator: the consumer stops
    /// while the producer is suspended on a full buffer. Both must be released.
    @Test func droppingTheIteratorWhileTheProducerWaitsForSpaceReleasesIt() async throws {
        let probe = Probe()
        do {
            var it = CountingSource(probe: probe).prefetched(2).makeAsyncIterator()
            _ = try await it.next()
            for _ in 0..<500 where probe.pulled.load(ordering: .sequentiallyConsistent) < 3 {
                try await Task.sleep(for: .milliseconds(1))
            }
            try await Task.sleep(for: .milliseconds(10))   // the producer is now parked on the full buffer
            #expect(probe.pulled.load(ordering: .sequentiallyConsistent) == 3)
        }
        for _ in 0..<500 where probe.alive.load(ordering: .sequentiallyConsistent) > 0 {
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(probe.alive.load(ordering: .sequentiallyConsistent) == 0, "the parked producer and its source leaked")
    }

    @Test func errorArrivesAfterEarlierElements() async throws {
        var it = CountingSource(probe: Probe(), failAt: 3).stage("source").prefetched(8).makeAsyncIterator()
        var got: [Int] = []
        do {
            while let x = try await it.next() { got.append(x) }
            Issue.record("expected an error")
        } catch let e as StageError {
            #expect(e.stage == "source" && e.position == 3)
        }
        #expect(got == [0, 1, 2])
    }
}
