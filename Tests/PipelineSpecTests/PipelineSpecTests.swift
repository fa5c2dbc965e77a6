import Testing
import Foundation
import PipelineCore
@testable import PipelineSpec

@Suite struct PipelineSpecTests {
    @Test(arguments: try! FileManager.default.contentsOfDirectory(atPath: repoRoot + "/pipelines").filter { $0.hasSuffix(".yaml") }
          + (try! FileManager.default.contentsOfDirectory(atPath: repoRoot + "/pipelines/fixtures").filter { $0.hasSuffix(".yaml") }.map { "fixtures/" + $0 }))
    func everyShippedPipelineValidates(file: String) throws {
        let spec = try PipelineSpec.load(path: repoRoot + "/pipelines/" + file)
        #expect(!spec.name.isEmpty)
        // describe → parse again gives the same spec
        let again = try PipelineSpec.parse(spec.yaml, file: file)
        #expect(again.model == spec.model && again.train == spec.train && again.text == spec.text && again.timeseries == spec.timeseries)
    }

    @Test func defaultsAreKeras() throws {
        let s = try PipelineSpec.parse(minimalText, file: "t.yaml")
        #expect(s.train?.batchSize == 128)
        #expect(s.train?.optimizer.name == .rmsprop && s.train?.optimizer.learningRate == 1e-3)
        #expect(s.train?.optimizer.rho == 0.9 && s.train?.optimizer.epsilon == 1e-7)
        #expect(s.train?.loss == .binary_crossentropy && s.train?.metrics == [.acc])
        #expect(s.train?.validationSplit == 0.2)
        #expect(s.text?.padding == .pre && s.text?.truncating == .pre && s.text?.index == .imdb && s.text?.indexFrom == 3)
        guard case .recurrent(let r)? = s.model?.layers[1].kind else { Issue.record("not recurrent"); return }
        #expect(r.activation == .tanh && r.recurrentActivation == .sigmoid && !r.returnSequences && r.unitForgetBias)
    }

    @Test func describeFillsEveryDefault() throws {
        let y = try PipelineSpec.parse(minimalText, file: "t.yaml").yaml
        for key in ["batch_size: 128", "learning_rate: 0.001", "rho: 0.9", "padding: pre", "standardize: lower_and_strip_punctuation",
                    "return_sequences: false", "unit_forget_bias: true", "cache_dir:", "validation_split: 0.2"] {
            #expect(y.contains(key), "describe output lacks \(key)")
        }
    }

    @Test func setOverridesAreAppliedAndValidated() throws {
        let s = try PipelineSpec.parse(minimalText, file: "t.yaml",
                                       overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=1"),
                                                               try SpecOverride(parsing: "model.1.lstm.units=7")]))
        #expect(s.train?.epochs == 1)
        guard case .recurrent(let r)? = s.model?.layers[1].kind else { Issue.record("not recurrent"); return }
        #expect(r.units == 7)
        let e = specError(minimalText, overrides: .init(sets: [try SpecOverride(parsing: "train.epochs=0")]))
        #expect(e?.description == "--set train.epochs: train.epochs: must be > 0, received '0'")
    }

    @Test func sourceSeedOutputOverrides() throws {
        let s = try PipelineSpec.parse(minimalText.replacingOccurrences(of: "{url: data.tar.gz}", with: "{url: http://x/y.tgz, sha256: \(String(repeating: "a", count: 64))}"),
                                       file: "t.yaml", overrides: .init(seed: 9, source: "/tmp/local.tar.gz", cacheDir: "/tmp/c", output: "/tmp/o"))
        #expect(s.seed == 9 && s.source.url == "/tmp/local.tar.gz" && s.source.sha256 == nil)
        #expect(s.source.cacheDir == "/tmp/c" && s.outputDir == "/tmp/o")
    }

    @Test func timeseriesRangesResolve() throws {
        let s = try PipelineSpec.load(path: repoRoot + "/pipelines/jena-gru.yaml")
        let r = s.timeseries!.ranges.resolve(rows: 420_551)
        #expect(r.train == 0...200_000 && r.validation == 200_001...300_000 && r.test == 300_001...420_550)
        #expect(s.inputShape() == [240, 14])
        let f = try PipelineSpec.load(path: repoRoot + "/pipelines/fixtures/jena-gru.yaml").timeseries!.ranges.resolve(rows: 4000)
        #expect(f.train == 0...1999 && f.validation == 2000...2999 && f.test == 3000...3999)
    }
}
