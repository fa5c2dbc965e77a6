import Testing
import Foundation
import PipelineCore
@testable import PipelineRun

/// One writer per output folder (OutputFolder+Lock.swift).
@Suite struct OutputFolderLockTests {
    @Test func aSecondLockOnTheSameFolderFailsUntilTheFirstIsReleased() throws {
        let dir = NSTemporaryDirectory() + "lock-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try OutputFolder.Lock(dir)
        #expect(first.isHeld)
        // flock locks belong to an open file description: a second open, even in this process, conflicts.
        let error = #expect(throws: IOFailure.self) { _ = try OutputFolder.Lock(dir) }
        #expect("\(error!)".contains("another pipeline process is writing this folder") && "\(error!)".contains(dir))
        first.release()
        let again = try OutputFolder.Lock(dir)
        #expect(again.isHeld)
        // Nothing was added to the folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func aMissingFolderIsNotLocked() throws {
        let lock = try OutputFolder.Lock(NSTemporaryDirectory() + "absent-\(UUID().uuidString)")
        #expect(!lock.isHeld)
    }
}
