import Benchmark
import Foundation
import ChapterModels
import Pipeline

// Milliseconds per training step (forward, backward, RMSprop update) of every model of the
// chapter, built from its own YAML in pipelines/ at the book's shapes, on synthetic batches
// (ChapterModels).

/// One benchmark: `trainStep` on a fixed batch of `name`, optionally with the recurrent layers on one thread.
func stepBenchmark(_ name: String, oneThread single: Bool) {
    Benchmark("train step \(name)" + (single ? " (one thread)" : "")) { benchmark in
        let (m, batch) = try ChapterModels.model(name)
        if single { ChapterModels.recurrentOnOneThread(m) }
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
    ProcessTuning.applyForTraining()   // as `pipeline run` does: the heap policy and one OpenBLAS thread
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident],
                                           timeUnits: .milliseconds, warmupIterations: 2,
                                           maxDuration: .seconds(10), maxIterations: 30)
    for name in ChapterModels.names { stepBenchmark(name, oneThread: false) }
    // The same steps with the recurrent layers on one thread: the ratio shows the batch split.
    for name in ChapterModels.names where name != "jena-dense" { stepBenchmark(name, oneThread: true) }
}
