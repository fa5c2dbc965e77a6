import Testing
import PipelineCore
@testable import PipelineSpec

/// `--set KEY=VALUE`: a dotted path into the document (numbers index lists), a YAML value,
/// applied before decoding so it is validated like the file; errors name the flag.
@Suite struct SpecOverrideTests {
    func parse(_ sets: String..., yaml: String = minimalText) throws -> PipelineSpec {
        try PipelineSpec.parse(yaml, file: "t.yaml", overrides: .init(sets: try sets.map(SpecOverride.init(parsing:))))
    }
    func error(_ sets: String..., yaml: String = minimalText) -> String {
        do { _ = try PipelineSpec.parse(yaml, file: "t.yaml", overrides: .init(sets: try sets.map(SpecOverride.init(parsing:)))); return "accepted" }
        catch { return "\(error)" }
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

    @Test func malformedSetFlag() {
        #expect(throws: InputError.self) { try SpecOverride(parsing: "train.epochs") }
        #expect(throws: InputError.self) { try SpecOverride(parsing: "train..epochs=1") }
    }

    /// The key ends at the first `=`: the value may contain more; an empty value is YAML's null.
    @Test func keyAndValueSplitAtTheFirstEquals() throws {
        let o = try SpecOverride(parsing: "output.dir=runs/a=b")
        #expect(o.path == ["output", "dir"] && o.value == "runs/a=b" && o.dottedPath == "output.dir")
        #expect(try parse("output.dir=runs/a=b").outputDir == "runs/a=b")
        #expect(try SpecOverride(parsing: "text.maxlen=").value == "")
        #expect(try parse("text.maxlen=").text?.maxlen == nil)      // null: the longest review
        #expect(try parse("output.dir=").outputDir == "runs/t")     // null: the default, never an empty path
        #expect(throws: InputError.self) { try SpecOverride(parsing: "=1") }
        #expect(throws: InputError.self) { try SpecOverride(parsing: ".epochs=1") }
    }

    /// Values are YAML: numbers, strings, lists and mappings; missing mappings are created on the way.
    @Test func valuesAreYAMLAndPathsAreCreated() throws {
        let s = try parse("train.metrics=[acc, binary_accuracy]", "train.early_stopping.patience=5",
                          "model.1={gru: {units: 3, reset_after: false}}", "name=renamed")
        #expect(s.train?.metrics == [.acc, .binary_accuracy] && s.train?.earlyStopping?.patience == 5 && s.name == "renamed")
        guard case .recurrent(let r)? = s.model?.layers[1].kind else { Issue.record("not recurrent"); return }
        #expect(r.kind == .gru && r.units == 3 && !r.resetAfter)
        // A scalar in the way becomes a mapping: `optimizer: rmsprop` then `optimizer.learning_rate`.
        let o = try parse("train.optimizer.learning_rate=0.5", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, optimizer: rmsprop"))
        #expect(o.train?.optimizer.learningRate == 0.5 && o.train?.optimizer.name == .rmsprop)
    }

    /// Mistakes in a `--set` are reported against the flag, with the same checks and suggestions as the file.
    @Test func errorsNameTheFlag() {
        let unknown = error("train.epocs=3")
        #expect(unknown.contains("--set train.epocs") && unknown.contains("unknown key") && unknown.contains("did you mean 'epochs'?"), "\(unknown)")
        let type = error("train.batch_size=big")
        #expect(type.hasPrefix("--set train.batch_size:") && type.contains("must be an integer") && type.contains("'big'"), "\(type)")
        let index = error("model.5.dense.units=2")
        #expect(index.contains("--set model.5.dense.units") && index.contains("no list item 5 (the list has 3 items)"), "\(index)")
        let yaml = error("train.metrics=[acc")
        #expect(yaml.contains("--set train.metrics") && yaml.contains("not valid YAML"), "\(yaml)")
    }
}
