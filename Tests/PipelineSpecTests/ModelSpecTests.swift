import Testing
import PipelineCore
import PipelineTraining
@testable import PipelineSpec

/// `model:` one single-key mapping per layer, Keras' names, options and defaults.
@Suite struct ModelSpecTests {
    static let cases: [InvalidSpec] = [
        InvalidSpec(label: "unknown layer", yaml: minimalText.replacingOccurrences(of: "- lstm: {units: 4}", with: "- lstn: {units: 4}"),
                    expected: ["bad.yaml:6:5", "unknown layer type", "'lstn'", "did you mean 'lstm'?"]),
        InvalidSpec(label: "layer option misspelt", yaml: minimalText.replacingOccurrences(of: "- lstm: {units: 4}", with: "- lstm: {units: 4, return_sequence: true}"),
                    expected: ["model.1.lstm.return_sequence", "did you mean 'return_sequences'?"]),
        InvalidSpec(label: "dropout rate out of range", yaml: minimalText.replacingOccurrences(of: "- lstm: {units: 4}", with: "- lstm: {units: 4, recurrent_dropout: 1.5}"),
                    expected: ["model.1.lstm.recurrent_dropout", "must be < 1.0", "'1.5'"]),
        InvalidSpec(label: "a GRU-only option on an LSTM", yaml: minimalText.replacingOccurrences(of: "- lstm: {units: 4}", with: "- lstm: {units: 4, reset_after: false}"),
                    expected: ["model.1.lstm.reset_after", "unknown key"]),
        InvalidSpec(label: "recurrent_activation on a SimpleRNN",
                    yaml: minimalText.replacingOccurrences(of: "- lstm: {units: 4}", with: "- simple_rnn: {units: 4, recurrent_activation: sigmoid}"),
                    expected: ["model.1.simple_rnn.recurrent_activation", "unknown key"]),
        InvalidSpec(label: "two layers in one item", yaml: minimalText.replacingOccurrences(of: "- lstm: {units: 4}", with: "- {lstm: {units: 4}, gru: {units: 4}}"),
                    expected: ["bad.yaml:6:", "model.1", "single-key mapping"]),
        InvalidSpec(label: "units missing", yaml: minimalText.replacingOccurrences(of: "- lstm: {units: 4}", with: "- gru: {dropout: 0.1}"),
                    expected: ["model.1.gru.units", "is required"]),
        InvalidSpec(label: "bidirectional around a dense", yaml: minimalText.replacingOccurrences(of: "- lstm: {units: 4}", with: "- bidirectional: {layer: {dense: {units: 4}}}"),
                    expected: ["model.1.bidirectional.layer", "must be one recurrent layer"]),
        InvalidSpec(label: "empty model", yaml: minimalText.replacingOccurrences(of: "model:\n  - embedding: {input_dim: 100, output_dim: 8}\n  - lstm: {units: 4}\n  - dense: {units: 1, activation: sigmoid}", with: "model: []"),
                    expected: ["model", "non-empty list of layers"]),
    ]

    @Test(arguments: cases)
    func invalidLayerIsRejectedWithPlace(_ c: InvalidSpec) { expectRejected(c) }

    @Test func recurrentDefaultsAreKeras() throws {
        let s = try PipelineSpec.parse(minimalText, file: "t.yaml")
        guard case .recurrent(let r)? = s.model?.layers[1].kind else { Issue.record("not recurrent"); return }
        #expect(r.activation == .tanh && r.recurrentActivation == .sigmoid && !r.returnSequences && r.unitForgetBias)
        #expect(r.kind == .lstm && r.units == 4 && !r.goBackwards && r.dropout == 0 && r.recurrentDropout == 0 && r.resetAfter)
    }

    @Test func layerOptionsAreTheEngineTypes() throws {
        let conv = try PipelineSpec.parse(minimalSeries.replacingOccurrences(
            of: "  - flatten", with: "  - conv1d: {filters: 4, kernel_size: 3, padding: same, activation: relu}\n  - bidirectional: {layer: {gru: {units: 2}}, merge_mode: ave}"),
            file: "w.yaml")
        #expect(conv.model?.layers[0].kind == .conv1d(filters: 4, kernelSize: 3, strides: 1, padding: Conv1D.Padding.same, activation: Activation.relu))
        if case .bidirectional(_, let mode)? = conv.model?.layers[1].kind { #expect(mode == Bidirectional.MergeMode.ave) } else { Issue.record("no bidirectional") }
    }

    /// A layer without options may be a bare name; `location` points at its line, and equal
    /// layers compare equal wherever they were written.
    @Test func bareNamesLocationsAndEquality() throws {
        let a = try PipelineSpec.parse(minimalSeries, file: "w.yaml")
        let b = try PipelineSpec.parse("\n\n" + minimalSeries.replacingOccurrences(of: "  - flatten", with: "  - flatten: {}"), file: "w.yaml")
        let la = try #require(a.model?.layers), lb = try #require(b.model?.layers)
        #expect(la[0].kind == .flatten && la[0].typeName == "flatten")
        #expect(la[1].kind == .dense(units: 1, activation: .linear))
        #expect(la[0].location.line == 5 && lb[0].location.line == 7)
        #expect(la == lb)
        let pool = try PipelineSpec.parse(minimalSeries.replacingOccurrences(of: "  - flatten", with: "  - max_pooling1d\n  - flatten"), file: "w.yaml")
        #expect(pool.model?.layers[0].kind == .maxPooling1d(poolSize: 2, strides: nil))
    }
}
