import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `pipeline run --resume` after SIGKILL for the pipeline kinds besides text (RunResumeTests):
/// a timeseries model run, and a baseline-only run (no training: resuming recomputes it).
@Suite struct RunResumeKindsTests {
    /// Per-epoch values of a run folder's history.json without the timings.
    static func historyValues(_ dir: String) throws -> NSDictionary {
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: dir + "/history.json")))
        var o = try #require(json as? [String: Any])
        o["epoch_seconds"] = nil
        return o as NSDictionary
    }

    /// Starts `pipeline ARGS`, SIGKILLs it as soon as `when()` holds, returns whether it was killed.
    static func runAndKill(_ args: [String], when: () -> Bool) throws -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: CLI.repoRoot)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        var killed = false
        while p.isRunning {
            if when() { kill(p.processIdentifier, SIGKILL); killed = true; break }
            usleep(300)
        }
        p.waitUntilExit()
        return killed && p.terminationReason == .uncaughtSignal
    }

    @Test func timeseriesRunKilledMidEpochResumesBitIdentically() throws {
        let spec = "pipelines/fixtures/jena-gru.yaml"
        let sets = ["--set", "train.epochs=3", "--set", "train.steps_per_epoch=12", "--set", "train.checkpoint_every_steps=1", "--quiet"]
        let base = NSTemporaryDirectory() + "resume-ts-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let full = base + "/full", killed = base + "/killed"
        let r = try CLI.run(["run", spec, "--output", full] + sets)
        #expect(r.code == 0, "\(r.stderr)")

        var at: (Int, Int)?
        let wasKilled = try Self.runAndKill(["run", spec, "--output", killed] + sets) {
            guard let s = RunResumeTests.trainingState(killed + "/checkpoint/model.safetensors"),
                  let pos = s["position"] as? [String: Any], let e = pos["epoch"] as? Int, let st = pos["step"] as? Int,
                  e == 1 && st >= 3 else { return false }
            at = (e, st); return true
        }
        #expect(wasKilled)
        let (epoch, step) = try #require(at, "the run finished before it could be killed mid-epoch")
        #expect(epoch == 1 && step < 12)
        #expect(!FileManager.default.fileExists(atPath: killed + "/model.safetensors"))

        // Before the fix: DecodingError.keyNotFound 'baselineMAE' reading data/meta.json.
        let resumed = try CLI.run(["run", spec, "--resume", killed] + sets)
        #expect(resumed.code == 0, "\(resumed.stderr)")
        let a = try #require(FileManager.default.contents(atPath: full + "/model.safetensors"))
        let b = try #require(FileManager.default.contents(atPath: killed + "/model.safetensors"))
        #expect(a == b, "weights after resume differ from the uninterrupted run")
        let va = try Self.historyValues(full), vb = try Self.historyValues(killed)
        #expect(va.count >= 5 && va == vb)
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: killed).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    /// A baseline-only run trains nothing: `--resume` recomputes the data and the baseline into
    /// the folder, which gives the same files whatever point the kill reached.
    @Test func baselineOnlyRunKilledThenResumedGivesIdenticalOutput() throws {
        let spec = "pipelines/fixtures/jena-baseline.yaml"
        let base = NSTemporaryDirectory() + "resume-bl-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let full = base + "/full", killed = base + "/killed", partial = base + "/partial"
        let r = try CLI.run(["run", spec, "--output", full, "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")

        // Killed as early as possible (the folder exists); the run is short, so the kill may also land later.
        _ = try Self.runAndKill(["run", spec, "--output", killed, "--quiet"]) {
            FileManager.default.fileExists(atPath: killed + "/spec.yaml")
        }
        // And the state a kill during the final writes leaves: prepared data, no run.json or report,
        // a stale temporary of the dead process.
        let done = try CLI.run(["run", spec, "--output", partial, "--quiet"])
        #expect(done.code == 0, "\(done.stderr)")
        for f in ["run.json", "report.html", "summary.txt", "history.json"] { try FileManager.default.removeItem(atPath: partial + "/" + f) }
        try Data("half".utf8).write(to: URL(fileURLWithPath: partial + "/report.html.tmp-999999-1"))

        for dir in [killed, partial] {
            let resumed = try CLI.run(["run", spec, "--resume", dir, "--quiet"])
            #expect(resumed.code == 0, "\(resumed.stderr)")
            // The arrays live in the prepared-data cache entry that data.json names; the small files in data/.
            func contents(_ run: String, _ f: String) -> Data? {
                if f.hasPrefix("data/"), let raw = FileManager.default.contents(atPath: run + "/data.json"),
                   let reference = try? JSONSerialization.jsonObject(with: raw) as? [String: Any],
                   let entry = reference["entry"] as? String,
                   let d = FileManager.default.contents(atPath: entry + "/" + f.dropFirst(5)) { return d }
                return FileManager.default.contents(atPath: run + "/" + f)
            }
            for f in ["data/data.npy", "data/meta.json", "data/windows.json", "data/normalization.json",
                      "history.json", "summary.txt"] {
                let a = contents(full, f), b = contents(dir, f)
                #expect(a != nil, "\(full): no \(f)")
                #expect(a == b, "\(dir)/\(f) differs from the uninterrupted run's")
            }
            let runA = try String(contentsOfFile: full + "/run.json", encoding: .utf8).replacingOccurrences(of: full, with: "DIR")
            let runB = try String(contentsOfFile: dir + "/run.json", encoding: .utf8).replacingOccurrences(of: dir, with: "DIR")
            #expect(runA == runB)
            let reportA = try String(contentsOfFile: full + "/report.html", encoding: .utf8).replacingOccurrences(of: full, with: "DIR")
            let reportB = try String(contentsOfFile: dir + "/report.html", encoding: .utf8).replacingOccurrences(of: dir, with: "DIR")
            #expect(reportA == reportB)
            let leftovers = try FileManager.default.subpathsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
            #expect(leftovers.isEmpty, "\(leftovers)")
        }
    }
}
