import Foundation
import Testing

/// Library warnings reach the CLI through swift-log and the handler `pipeline` installs
/// (CLILogHandler): the same bytes on standard error as when the library wrote them itself,
/// printed with --json and --quiet too, and never on standard output.
@Suite struct LibraryWarningsCLITests {
    @Test func overwriteKeptWarningIsOneExactLineOnStandardErrorUnderJSON() throws {
        let d = NSTemporaryDirectory() + "cli-libwarn-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: d) }
        let out = d + "/prep"
        let args = ["prepare", "pipelines/fixtures/jena-dense.yaml", "--output", out]
        let first = try CLI.run(args + ["--quiet"])
        #expect(first.code == 0, "\(first.stderr)")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: out + "/notes.bin"))
        for flag in ["--json", "--quiet"] {
            let again = try CLI.run(args + ["--overwrite", flag])
            #expect(again.code == 0, "\(again.stderr)")
            #expect(again.stderr == "warning: --overwrite kept 1 entry in \(out) that pipeline did not write: notes.bin\n", "\(flag): \(again.stderr)")
            #expect(!again.stdout.contains("warning"), "\(flag): \(again.stdout)")
        }
    }
}
