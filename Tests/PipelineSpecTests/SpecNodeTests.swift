import Testing
import PipelineCore
@testable import PipelineSpec

/// `SpecMap`, the strict decoder every section uses: unknown keys with a suggestion, typed
/// values, choices among a fixed list, and every error at `file:line:column` with the field and
/// the value received.
@Suite struct SpecNodeTests {
    static let cases: [InvalidSpec] = [
        InvalidSpec(label: "misspelt top-level key", yaml: minimalText + "\ntrian: {epochs: 3}\n",
                    expected: ["bad.yaml:9:1", "unknown key", "'trian'", "did you mean 'train'?"]),
        InvalidSpec(label: "misspelt nested key", yaml: minimalText.replacingOccurrences(of: "train: {epochs: 2}", with: "train: {epocs: 2}"),
                    expected: ["bad.yaml:8:9", "train.epocs", "did you mean 'epochs'?"]),
        InvalidSpec(label: "wrong type", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: ten"),
                    expected: ["bad.yaml:8:17", "train.epochs", "must be an integer", "'ten'"]),
        InvalidSpec(label: "unknown enum value", yaml: minimalText.replacingOccurrences(of: "maxlen: 20", with: "maxlen: 20, padding: middle"),
                    expected: ["text.padding", "must be one of pre, post", "'middle'"]),
        InvalidSpec(label: "misspelt enum value", yaml: minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, optimizer: {name: rmsprob}"),
                    expected: ["train.optimizer.name", "did you mean 'rmsprop'?"]),
    ]

    @Test(arguments: cases)
    func invalidValueIsRejectedWithPlace(_ c: InvalidSpec) { expectRejected(c) }

    /// `keep` is a MissingValuePolicy case the CSV reader uses internally; the spec never offered
    /// it, and the error lists stay in the spec's order, not the engine enums' declaration order.
    @Test func engineOnlyCasesAreRefusedAndListsKeepTheirOrder() {
        let missing = specError(minimalSeries.replacingOccurrences(of: "delay: 3}", with: "delay: 3, missing: keep}"))
        #expect(missing?.description.contains("must be one of error, drop_row, fill_previous, interpolate") == true, "\(String(describing: missing))")
        let mode = specError(minimalText.replacingOccurrences(of: "train: {epochs: 2}", with: "train: {epochs: 2, early_stopping: {mode: mx}}"))
        #expect(mode?.description.contains("must be one of min, max, auto") == true, "\(String(describing: mode))")
        let html = specError(minimalText.replacingOccurrences(of: "maxlen: 20}", with: "maxlen: 20, html: strip}"))
        #expect(html?.description.contains("must be one of space, keep") == true, "\(String(describing: html))")
        let checkpoint = specError(minimalText.replacingOccurrences(of: "train: {epochs: 2}", with: "train: {epochs: 2, checkpoint: bst}"))
        #expect(checkpoint?.description.contains("must be one of every_epoch, best, none") == true, "\(String(describing: checkpoint))")
        #expect(checkpoint?.description.contains("did you mean 'best'?") == true)
    }

    /// Integers may group digits with `_`; booleans take YAML 1.1's words; anything else names the field.
    @Test func integerAndBooleanSpellings() throws {
        let s = try PipelineSpec.parse(minimalText
            .replacingOccurrences(of: "num_words: 100", with: "num_words: 1_000")
            .replacingOccurrences(of: "input_dim: 100", with: "input_dim: 1_000")
            .replacingOccurrences(of: "- lstm: {units: 4}", with: "- lstm: {units: 4, return_sequences: yes, go_backwards: On}\n  - flatten")
            .replacingOccurrences(of: "train: {epochs: 2}", with: "train: {epochs: 2, shuffle: no}"), file: "t.yaml")
        #expect(s.text?.numWords == 1000 && s.train?.shuffle == false)
        guard case .recurrent(let r)? = s.model?.layers[1].kind else { Issue.record("not recurrent"); return }
        #expect(r.returnSequences && r.goBackwards)
        let e = specError(minimalText.replacingOccurrences(of: "train: {epochs: 2}", with: "train: {epochs: 2, shuffle: maybe}"))
        #expect(e?.description.contains("train.shuffle") == true && e?.description.contains("must be true or false") == true
                && e?.description.contains("'maybe'") == true, "\(String(describing: e))")
    }

    /// A section written as a scalar or a list, and a number that is not finite, are refused at their place.
    @Test func shapesOfValuesAreChecked() {
        let scalar = specError(minimalText.replacingOccurrences(of: "train: {epochs: 2}", with: "train: 5"))
        #expect(scalar?.description.contains("bad.yaml:8:8") == true && scalar?.description.contains("must be a mapping") == true,
                "\(String(describing: scalar))")
        let list = specError(minimalText.replacingOccurrences(of: "source: {url: data.tar.gz}", with: "source: {url: [a, b]}"))
        #expect(list?.description.contains("source.url") == true && list?.description.contains("must be a string") == true
                && list?.description.contains("a list") == true, "\(String(describing: list))")
        let nan = specError(minimalText.replacingOccurrences(of: "epochs: 2", with: "epochs: 2, validation_split: .nan"))
        #expect(nan?.description.contains("train.validation_split") == true && nan?.description.contains("must be a finite number") == true,
                "\(String(describing: nan))")
        let key = specError(minimalText.replacingOccurrences(of: "train: {epochs: 2}", with: "train: {[a]: 2}"))
        #expect(key?.description.contains("keys must be plain strings") == true, "\(String(describing: key))")
    }
}
