import Testing
import Foundation
@testable import PipelineCore

@Suite struct AtomicFileTests {
    func tempDir() throws -> String {
        let d = NSTemporaryDirectory() + "atomic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test func commitPublishesUnderFinalName() throws {
        let d = try tempDir()
        let f = try AtomicFile(path: d + "/out.bin")
        try f.write([1, 2, 3])
        #expect(!FileManager.default.fileExists(atPath: d + "/out.bin"))
        try f.commit()
        #expect(FileManager.default.contents(atPath: d + "/out.bin") == Data([1, 2, 3]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: d) == ["out.bin"])
    }

    @Test func abortLeavesNothing() throws {
        let d = try tempDir()
        do {
            let f = try AtomicFile(path: d + "/out.bin")
            try f.write([1, 2, 3])
            // dropped without commit
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: d).isEmpty)
    }

    @Test func failedRunKeepsPreviousFile() throws {
        let d = try tempDir()
        try AtomicFile.write("old", to: d + "/x.txt")
        let f = try AtomicFile(path: d + "/x.txt")
        try f.write("new but unfinished")
        f.abort()
        #expect(String(decoding: FileManager.default.contents(atPath: d + "/x.txt")!, as: UTF8.self) == "old")
    }

    @Test func missingDirectoryNamesThePath() throws {
        do {
            _ = try AtomicFile(path: "/nonexistent-dir-xyz/out.bin")
            Issue.record("expected an error")
        } catch let e as IOFailure {
            #expect(e.description.contains("/nonexistent-dir-xyz/out.bin"))
        }
    }
}
