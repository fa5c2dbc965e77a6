import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `pipeline run --resume` after the process was killed with SIGKILL in the middle of an epoch.
@Suite struct RunResumeTests {
    static let spec = "pipelines/fixtures/imdb-gru.yaml"
    /// 256 training reviews in batches of 4: 64 steps per epoch, a checkpoint after each one.
    static let sets = ["--set", "train.epochs=3", "--set", "train.batch_size=4", "--set", "train.checkpoint_every_steps=1", "--quiet"]

    /// The `training_state` JSON in a checkpoint's safetensors header (nil while it is absent
    /// or being replaced).
    static func trainingState(_ path: String) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: path), data.count > 8 else { return nil }
        let n = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        guard data.count >= 8 + n,
              let header = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + n))) as? [String: Any],
              let meta = header["__metadata__"] as? [String: String], let state = meta["training_state"],
              let json = try? JSONSerialization.jsonObject(with: Data(state.utf8)) as? [String: Any] else { return nil }
        return json
    }

    @Test func sigkillMidEpochThenResumeGivesBitIdenticalWeights() throws {
        let base = NSTemporaryDirectory() + "resume-\(UUID().uuidString)"
        let full = base + "/full", killed = base + "/killed"
        let r = try CLI.run(["run", Self.spec, "--output", full] + Self.sets)
        #expect(r.code == 0, "\(r.stderr)")

        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["run", Self.spec, "--output", killed] + Self.sets
        p.currentDirectoryURL = URL(fileURLWithPath: CLI.repoRoot)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Kill it once the checkpoint says it is inside epoch 2 (0-based 1), a few steps in.
        var killedAt: (Int, Int)?
        while p.isRunning {
            if let s = Self.trainingState(killed + "/checkpoint/model.safetensors"),
               let pos = s["position"] as? [String: Any], let e = pos["epoch"] as? Int, let st = pos["step"] as? Int,
               e == 1 && st >= 5 {
                kill(p.processIdentifier, SIGKILL)
                killedAt = (e, st)
                break
            }
            usleep(500)
        }
        p.waitUntilExit()
        let (epoch, step) = try #require(killedAt, "the run finished before it could be killed mid-epoch")
        #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGKILL)
        #expect(epoch == 1 && step < 64)
        #expect(!FileManager.default.fileExists(atPath: killed + "/model.safetensors"))   // no final model yet

        let resumed = try CLI.run(["run", Self.spec, "--resume", killed] + Self.sets)
        #expect(resumed.code == 0, "\(resumed.stderr)")
        let a = try #require(FileManager.default.contents(atPath: full + "/model.safetensors"))
        let b = try #require(FileManager.default.contents(atPath: killed + "/model.safetensors"))
        #expect(a == b, "weights after resume differ from the uninterrupted run")
        // The same per-epoch losses and metrics (only the timings differ).
        func values(_ dir: String) throws -> NSDictionary? {
            let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: dir + "/history.json")))
            guard var o = json as? [String: Any] else { return nil }
            o["epoch_seconds"] = nil
            return o as NSDictionary
        }
        let valuesA = try #require(try values(full)), valuesB = try #require(try values(killed))
        #expect(valuesA.count >= 4 && valuesA == valuesB)
        // No temporary file is left under a final name's prefix in the run folder.
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: killed).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        try? FileManager.default.removeItem(atPath: base)
    }

    @Test func unusableOutputFolderFailsBeforeTraining() throws {
        let file = try CLI.temp("not-a-folder", "x")
        let r = try CLI.run(["run", Self.spec, "--output", file + "/run", "--quiet"])
        #expect(r.code == 1)
        #expect(r.stderr.contains(file + "/run") && r.stderr.contains("cannot create the output folder"), "\(r.stderr)")
        #expect(!r.stderr.contains("Epoch 1"))
    }
}
