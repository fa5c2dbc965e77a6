import Testing
import Foundation
@testable import PipelineCore

/// WholeFile.swift: the one whole-file read, bounded.
@Suite struct WholeFileTests {
    @Test func readsEveryByteAcrossPieces() throws {
        let path = NSTemporaryDirectory() + "whole-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = (0..<200_001).map { UInt8(truncatingIfNeeded: $0 &* 31) }   // > three 64 KiB pieces
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try WholeFile.read(path) == bytes)
        #expect(try WholeFile.read(path, limit: bytes.count) == bytes)
    }

    @Test func tooLargeAndMissingFilesAreErrorsNamingThePath() throws {
        let path = NSTemporaryDirectory() + "whole-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(count: 70_000).write(to: URL(fileURLWithPath: path))
        let big = #expect(throws: IOFailure.self) { _ = try WholeFile.read(path, limit: 1000, what: "a manifest") }
        #expect("\(big!)".contains("larger than 1.0 kB: not a manifest") && "\(big!)".contains(path))
        let missing = #expect(throws: IOFailure.self) { _ = try WholeFile.read(path + ".absent", hint: "check the path") }
        #expect("\(missing!)".contains("No such file") && "\(missing!)".contains(path + ".absent") && "\(missing!)".contains("check the path"))
    }
}
