import Foundation
import Testing
import PipelineCore

@Suite struct DirectoriesTests {
    @Test func makesMissingParentsAndAcceptsExisting() throws {
        let root = NSTemporaryDirectory() + "directories-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Directories.make(root + "/a/b/c")
        try Directories.make(root + "/a/b/c")                  // again: fine
        try Directories.make(parentOf: root + "/d/e/file.bin")
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: root + "/a/b/c", isDirectory: &isDir) && isDir.boolValue)
        #expect(FileManager.default.fileExists(atPath: root + "/d/e", isDirectory: &isDir) && isDir.boolValue)
        #expect(!FileManager.default.fileExists(atPath: root + "/d/e/file.bin"))
    }

    /// A file where a folder should be: an IOFailure naming the component below it.
    @Test func fileInTheWayIsAnError() throws {
        let root = NSTemporaryDirectory() + "directories-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Directories.make(root)
        _ = FileManager.default.createFile(atPath: root + "/f", contents: Data("x".utf8))
        let error = try #require(throws: IOFailure.self) { try Directories.make(root + "/f/g") }
        #expect("\(error)".contains(root + "/f/g") && "\(error)".contains("cannot create folder"))
    }
}
