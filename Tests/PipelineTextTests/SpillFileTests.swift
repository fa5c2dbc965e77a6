import Foundation
import Testing
@testable import PipelineText

@Suite struct SpillFileTests {
    @Test func appendsAndReadsBackAnywhere() throws {
        let dir = try TestSupport.temporaryDirectory()
        let s = try SpillFile(directory: dir)
        for i in 0..<600 { try s.append((i * 1000..<(i + 1) * 1000).map(Int32.init)) }
        try s.flush()
        #expect(s.count == 600_000)
        var out: [Int32] = []
        try s.read(offset: 262_140, count: 10, into: &out)
        #expect(Array(out[0..<10]) == (262_140..<262_150).map(Int32.init))
        try s.read(offset: 0, count: 0, into: &out)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)   // unlinked at once
    }

    @Test func unwritableDirectoryNamesIt() {
        #expect(throws: (any Error).self) { try SpillFile(directory: "/proc/definitely-not-here") }
    }
}
