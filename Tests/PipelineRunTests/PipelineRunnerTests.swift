import Testing
import Foundation
import PipelineCore
@testable import PipelineRun
import PipelineSpec

/// `PipelineRunner.prepare()`: the data stages only, into the output folder, with a JSON
/// result for scripts; and the spec hash recorded beside prepared data.
@Suite struct PipelineRunnerTests {
    static let imdb = repoRoot + "/pipelines/fixtures/imdb-lstm.yaml"

    @Test func prepareWritesTheSplitsAndSaysWhat() async throws {
        let out = scratch("prepare")
        let spec = try PipelineSpec.load(path: Self.imdb, overrides: .init(output: out))
        let r = try await PipelineRunner(spec: spec, progress: .quiet).prepare()
        let splits = try #require(r.json["splits"]?.array)
        #expect(splits.map { $0["split"]?.string } == ["train", "test"])
        for s in splits {
            let count = try #require(s["count"]?.double)
            #expect(count > 0 && s["maxlen"]?.double == 48)
            #expect((s["positive"]?.double ?? -1) + (s["negative"]?.double ?? -1) == count)
        }
        #expect(r.json["class_names"] == .array([.string("neg"), .string("pos")]))
        let vocabulary = try #require(r.json["vocabulary"]?.double)
        #expect(vocabulary > 0 && vocabulary <= 400)
        let files = try #require(r.json["files"]?.array).compactMap { $0.string }
        #expect(!files.isEmpty)
        #expect(Set(files.map { ($0 as NSString).lastPathComponent }).isSuperset(of: ["x_train.npy", "y_train.npy", "x_test.npy", "y_test.npy", "vocab.json", "meta.json"]))
        for f in files { #expect(f.hasPrefix(out + "/") && FileManager.default.fileExists(atPath: f), "listed \(f) is missing") }
        #expect(r.summary.hasPrefix("prepared train ") && r.summary.hasSuffix("→ \(out)"))
        // A second prepare into the same folder is refused without --overwrite, and allowed with it.
        await #expect(throws: InputError.self) { _ = try await PipelineRunner(spec: spec, progress: .quiet).prepare() }
        _ = try await PipelineRunner(spec: spec, progress: .quiet).prepare(overwrite: true)
    }

    /// The hash follows the resolved spec: the same for the same spec however it is spelt,
    /// different when an option changes.
    @Test func specHashFollowsTheResolvedSpec() throws {
        let a = try PipelineSpec.parse(minimal, file: "a.yaml")
        let spelt = try PipelineSpec.parse(minimal.replacingOccurrences(of: "text: {num_words: 100}", with: "text:\n  num_words: 100\n  maxlen: 500"), file: "a.yaml")
        let other = try PipelineSpec.parse(minimal.replacingOccurrences(of: "num_words: 100", with: "num_words: 101"), file: "a.yaml")
        let h = PipelineRunner(spec: a).specHash
        #expect(!h.isEmpty && h == PipelineRunner(spec: spelt).specHash)
        #expect(h != PipelineRunner(spec: other).specHash)
        // Not the output folder, the name or the model: only what can change the prepared bytes.
        var moved = a
        moved.outputDir = "/elsewhere"; moved.name = "renamed"
        #expect(PipelineRunner(spec: moved).specHash == h)
        let seeded = try PipelineSpec.parse("seed: 9\n" + minimal, file: "a.yaml")
        #expect(PipelineRunner(spec: seeded).specHash != h)
    }

    let minimal = "name: h\nsource: {url: x.tar.gz}\ntext: {num_words: 100}\n"
}
