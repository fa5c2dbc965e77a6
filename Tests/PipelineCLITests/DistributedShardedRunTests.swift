import Testing
import Foundation

/// `mpirun -np 2 pipeline run` of a sharded spec (PipelineRunner+DataCacheTogether.swift): the
/// ranks prepare the shards together into ONE entry of the prepared-data cache, which a later
/// one-process run of the same spec finds, and train to the weights of a one-process run.
/// Skipped when `mpirun` (openmpi-bin) is not on the PATH.
@Suite(.serialized, .enabled(if: MPI.mpirun != nil, "needs mpirun (apt-get install openmpi-bin libopenmpi-dev)"))
struct DistributedShardedRunTests {
    @Test func ranksPrepareTheShardsTogetherIntoOneCacheEntry() throws {
        let root = try MPI.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try DistributedPrepareTests.archiveShards(root)
        try """
        name: shards-run
        seed: 5
        source: {shards: 'part-*.tar.gz'}
        text: {num_words: 60, maxlen: 40}
        model:
          - embedding: {input_dim: 60, output_dim: 4}
          - simple_rnn: {units: 4}
          - dense: {units: 1, activation: sigmoid}
        train: {epochs: 2, batch_size: 8}

        """.write(toFile: root + "/run.yaml", atomically: true, encoding: .utf8)
        let cache = root + "/cache"
        let two = try MPI.run(2, ["run", root + "/run.yaml", "--output", root + "/np2", "--cache-dir", cache, "--quiet"], tmp: root + "/tmp")
        #expect(two.code == 0, "\(two.stderr)")
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache + "/prepared").filter { !$0.hasPrefix(".") }
        #expect(entries.count == 1, "\(entries)")
        let entry = cache + "/prepared/" + (entries.first ?? "")
        let manifest = try String(contentsOfFile: entry + "/entry.json", encoding: .utf8)
        #expect(manifest.contains("prepared by 2 ranks"), "\(manifest)")
        #expect(FileManager.default.fileExists(atPath: entry + "/shards.json") && FileManager.default.fileExists(atPath: entry + "/x_train-0002.npy"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache + "/prepared").filter { $0.hasPrefix(".tmp-") }.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/tmp").filter { $0.hasPrefix("pipeline-rank") }.isEmpty)

        // One process, same spec and cache: the same entry, nothing prepared again, weights within 1e-5.
        let one = try CLI.run(["run", root + "/run.yaml", "--output", root + "/np1", "--cache-dir", cache])
        #expect(one.code == 0, "\(one.stderr)")
        #expect(one.stderr.contains("found in the cache"), "\(one.stderr)")
        let a = try MPI.tensors(root + "/np1/model.safetensors"), b = try MPI.tensors(root + "/np2/model.safetensors")
        #expect(!a.isEmpty && a.keys.sorted() == b.keys.sorted())
        var worst: Float = 0
        for (name, x) in a { for (u, v) in zip(x, b[name] ?? []) { worst = max(worst, abs(u - v)) } }
        #expect(worst <= 1e-5, "largest weight difference \(worst)")
    }
}
