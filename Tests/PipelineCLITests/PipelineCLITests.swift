import Testing
import Foundation

/// Runs the built `pipeline` executable as a user would and checks its whole output and exit code.
struct CLI {
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let binary: String = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pipeline").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        for config in ["debug", "release"] {
            let p = repoRoot + "/.build/\(config)/pipeline"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return beside
    }()

    struct Output { var code: Int32; var stdout: String; var stderr: String }

    /// Runs `executable` (the pipeline binary unless told) with `args` and collects its output.
    static func run(_ args: [String], cwd: String = repoRoot, executable: String = binary) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    static func temp(_ name: String, _ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "cli-\(UUID().uuidString)-\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

@Suite struct PipelineCLITests {
    @Test func version() throws {
        let r = try CLI.run(["--version"])
        #expect(r.code == 0)
        #expect(r.stdout == "0.1.0\n")
    }

    @Test func validateAcceptsShippedSpec() throws {
        let r = try CLI.run(["validate", "pipelines/imdb-lstm.yaml"])
        #expect(r.code == 0)
        #expect(r.stdout == "pipelines/imdb-lstm.yaml: valid (text pipeline 'imdb-lstm', 3 layers)\n")
    }

    @Test func misspeltKeyExitsTwoWithPlaceAndSuggestion() throws {
        let bad = try CLI.temp("bad.yaml", "name: x\nsource: {url: a.tgz}\ntext: {num_words: 100}\ntrain:\n  epocs: 3\n")
        let r = try CLI.run(["validate", bad])
        #expect(r.code == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "error: \(bad):5:3: train.epocs: unknown key, received 'epocs' (did you mean 'epochs'?)\n")
    }

    @Test func setIsValidatedLikeTheFile() throws {
        let r = try CLI.run(["validate", "pipelines/fixtures/jena-gru.yaml", "--set", "train.batch_size=0"])
        #expect(r.code == 2)
        #expect(r.stderr == "error: --set train.batch_size: train.batch_size: must be > 0, received '0'\n")
        let malformed = try CLI.run(["validate", "pipelines/fixtures/jena-gru.yaml", "--set", "train.batch_size"])
        #expect(malformed.code == 2)
        #expect(malformed.stderr.contains("expected KEY=VALUE"))
    }

    @Test func unknownFlagIsAnArgumentError() throws {
        let r = try CLI.run(["validate", "pipelines/imdb-lstm.yaml", "--no-such-flag"])
        #expect(r.code == 2)
        #expect(r.stderr.contains("Unknown option '--no-such-flag'"))
    }

    @Test func describeFillsDefaultsAndHonoursOverrides() throws {
        let r = try CLI.run(["describe", "pipelines/fixtures/imdb-lstm.yaml", "--seed", "7", "--set", "train.epochs=1"])
        #expect(r.code == 0)
        #expect(r.stdout.contains("seed: 7\n"))
        #expect(r.stdout.contains("  epochs: 1\n"))
        #expect(r.stdout.contains("  learning_rate: 0.001\n"))
        // describe's output is itself a valid spec
        let again = try CLI.temp("described.yaml", r.stdout.replacingOccurrences(of: "../../fixtures", with: CLI.repoRoot + "/fixtures"))
        #expect(try CLI.run(["validate", again]).code == 0)
    }

    @Test func runWithJSONPrintsOneObjectAndMissingSourceExitsOne() throws {
        let out = NSTemporaryDirectory() + "cli-run-\(UUID().uuidString)"
        let r = try CLI.run(["run", "pipelines/fixtures/jena-dense.yaml", "--output", out, "--set", "train.epochs=1", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(obj?["epochs"] as? Int == 1)
        #expect(r.stdout.split(separator: "\n").count == 1)
        // The same folder again: refused, nothing lost.
        let again = try CLI.run(["run", "pipelines/fixtures/jena-dense.yaml", "--output", out])
        #expect(again.code == 2)
        #expect(again.stderr.contains("--overwrite"))
        let missing = try CLI.run(["run", "pipelines/fixtures/jena-dense.yaml", "--output", out + "-2", "--source", "/nonexistent/jena.csv"])
        #expect(missing.code == 1)
        #expect(missing.stderr.contains("/nonexistent/jena.csv"))
    }

    @Test func predictNeedsExactlyOneInput() throws {
        let r = try CLI.run(["predict", "/tmp/none"])
        #expect(r.code == 2)
        #expect(r.stderr.contains("give exactly one of --text, --file or --csv"))
    }
}
