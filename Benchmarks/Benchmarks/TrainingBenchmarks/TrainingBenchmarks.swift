import Benchmark
import Foundation
import Pipeline

/// Milliseconds per training step (forward, backward, RMSprop update) of every model of the
/// chapter, built from its own YAML in pipelines/ at the book's shapes, on synthetic batches:
/// IMDB 128 × 500 token ids (vocabulary 10,000); Jena 128 × 240 × 14 (480 steps for Conv1D).
func model(_ file: String) throws -> (Sequential, Batch) {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    let spec = try PipelineSpec.load(path: root + "/pipelines/\(file).yaml")
    let shape = spec.inputShape()
    let m = try ModelBuilder.build(spec: spec, inputShape: shape)
    var rng = SeededRandom(seed: 1)
    let n = 128 * shape.reduce(1, *)
    let x: [Float] = spec.task == .text ? (0..<n).map { _ in Float(rng.nextInt(below: 10_000)) }
                                        : (0..<n).map { _ in Float(rng.nextGaussian()) }
    let y: [Float] = (0..<128).map { _ in spec.task == .text ? Float(rng.nextInt(below: 2)) : Float(rng.nextGaussian()) }
    return (m, Batch(x: x, xShape: [128] + shape, y: y, yShape: [128, 1]))
}

let models = ["imdb-simplernn", "imdb-lstm", "imdb-gru", "imdb-bilstm", "imdb-stacked-simplernn",
              "jena-dense", "jena-gru", "jena-gru-dropout", "jena-stacked-gru", "jena-bigru", "jena-conv1d-gru"]

/// Keeps every recurrent layer of `m` on one thread (the baseline of the two-thread split; since
/// session 3 Conv1D, Dense and the fused embedding table still use two threads in both variants).
func oneThread(_ m: Sequential) {
    for layer in m.layers {
        if let r = layer as? RecurrentLayer { r.parallelMinBatch = .max }
        if let b = layer as? Bidirectional { b.forwardLayer.parallelMinBatch = .max; b.backwardLayer.parallelMinBatch = .max }
    }
}

/// One benchmark: `trainStep` on a fixed batch of `name`, optionally with the recurrent layers on one thread.
func stepBenchmark(_ name: String, oneThread single: Bool) {
    Benchmark("train step \(name)" + (single ? " (one thread)" : "")) { benchmark in
        let (m, batch) = try model(name)
        if single { oneThread(m) }
        var step = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let r = try m.trainStep(batch, epoch: 0, step: step)
            step += 1
            blackHole(r.loss)
        }
        benchmark.stopMeasurement()
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident],
                                           timeUnits: .milliseconds, warmupIterations: 2,
                                           maxDuration: .seconds(10), maxIterations: 30)
    for name in models { stepBenchmark(name, oneThread: false) }
    // The same steps with the recurrent layers on one thread: the ratio shows the batch split.
    for name in models where name != "jena-dense" { stepBenchmark(name, oneThread: true) }
}
