import Foundation
import Pipeline
@_spi(Benchmarks) import PipelineTraining

/// The chapter's models at the book's shapes, shared by the TrainingBenchmarks suite and the
/// StepProfile tool so that both measure the same thing.
public enum ChapterModels {
    /// Every pipeline of `pipelines/` that trains a model.
    public static let names = ["imdb-simplernn", "imdb-lstm", "imdb-gru", "imdb-bilstm", "imdb-stacked-simplernn",
                               "jena-dense", "jena-gru", "jena-gru-dropout", "jena-stacked-gru", "jena-bigru", "jena-conv1d-gru"]

    /// The model of `pipelines/NAME.yaml`, built from its YAML, and one synthetic batch of 128 at
    /// its input shape: IMDB 128 × 500 token ids (vocabulary 10,000) with 0/1 targets, Jena
    /// 128 × 240 × 14 Gaussian features (480 steps for Conv1D) with Gaussian targets. Seeded:
    /// the same call gives the same weights and batch.
    public static func model(_ name: String) throws -> (Sequential, Batch) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let spec = try PipelineSpec.load(path: root + "/pipelines/\(name).yaml")
        let shape = spec.inputShape()
        let m = try ModelBuilder.build(spec: spec, inputShape: shape)
        var rng = SeededRandom(seed: 1)
        let n = 128 * shape.reduce(1, *)
        let x: [Float] = spec.text != nil ? (0..<n).map { _ in Float(rng.nextInt(below: 10_000)) }
                                            : (0..<n).map { _ in Float(rng.nextGaussian()) }
        let y: [Float] = (0..<128).map { _ in spec.text != nil ? Float(rng.nextInt(below: 2)) : Float(rng.nextGaussian()) }
        return (m, Batch(x: x, xShape: [128] + shape, y: y, yShape: [128, 1]))
    }

    /// Keeps every recurrent layer of `m` on one thread (the baseline of the two-thread split;
    /// Conv1D, Dense and the fused embedding table still use two threads).
    public static func recurrentOnOneThread(_ m: Sequential) {
        for layer in m.layers {
            if let r = layer as? RecurrentLayer { r.parallelMinBatch = .max }
            if let b = layer as? Bidirectional { b.forwardLayer.parallelMinBatch = .max; b.backwardLayer.parallelMinBatch = .max }
        }
    }
}
