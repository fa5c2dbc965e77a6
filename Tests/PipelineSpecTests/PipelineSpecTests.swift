import Testing
import Foundation
import PipelineCore
@testable import PipelineSpec

/// The whole spec: every shipped pipeline, the task section, the command-line overrides other
/// than `--set` (SpecOverrideTests), names and files.
@Suite struct PipelineSpecTests {
    static let cases: [InvalidSpec] = [
        InvalidSpec(label: "no task section", yaml: "source: {url: x.csv}\n", expected: ["bad.yaml", "text: or a timeseries: section"]),
        InvalidSpec(label: "both task sections", yaml: "source: {url: x.csv}\ntext: {}\ntimeseries: {}\n", expected: ["bad.yaml", "either text: or timeseries:, not both"]),
        InvalidSpec(label: "not YAML", yaml: "source: {url: [\n", expected: ["bad.yaml", "not valid YAML"]),
        InvalidSpec(label: "negative seed", yaml: "seed: -1\nsource: {url: x.csv}\ntext: {}\n", expected: ["bad.yaml:1:", "seed", "non-negative integer", "'-1'"]),
    ]

    @Test(arguments: cases)
    func invalidSpecIsRejectedWithPlace(_ c: InvalidSpec) { expectRejected(c) }

    @Test(arguments: try! FileManager.default.contentsOfDirectory(atPath: repoRoot + "/pipelines").filter { $0.hasSuffix(".yaml") }
          + (try! FileManager.default.contentsOfDirectory(atPath: repoRoot + "/pipelines/fixtures").filter { $0.hasSuffix(".yaml") }.map { "fixtures/" + $0 }))
    func everyShippedPipelineValidates(file: String) throws {
        let spec = try PipelineSpec.load(path: repoRoot + "/pipelines/" + file)
        #expect(!spec.name.isEmpty)
        // describe → parse again gives the same spec
        let again = try PipelineSpec.parse(spec.yaml, file: file)
        #expect(again.model == spec.model && again.train == spec.train && again.text == spec.text && again.timeseries == spec.timeseries)
    }

    @Test func sourceSeedOutputOverrides() throws {
        let s = try PipelineSpec.parse(minimalText.replacingOccurrences(of: "{url: data.tar.gz}", with: "{url: http://x/y.tgz, sha256: \(String(repeating: "a", count: 64))}"),
                                       file: "t.yaml", overrides: .init(seed: 9, source: "/tmp/local.tar.gz", cacheDir: "/tmp/c", output: "/tmp/o"))
        #expect(s.seed == 9 && s.source.url == "/tmp/local.tar.gz" && s.source.sha256 == nil)
        #expect(s.source.cacheDir == "/tmp/c" && s.outputDir == "/tmp/o")
    }

    /// `--source train=PATH` replaces that split's url and drops its checksum (and the single url).
    @Test func splitSourceOverrides() throws {
        let yaml = minimalText.replacingOccurrences(of: "source: {url: data.tar.gz}",
            with: "source: {train: {url: a.csv, md5: \(String(repeating: "0", count: 32))}, test: {url: b.csv}}")
        var o = PipelineSpec.Overrides()
        o.splitSources = ["train": "/data/train.csv"]
        let s = try PipelineSpec.parse(yaml, file: "t.yaml", overrides: o)
        #expect(s.source.splits["train"]?.url == "/data/train.csv" && s.source.splits["train"]?.md5 == nil)
        #expect(s.source.splits["test"]?.url == "b.csv")
        // A plain --source replaces both splits by one source.
        let one = try PipelineSpec.parse(yaml, file: "t.yaml", overrides: .init(source: "/data/all.tar.gz"))
        #expect(one.source.splits.isEmpty && one.source.url == "/data/all.tar.gz")
    }

    /// Without `name:` the file's stem names the run; without `output:` the run goes to runs/NAME;
    /// without `model:` and `train:` the spec only prepares data.
    @Test func namesAndOptionalSections() throws {
        let s = try PipelineSpec.parse("source: {url: x.tar.gz}\ntext: {}\n", file: "pipelines/my-reviews.yml")
        #expect(s.name == "my-reviews" && s.outputDir == "runs/my-reviews" && s.seed == 1337)
        #expect(s.model == nil && s.train == nil && s.file == "pipelines/my-reviews.yml")
        #expect(PipelineSpec.stem("a/b.yaml") == "b" && PipelineSpec.stem("plain") == "plain")
    }

    @Test func anUnreadableFileIsNamed() {
        let path = NSTemporaryDirectory() + "no-such-spec-\(UUID().uuidString).yaml"
        let e = #expect(throws: InputError.self) { try PipelineSpec.load(path: path) }
        #expect(e?.description.contains(path) == true && e?.description.contains("cannot read the spec file") == true)
    }
}
