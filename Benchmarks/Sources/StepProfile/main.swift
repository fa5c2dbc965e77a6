import Foundation
import Pipeline

// Runs N training steps of one chapter model at the book's shapes, for `perf record`.
//   swift build -c release --product StepProfile && perf record -g .build/release/StepProfile jena-conv1d-gru 30
let args = CommandLine.arguments
let name = args.count > 1 ? args[1] : "imdb-lstm"
let steps = args.count > 2 ? Int(args[2]) ?? 20 : 20
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path
let spec = try PipelineSpec.load(path: root + "/pipelines/\(name).yaml")
let shape = spec.inputShape()
let m = try ModelBuilder.build(spec: spec, inputShape: shape)
var rng = SeededRandom(seed: 1)
let n = 128 * shape.reduce(1, *)
let x: [Float] = spec.task == .text ? (0..<n).map { _ in Float(rng.nextInt(below: 10_000)) } : (0..<n).map { _ in Float(rng.nextGaussian()) }
let y: [Float] = (0..<128).map { _ in spec.task == .text ? Float(rng.nextInt(below: 2)) : Float(rng.nextGaussian()) }
let batch = Batch(x: x, xShape: [128] + shape, y: y, yShape: [128, 1])
let clock = ContinuousClock()
var times: [Double] = []
for s in 0..<steps {
    let start = clock.now
    _ = try m.trainStep(batch, epoch: 0, step: s)
    let d = clock.now - start
    times.append(Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15)
}
times.sort()
print(name, String(format: "min %.1f ms, median %.1f ms", times[0], times[times.count / 2]))
