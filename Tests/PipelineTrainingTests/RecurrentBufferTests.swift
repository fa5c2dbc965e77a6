import Testing
@testable import PipelineTraining

@Suite struct RecurrentBufferTests {
    @Test func growsOnlyWhenAskedForMore() {
        let b = RecurrentBuffer()
        let p = b.reserve(100)
        #expect(b.capacity >= 100)
        #expect(b.reserve(50) == p, "no reallocation for a smaller request")
        b.load([1, 2, 3])
        #expect(b.pointer[2] == 3)
        let z = b.zeroed(1_000)
        #expect(b.capacity >= 1_000 && (0..<1_000).allSatisfy { z[$0] == 0 })
    }
}
