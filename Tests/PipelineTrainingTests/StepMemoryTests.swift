import Testing
@testable import PipelineTraining

@Suite struct StepMemoryTests {
    /// With the policy, a freed multi-megabyte block stays in the heap (glibc would otherwise
    /// serve it with mmap and unmap it on free, or trim it off the top of the heap).
    @Test func freedStepBuffersStayInTheHeap() throws {
        let free = try #require(StepMemory.heapFreeBytes, "not glibc: the policy is a no-op here")
        _ = free
        #expect(StepMemory.retainFreedMemory())
        let size = 8 << 20
        do {
            let block = UnsafeMutablePointer<Float>.allocate(capacity: size / 4)
            block.initialize(repeating: 1, count: size / 4)
            block.deallocate()
        }
        #expect(try #require(StepMemory.heapFreeBytes) >= size)
        // Once applied, asking for the process defaults changes nothing (documented).
        StepMemory.keepProcessDefaults()
        #expect(StepMemory.retainFreedMemory())
    }
}
