import Foundation
import PipelineCore
import Testing
@testable import PipelineIO

@Suite struct DirectoryEntriesTests {
    func tree() throws -> String {
        let root = try TestFiles.temporaryDirectory("tree")
        try TestFiles.write(Array("b".utf8), to: root + "/train/pos/b.txt")
        try TestFiles.write(Array("a".utf8), to: root + "/train/pos/a.txt")
        try TestFiles.write(Array("n".utf8), to: root + "/train/neg/Z.txt")
        try TestFiles.write(Array("u".utf8), to: root + "/train/unsup/u.txt")
        try FileManager.default.createSymbolicLink(atPath: root + "/train/alias", withDestinationPath: "pos")
        return root
    }

    @Test func sortedFilteredAndNoSymlinks() async throws {
        let root = try tree()
        let all = try await DirectoryEntries(root: root).collect()
        #expect(all.map(\.path) == ["train/neg/Z.txt", "train/pos/a.txt", "train/pos/b.txt", "train/unsup/u.txt"])
        #expect(all[1].data == Array("a".utf8))
        let some = try await DirectoryEntries(root: root, filter: try EntryFilter(exclude: ["**/unsup/**"])).collect()
        #expect(some.count == 3)
    }

    @Test func sameEntriesAsTheArchive() async throws {
        let root = try tree()
        let dir = try TestFiles.temporaryDirectory("tar")
        try await TestFiles.run(["tar", "-cf", dir + "/t.tar", "train"], in: root)
        let fromArchive = try await FileChunks(path: dir + "/t.tar").archiveEntries().collect()
        let fromFolder = try await DirectoryEntries(root: root).collect()
        #expect(fromArchive.sorted { $0.path < $1.path } == fromFolder)
    }

    @Test func missingRootAndEmptyResults() async throws {
        let error = await errorOf { _ = try await DirectoryEntries(root: "/nonexistent/pipeline").collect() }
        #expect((error as? IOFailure)?.path == "/nonexistent/pipeline")
        let root = try tree()
        let filter = try EntryFilter(include: ["*.csv"])
        let none = await errorOf { _ = try await DirectoryEntries(root: root, filter: filter).collect() }
        #expect((none as? ArchiveError)?.kind == .noMatchingEntries)
        #expect(try await DirectoryEntries(root: root, filter: filter, onEmpty: .finish).collect().isEmpty)
    }
}
