import Foundation
import ChapterModels
import Pipeline

// Runs N training steps of one chapter model at the book's shapes, for `perf record`, and prints
// the min and median step time; with `layers`, also each layer's median forward and backward.
//   swift build -c release --product StepProfile && perf record -g .build/release/StepProfile jena-conv1d-gru 30
//   .build/release/StepProfile jena-conv1d-gru 30 layers
let args = CommandLine.arguments
let name = args.count > 1 ? args[1] : "imdb-lstm"
let steps = args.count > 2 ? Int(args[2]) ?? 20 : 20
ProcessTuning.applyForTraining()   // as `pipeline run` does: the heap policy and one OpenBLAS thread
let (m, batch) = try ChapterModels.model(name)
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

// `StepProfile MODEL STEPS layers`: the median forward and backward time of each layer
// (non-fused path: layer by layer, as `Sequential.forward` without embedding fusion).
if args.count > 3, args[3] == "layers" {
    let x = Tensor(shape: batch.xShape, data: batch.x)
    var fwd = [[Double]](repeating: [], count: m.layers.count), bwd = fwd
    func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15 }
    for s in 0..<steps {
        m.zeroGradients()
        var context = ForwardContext(training: true, rng: SeededRandom(seed: UInt64(s)))
        var h = x
        for (i, layer) in m.layers.enumerated() {
            let t0 = clock.now
            h = layer.forward(h, context: &context)
            fwd[i].append(ms(clock.now - t0))
        }
        var g = Tensor(shape: h.shape, data: [Float](repeating: 1e-3, count: h.count))
        for i in stride(from: m.layers.count - 1, through: 0, by: -1) {
            let t0 = clock.now
            g = m.layers[i].backward(g)
            bwd[i].append(ms(clock.now - t0))
            if g.count == 0 { break }
        }
    }
    for (i, layer) in m.layers.enumerated() {
        let f = fwd[i].sorted(), b = bwd[i].sorted()
        print(layer.name.padding(toLength: 28, withPad: " ", startingAt: 0),
              String(format: "fwd %6.2f ms   bwd %6.2f ms", f[f.count / 2], b.isEmpty ? 0 : b[b.count / 2]))
    }
}
