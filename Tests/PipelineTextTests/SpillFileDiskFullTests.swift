import Foundation
import Testing
import PipelineCore
@testable import PipelineText
#if canImport(Glibc)
import Glibc
#endif

/// A full disk is reported as such, with the folder, not with a stale `errno` ("Success").
@Suite struct SpillFileDiskFullTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full (Linux)"))
    func aFullDeviceSaysNoSpaceLeftAndNamesTheFolder() throws {
        let fd = open("/dev/full", O_WRONLY)
        try #require(fd >= 0)
        let s = SpillFile(descriptor: fd, directory: "/data/out")
        do {
            try s.append([Int32](repeating: 7, count: 1 << 18))   // one buffer's worth: flushes
            try s.flush()
            Issue.record("a write to /dev/full succeeded")
        } catch let e as IOFailure {
            #expect(e.path == "/data/out")
            #expect(e.message == "cannot write temporary data: No space left on device", "\(e)")
            #expect(!e.description.contains("Success"))
        }
    }
}
