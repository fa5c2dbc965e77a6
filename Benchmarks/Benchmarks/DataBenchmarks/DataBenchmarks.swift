import Benchmark
import Foundation
import Pipeline

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path
let shared = root + "/../shared/data"

/// A 420,551 × 14 normalised matrix, the size of the full Jena file (synthetic values).
let jenaRows = 420_551
let jenaMatrix: [Float] = {
    var rng = SeededRandom(seed: 3)
    return (0..<(jenaRows * 14)).map { _ in Float(rng.nextGaussian()) }
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .throughput],
                                           timeUnits: .milliseconds, maxDuration: .seconds(20), maxIterations: 10)

    // IMDB end to end on the real archive: gunzip + untar + tokenize + vocabulary + encode + pad + write .npy.
    Benchmark("IMDB prepare, real aclImdb-train.tar.gz (25,000 reviews)") { benchmark in
        for _ in benchmark.scaledIterations {
            let out = NSTemporaryDirectory() + "bench-imdb-\(UUID().uuidString)"
            let filter = try EntryFilter(include: ["aclImdb/train/{pos,neg}/*.txt"])
            let r = try await prepareImdb(source: FileChunks(path: shared + "/aclImdb-train.tar.gz")
                .archiveEntries(source: "aclImdb-train.tar.gz", filter: filter), into: out)
            blackHole(r.splits.count)
            try? FileManager.default.removeItem(atPath: out)
        }
    }

    // The book's generator, a full sequential pass: lookback 1440, step 6, batch 128.
    Benchmark("Jena windows, full sequential pass (420,551 × 14, lookback 1440, step 6, batch 128)",
              configuration: .init(scalingFactor: .one)) { benchmark in
        for _ in benchmark.scaledIterations {
            var g = try BookGenerator(data: jenaMatrix, features: 14, lookback: 1440, delay: 144, minIndex: 0,
                                      maxIndex: nil, batchSize: 128, step: 6, targetColumn: 1)
            var windows = 0
            for _ in 0..<g.stepsPerPass { windows += g.next().size }
            blackHole(windows)
        }
    }

    // The CSV reader on the real raw station export (Latin-1 header, CRLF, -9999 cells).
    Benchmark("CSV read, mpi-roof-2024.csv (2.5 MB, 19,132 rows × 22)") { benchmark in
        for _ in benchmark.scaledIterations {
            var o = CSVReadOptions.jena(source: "mpi-roof-2024.csv")
            o.missing = .interpolate
            let t = try await CSVFile.read(path: shared + "/mpi-roof-2024.csv", options: o)
            blackHole(t.rowCount)
        }
    }
}
