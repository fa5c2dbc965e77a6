import Testing
import PipelineCore
@testable import PipelineIO

/// HandoffQueue.swift: whether a queue was cancelled, asked by the archive thread
/// (ArchiveWorker's read callback, after a pop returned the end) while the async side cancels
/// the queue (ArchiveSession's deinit when the consumer stops early).
@Suite struct HandoffQueueCancelTests {
    /// The reader keeps asking until it sees the cancel made on the other thread. The flag was
    /// once read without the queue's lock, a data race with `cancel()`: this test passes either
    /// way in a normal build, but ThreadSanitizer (`make tsan`) reported that read.
    @Test func cancelledIsReadUnderTheLockWhileAnotherThreadCancels() {
        let reader = WorkerThread(name: "handoff-reader")
        defer { reader.stop() }
        for _ in 0..<20 {
            let queue = HandoffQueue<Int>(capacity: 1)
            queue.finish()
            var ends = 0
            reader.submit {
                if case .end = queue.popBlocking() { ends += 1 }
                while !queue.isCancelled {}
            }
            queue.cancel()
            reader.wait()
            #expect(ends == 1)
            #expect(queue.isCancelled)
        }
    }
}
