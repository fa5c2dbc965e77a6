import Foundation
import Testing

/// Labelled text sets through the CLI (issue 16 items 1, 3, 4; issue 17 item 3): one source per
/// split, gzip CSV, TSV, a folder per class inside a tar.gz, bad rows, and a trained 4-class
/// fixture run through predict (formats, stdin, top-k, warnings) and evaluate (confusion matrix).
@Suite(.serialized) struct TextFormatsCLITests {
    static let root = CLI.repoRoot

    static func tempDir(_ tag: String) throws -> String {
        let d = NSTemporaryDirectory() + "textformats-\(tag)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    static func tool(_ path: String, _ args: [String], cwd: String, stdin: String? = nil) throws -> CLI.Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out; p.standardError = err
        if stdin != nil { p.standardInput = input }
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)); try input.fileHandleForWriting.close() }
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLI.Output(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    static func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    static func spec(_ dir: String, source: String, text: String, model: Bool = false) throws -> String {
        let yaml = """
        name: t
        source: \(source)
        text: {num_words: 50, maxlen: 12, \(text)}
        """ + (model ? """

        model:
          - embedding: {input_dim: 50, output_dim: 4}
          - lstm: {units: 4}
          - dense: {units: 3, activation: softmax}
        train: {epochs: 1, batch_size: 4, loss: sparse_categorical_crossentropy, metrics: [acc], validation_split: 0.25}
        """ : "") + "\n"
        let path = dir + "/spec.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The trained fixture run (one epoch) shared by the predict/evaluate tests.
    static let fixtureRun: Result<String, any Error> = Result {
        let out = try tempDir("fixture") + "/run"
        let r = try CLI.run(["run", "pipelines/fixtures/ag-news-lstm.yaml", "--set", "train.epochs=1", "--output", out, "--quiet",
                             "--source", "train=fixtures/news4-train.csv", "--source", "test=fixtures/news4-test.csv"])
        guard r.code == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["stderr": r.stderr]) }
        return out
    }

    @Test func fixtureRunWithOneSourcePerSplitRecordsClassesAndConfusion() throws {
        let run = try Self.fixtureRun.get()
        let meta = try Self.json(run + "/data/meta.json")
        #expect(meta["class_names"] as? [String] == ["0", "1", "2", "3"])
        let splits = try #require(meta["splits"] as? [String: Any])
        #expect((splits["train"] as? [String: Any])?["count"] as? Int == 480)
        #expect((splits["test"] as? [String: Any])?["count"] as? Int == 120)
        let confusion = try Self.json(run + "/confusion.json")
        let matrix = try #require(confusion["matrix"] as? [[Int]])
        #expect(matrix.count == 4 && matrix.allSatisfy { $0.count == 4 })
        #expect(matrix.flatMap { $0 }.reduce(0, +) == 120)
        let report = try String(contentsOfFile: run + "/report.html", encoding: .utf8)
        #expect(report.contains("Confusion matrix"))
    }

    @Test func predictTakesRepeatedTextsFilesStdinAndPrintsTopK() throws {
        let run = try Self.fixtureRun.get()
        let two = try CLI.run(["predict", run, "--text", "shares profit market", "--text", "match season coach", "--format", "jsonl", "--top-k", "2"])
        #expect(two.code == 0, "\(two.stderr)")
        let lines = two.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        for l in lines {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any])
            let top = try #require(o["top"] as? [[String: Any]])
            #expect(top.count == 2)
            #expect(top[0]["label"] as? String == o["label"] as? String)
            #expect((top[0]["probability"] as? Double ?? 0) >= (top[1]["probability"] as? Double ?? 1))
            #expect(o["p_positive"] == nil)   // a softmax model
        }
        let file = try CLI.temp("texts.txt", "one text here\r\n\nsoftware internet\n")
        let csv = try CLI.run(["predict", run, "--file", file, "--format", "csv"])
        #expect(csv.code == 0)
        #expect(csv.stdout.hasPrefix("index,label,probability,p_positive,top,text\n"))
        #expect(csv.stdout.split(separator: "\n").count == 4)   // header + 3 texts (the empty line is a text)
        #expect(csv.stderr.contains("warning: text 2: empty text"), "\(csv.stderr)")
        let piped = try Self.tool(CLI.binary, ["predict", run, "--file", "-"], cwd: Self.root, stdin: "nasa web chip\nzzzz qqqq\n")
        #expect(piped.code == 0)
        #expect(piped.stdout.split(separator: "\n").count == 3)   // table header + 2 rows
        #expect(piped.stderr.contains("warning: text 2: no word of this text is in the run's vocabulary"), "\(piped.stderr)")
        let none = try CLI.run(["predict", run])
        #expect(none.code == 2)
    }

    @Test func evaluateJSONHasPerClassPrecisionRecallAndConfusionMatrix() throws {
        let run = try Self.fixtureRun.get()
        let r = try CLI.run(["evaluate", run, "--source", "fixtures/news4-test.csv", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(o["samples"] as? Int == 120)
        let m = try #require(o["confusion_matrix"] as? [[Int]])
        #expect(m.flatMap { $0 }.reduce(0, +) == 120)
        let diagonal = (0..<4).reduce(0) { $0 + m[$1][$1] }
        #expect(abs(Double(diagonal) / 120 - (o["acc"] as? Double ?? -1)) < 1e-9)
        let per = try #require(o["per_class"] as? [String: [String: Any]])
        #expect(Set(per.keys) == ["0", "1", "2", "3"])
        #expect(per["0"]?["support"] as? Int == m[0].reduce(0, +))
    }

    @Test func gzipCSVAndTSVPrepareWithMappedLabels() throws {
        let dir = try Self.tempDir("gz")
        let csv = "label,text\nsports,\"a goal, then\nanother\"\nworld,summit talks\nsports,match\n"
        try csv.write(toFile: dir + "/d.csv", atomically: true, encoding: .utf8)
        let gz = try Self.tool("/bin/gzip", ["-k", dir + "/d.csv"], cwd: dir)
        try #require(gz.code == 0)
        let spec = try Self.spec(dir, source: "{url: d.csv.gz}", text: "format: auto")
        let r = try CLI.run(["prepare", spec, "--output", dir + "/out", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect((try Self.json(dir + "/out/meta.json"))["class_names"] as? [String] == ["sports", "world"])
        try "1\tfirst text\n0\t\"tab\tinside\"\n".write(toFile: dir + "/d.tsv", atomically: true, encoding: .utf8)
        let tsv = try Self.spec(dir, source: "{url: d.tsv}", text: "label_column: 0, text_column: 1")
        let t = try CLI.run(["prepare", tsv, "--output", dir + "/tsv", "--json"])
        #expect(t.code == 0, "\(t.stderr)")
        #expect((try Self.json(dir + "/tsv/meta.json"))["text_format"] as? String == "tsv")
    }

    @Test func folderPerClassInsideATarGz() throws {
        let dir = try Self.tempDir("dir")
        for (split, cls, n) in [("train", "alpha", 3), ("train", "beta", 3), ("train", "gamma", 2), ("test", "alpha", 1), ("test", "beta", 1)] {
            let folder = "\(dir)/set/\(split)/\(cls)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for i in 0..<n { try "\(cls) words \(i)".write(toFile: "\(folder)/\(i).txt", atomically: true, encoding: .utf8) }
        }
        try "not a class".write(toFile: "\(dir)/set/train/notes.md", atomically: true, encoding: .utf8)
        let tar = try Self.tool("/bin/tar", ["czf", "set.tar.gz", "set"], cwd: dir)
        try #require(tar.code == 0, "\(tar.stderr)")
        let spec = try Self.spec(dir, source: "{url: set.tar.gz}", text: "format: directory, class_names: [beta, alpha]")
        let r = try CLI.run(["prepare", spec, "--output", dir + "/out", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let meta = try Self.json(dir + "/out/meta.json")
        #expect(meta["class_names"] as? [String] == ["beta", "alpha"])   // the explicit order; gamma ignored
        let splits = try #require(meta["splits"] as? [String: [String: Any]])
        #expect(splits["train"]?["count"] as? Int == 6)
        #expect(splits["test"]?["count"] as? Int == 2)
        #expect(r.stderr.isEmpty || !r.stderr.contains("error"))
    }

    @Test func aBadRowFailsWithFileAndLineOrIsSkippedWithACount() throws {
        let dir = try Self.tempDir("bad")
        try "label,text\na,fine\nb,\"two\",fields too many\na,ok\n".write(toFile: dir + "/d.csv", atomically: true, encoding: .utf8)
        let strict = try Self.spec(dir, source: "{url: d.csv}", text: "format: csv")
        let r = try CLI.run(["prepare", strict, "--output", dir + "/out"])
        #expect(r.code == 1)
        #expect(r.stderr.contains("d.csv:3"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/meta.json"))
        let lenient = try Self.spec(dir, source: "{url: d.csv}", text: "format: csv, on_bad_row: skip")
        let s = try CLI.run(["prepare", lenient, "--output", dir + "/skip"])
        #expect(s.code == 0, "\(s.stderr)")
        #expect(s.stderr.contains("skipped 1 bad row"), "\(s.stderr)")
        #expect((try Self.json(dir + "/skip/meta.json"))["bad_rows"] as? Int == 1)
    }

    @Test func sourceFlagsBySplitAndPlainAreExclusive() throws {
        let both = try CLI.run(["validate", "pipelines/fixtures/ag-news-lstm.yaml", "--source", "x.csv", "--source", "train=y.csv"])
        #expect(both.code == 2)
        let twice = try CLI.run(["validate", "pipelines/fixtures/ag-news-lstm.yaml", "--source", "test=x.csv", "--source", "test=y.csv"])
        #expect(twice.code == 2)
        let described = try CLI.run(["describe", "pipelines/imdb-lstm.yaml", "--source", "train=a.csv", "--source", "test=b.csv"])
        #expect(described.code == 0, "\(described.stderr)")
        #expect(described.stdout.contains("train:") && described.stdout.contains("a.csv") && described.stdout.contains("b.csv"))
    }
}
