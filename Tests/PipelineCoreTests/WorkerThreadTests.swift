import Testing
import PipelineCore
#if canImport(Glibc)
import Glibc
#endif

@Suite struct WorkerThreadTests {
    /// Jobs run on the worker's own thread, their writes are visible after `wait`, and a caller
    /// can work at the same time (200 hand-overs).
    @Test func runsEachJobOnItsOwnThreadAndPublishesItsWrites() {
        let worker = WorkerThread(name: "test-worker")
        defer { worker.stop() }
        let caller = pthread_self()
        var sum = 0, sameThread = 0, mine = 0
        for i in 0..<200 {
            worker.submit {
                sum += i
                if pthread_equal(pthread_self(), caller) != 0 { sameThread += 1 }
            }
            mine += i
            worker.wait()
        }
        #expect(sum == mine)
        #expect(sameThread == 0)
        worker.wait()                                   // nothing pending: returns at once
    }

    /// `stop` ends the thread, which then releases the worker.
    @Test func stopReleasesTheWorker() async throws {
        weak var weakWorker: WorkerThread?
        do {
            let worker = WorkerThread(name: "test-stop")
            weakWorker = worker
            var ran = false
            worker.submit { ran = true }
            worker.stop()                               // waits for the job first
            #expect(ran)
        }
        for _ in 0..<200 where weakWorker != nil { try await Task.sleep(for: .milliseconds(5)) }
        #expect(weakWorker == nil)
    }
}
