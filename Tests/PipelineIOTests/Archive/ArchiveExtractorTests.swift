import Foundation
import PipelineCore
import Testing
@testable import PipelineIO

@Suite struct ArchiveExtractorTests {
    func extract(_ tar: TarBuilder, filter: EntryFilter = .all) async throws -> (String, ArchiveExtractor.Summary) {
        let dir = try TestFiles.temporaryDirectory("extract")
        let summary = try await ArchiveExtractor(target: dir + "/out", source: "t.tar", filter: filter)
            .extract(TestFiles.chunked(tar.finished(), size: 700))
        return (dir + "/out", summary)
    }

    func refusal(_ tar: TarBuilder) async throws -> (ArchiveError, String) {
        let dir = try TestFiles.temporaryDirectory("refuse")
        let error = await errorOf {
            _ = try await ArchiveExtractor(target: dir + "/out", source: "t.tar").extract(TestFiles.chunked(tar.finished(), size: 700))
        }
        return (try #require(error as? ArchiveError), dir)
    }

    @Test func writesFilesFoldersAndSafeLinks() async throws {
        var t = TarBuilder()
        t.directory("d/empty/")
        t.file("d/a.txt", "alpha")
        t.file("d/run.sh", Array("#!/bin/sh\n".utf8), mode: 0o755)
        t.symlink("d/link", to: "a.txt")
        t.hardlink("d/hard", to: "d/a.txt")
        let (out, summary) = try await extract(t)
        #expect(summary == ArchiveExtractor.Summary(files: 2, directories: 1, links: 2, bytes: 15))
        #expect(try TestFiles.read(out + "/d/a.txt") == Array("alpha".utf8))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/d/link") == "a.txt")
        #expect(try TestFiles.read(out + "/d/hard") == Array("alpha".utf8))
        #expect(FileManager.default.isExecutableFile(atPath: out + "/d/run.sh"))
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: out + "/d/empty", isDirectory: &isDir) && isDir.boolValue)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out + "/d").filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func refusesTraversal() async throws {
        var t = TarBuilder()
        t.file("ok.txt", "fine")
        t.file("../evil", "gotcha")
        let (error, dir) = try await refusal(t)
        #expect(error.kind == .unsafeEntry && error.entry == "../evil")
        #expect("\(error)".contains(".."))
        #expect(!TestFiles.exists(dir + "/evil"))
        #expect(TestFiles.exists(dir + "/out/ok.txt"))
    }

    @Test func refusesAbsolutePaths() async throws {
        let victim = "/tmp/pipelineio-absolute-\(UUID().uuidString.prefix(8))"
        var t = TarBuilder()
        t.file(victim, "gotcha")
        let (error, _) = try await refusal(t)
        #expect(error.kind == .unsafeEntry && "\(error)".contains("absolute path"))
        #expect(!TestFiles.exists(victim))
    }

    @Test func refusesEscapingSymlinks() async throws {
        var outward = TarBuilder()
        outward.symlink("data/link", to: "../../etc")
        let (e1, _) = try await refusal(outward)
        #expect(e1.kind == .unsafeEntry && e1.entry == "data/link" && "\(e1)".contains("leaves the target"))

        var absolute = TarBuilder()
        absolute.symlink("link", to: "/etc/passwd")
        #expect(try await refusal(absolute).0.kind == .unsafeEntry)

        // A link to '.' is harmless alone, but nothing may be written through it.
        var through = TarBuilder()
        through.symlink("here", to: ".")
        through.symlink("here/up", to: "..")
        let (e3, _) = try await refusal(through)
        #expect(e3.entry == "here/up" && "\(e3)".contains("is a symbolic link"))

        var file = TarBuilder()
        file.directory("sub/")
        file.symlink("s", to: "sub")
        file.file("s/x.txt", "via link")
        #expect(try await refusal(file).0.entry == "s/x.txt")

        var hard = TarBuilder()
        hard.hardlink("h", to: "../outside")
        #expect(try await refusal(hard).0.kind == .unsafeEntry)
    }

    @Test func filterLimitsWhatIsWritten() async throws {
        var t = TarBuilder()
        t.file("a/keep.txt", "1")
        t.file("a/skip.md", "2")
        let (out, summary) = try await extract(t, filter: try EntryFilter(include: ["**/*.txt"]))
        #expect(summary.files == 1)
        #expect(TestFiles.exists(out + "/a/keep.txt") && !TestFiles.exists(out + "/a/skip.md"))
    }
}
