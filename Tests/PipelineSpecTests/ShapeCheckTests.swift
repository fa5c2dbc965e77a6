import Testing
import PipelineCore
@testable import PipelineSpec

/// Static shape inference with Keras' rules: a model whose layers do not chain is refused
/// before any data is read, naming the layer that cannot take the shape and the one that made it.
@Suite struct ShapeCheckTests {
    static let cases: [InvalidSpec] = [
        InvalidSpec(label: "shapes do not chain", yaml: minimalText.replacingOccurrences(of: "- lstm: {units: 4}", with: "- lstm: {units: 4}\n  - gru: {units: 4}"),
                    expected: ["bad.yaml:7:5", "model.2 (gru)", "model.1 (lstm)", "(None, 4)", "return_sequences"]),
        InvalidSpec(label: "model output not one unit", yaml: minimalText.replacingOccurrences(of: "{units: 1, activation: sigmoid}", with: "{units: 3}"),
                    expected: ["model outputs (None, 3)", "needs (None, 1)"]),
        InvalidSpec(label: "embedding smaller than vocabulary", yaml: minimalText.replacingOccurrences(of: "input_dim: 100", with: "input_dim: 50"),
                    expected: ["model.0.embedding.input_dim", "smaller than text.num_words 100"]),
        InvalidSpec(label: "kernel longer than the window", yaml: minimalSeries.replacingOccurrences(of: "  - flatten", with: "  - conv1d: {filters: 2, kernel_size: 7}\n  - flatten"),
                    expected: ["model.0 (conv1d)", "(None, 6, 14)", "the timeseries windows", "kernel_size 7 is longer than the 6 steps"]),
        InvalidSpec(label: "embedding outside the text task", yaml: minimalSeries.replacingOccurrences(of: "  - flatten", with: "  - embedding: {output_dim: 4}"),
                    expected: ["model.0 (embedding)", "Embedding needs (None, timesteps) token ids"]),
        InvalidSpec(label: "recurrent layer after dense on tokens", yaml: minimalText.replacingOccurrences(of: "- embedding: {input_dim: 100, output_dim: 8}", with: "- dense: {units: 8}"),
                    expected: ["model.1 (lstm)", "(None, 8)", "model.0 (dense), which outputs (None, 8)"]),
    ]

    @Test(arguments: cases)
    func layersThatDoNotChainAreRefused(_ c: InvalidSpec) { expectRejected(c) }

    /// The shape a layer produced, read from the error of a layer that cannot take it: the error
    /// names the producer and its Keras shape.
    /// The probe is an embedding (which refuses 2-D inputs) or, for 1-D outputs, a GRU.
    func producedShape(_ layers: String, probe: String = "embedding: {input_dim: 3, output_dim: 2}") -> String? {
        let yaml = minimalSeries.replacingOccurrences(of: "  - flatten\n  - dense: {units: 1}", with: layers + "\n  - " + probe)
        guard let e = specError(yaml)?.description, let r = e.range(of: "which outputs ") else { return nil }
        return String(e[r.upperBound...].prefix { $0 != ":" })
    }

    /// Keras' output shapes: Conv1D valid and same padding with strides, pooling, bidirectional
    /// concat (twice the units) and sum, return_sequences, GlobalMaxPooling1D; the window is
    /// (lookback / step, features) = (6, 14).
    @Test func shapesFollowKerasRules() {
        #expect(producedShape("  - conv1d: {filters: 5, kernel_size: 3}") == "(None, 4, 5)")
        #expect(producedShape("  - conv1d: {filters: 5, kernel_size: 3, strides: 2}") == "(None, 2, 5)")
        #expect(producedShape("  - conv1d: {filters: 5, kernel_size: 3, strides: 4, padding: same}") == "(None, 2, 5)")
        #expect(producedShape("  - max_pooling1d: {pool_size: 2}") == "(None, 3, 14)")
        #expect(producedShape("  - max_pooling1d: {pool_size: 3, strides: 1}") == "(None, 4, 14)")
        #expect(producedShape("  - global_max_pooling1d", probe: "gru: {units: 1}") == "(None, 14)")
        #expect(producedShape("  - bidirectional: {layer: {lstm: {units: 3}}}", probe: "gru: {units: 1}") == "(None, 6)")
        #expect(producedShape("  - bidirectional: {layer: {lstm: {units: 3, return_sequences: true}}, merge_mode: sum}") == "(None, 6, 3)")
        #expect(producedShape("  - gru: {units: 7, return_sequences: true}\n  - dropout: {rate: 0.5}") == "(None, 6, 7)")
        #expect(producedShape("  - dense: {units: 9}") == "(None, 6, 9)")
    }

    @Test func inputShapeOfEachTask() throws {
        #expect(try PipelineSpec.parse(minimalText, file: "t.yaml").inputShape() == [20])
        let series = try PipelineSpec.parse(minimalSeries, file: "w.yaml")
        #expect(series.inputShape() == [6, 14] && series.inputShape(features: 3) == [6, 3])
        let odd = try PipelineSpec.parse(minimalSeries.replacingOccurrences(of: "lookback: 12, step: 2", with: "lookback: 7, step: 3"), file: "w.yaml")
        #expect(odd.inputShape(features: 2) == [3, 2])     // ceil(7 / 3) rows per window, as range(i - lookback, i, step)
        #expect(PipelineSpec.keras([500, 32]) == "(None, 500, 32)" && PipelineSpec.keras([]) == "(None)")
    }
}
