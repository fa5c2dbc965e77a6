import Testing
import Foundation

/// `mpirun -np N pipeline run` on a model WITH dropout and recurrent dropout: the masks are per
/// sample (PipelineTraining/DropoutStreams.swift), so 2 and 3 ranks train the weights of one
/// process (within 1e-5: only the gradient summation order differs) and a rerun with the same N
/// is bit-identical. Runs the Jena GRU dropout fixture (2 epochs × 6 steps, about a second).
/// Skipped when `mpirun` (openmpi-bin) is not on the PATH.
@Suite(.serialized, .enabled(if: MPI.mpirun != nil, "needs mpirun (apt-get install openmpi-bin libopenmpi-dev)"))
struct DistributedDropoutTests {
    static let spec = "pipelines/fixtures/jena-gru-dropout.yaml"

    /// The largest absolute difference between two weight files' tensors (infinity when their
    /// names or sizes differ).
    static func largestDifference(_ a: [String: [Float]], _ b: [String: [Float]]) -> Float {
        guard a.keys.sorted() == b.keys.sorted(), !a.isEmpty else { return .infinity }
        var worst: Float = 0
        for (name, x) in a {
            let y = b[name] ?? []
            guard x.count == y.count else { return .infinity }
            for (u, v) in zip(x, y) { worst = max(worst, abs(u - v)) }
        }
        return worst
    }

    @Test func ranksWithDropoutTrainTheWeightsOfOneProcess() throws {
        let root = try MPI.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let spec = try String(contentsOfFile: CLI.repoRoot + "/" + Self.spec, encoding: .utf8)
        #expect(spec.contains("recurrent_dropout: 0.2"), "the fixture must keep its dropout for this test to mean anything")
        let plain = try CLI.run(["run", Self.spec, "--output", root + "/plain", "--quiet"])
        #expect(plain.code == 0, "\(plain.stderr)")
        let one = try MPI.tensors(root + "/plain/model.safetensors")

        // 32-sample batches: 16 + 16 on two ranks, 10 + 11 + 11 on three.
        for ranks in [2, 3] {
            let out = root + "/np\(ranks)"
            let r = try MPI.run(ranks, ["run", Self.spec, "--output", out, "--quiet"], tmp: root + "/tmp")
            #expect(r.code == 0, "-np \(ranks): \(r.stderr)")
            let worst = Self.largestDifference(one, try MPI.tensors(out + "/model.safetensors"))
            #expect(worst <= 1e-5, "-np \(ranks): largest weight difference \(worst)")
        }

        // The same N twice: bit-identical.
        let again = try MPI.run(2, ["run", Self.spec, "--output", root + "/np2-again", "--quiet"], tmp: root + "/tmp")
        #expect(again.code == 0, "\(again.stderr)")
        #expect(try MPI.tensors(root + "/np2-again/model.safetensors") == MPI.tensors(root + "/np2/model.safetensors"))
    }
}
