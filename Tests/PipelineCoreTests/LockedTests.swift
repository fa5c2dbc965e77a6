import Testing
import Dispatch
import PipelineCore

@Suite struct LockedTests {
    @Test func incrementsFromManyThreadsAreNotLost() {
        let counter = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<10_000 { counter.withLock { $0 += 1 } }
        }
        #expect(counter.withLock { $0 } == 80_000)
    }

    @Test func withLockReturnsAndRethrows() throws {
        struct Boom: Error {}
        let state = Locked([1, 2])
        #expect(state.withLock { s -> Int in s.append(3); return s.count } == 3)
        #expect(throws: Boom.self) { try state.withLock { _ in throw Boom() } }
        #expect(state.withLock { $0 } == [1, 2, 3])   // the lock was released after the throw
    }
}
