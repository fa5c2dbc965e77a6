import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C (SIGINT) and SIGTERM during `pipeline run` / `prepare`: a clean stop, the artefacts of
/// what ran, the exact `--resume` command, exit 130 (143 for SIGTERM).
@Suite struct InterruptTests {
    static let spec = "pipelines/fixtures/jena-gru.yaml"

    /// A started `pipeline` process whose standard error is collected while it runs.
    final class Running: @unchecked Sendable {
        let process = Process()
        private let lock = NSLock()
        private var err = Data()

        init(_ args: [String]) throws {
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = args
            process.currentDirectoryURL = URL(fileURLWithPath: CLI.repoRoot)
            process.standardOutput = FileHandle.nullDevice
            let pipe = Pipe()
            process.standardError = pipe
            pipe.fileHandleForReading.readabilityHandler = { [weak self] h in
                let d = h.availableData
                guard let self else { return }
                self.lock.lock(); self.err.append(d); self.lock.unlock()
            }
            try process.run()
        }

        var stderr: String { lock.lock(); defer { lock.unlock() }; return String(decoding: err, as: UTF8.self) }

        /// Waits (at most `seconds`) until `condition` holds or the process ended; returns the condition.
        func wait(seconds: Double = 60, until condition: () -> Bool) -> Bool {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                if condition() { return true }
                if !process.isRunning { return condition() }
                usleep(300)
            }
            return false
        }

        func finish() -> Int32 {
            process.waitUntilExit()
            usleep(50_000)   // the last stderr bytes
            return process.terminationStatus
        }
    }

    static func position(_ dir: String) -> (epoch: Int, step: Int)? {
        guard let s = RunResumeTests.trainingState(dir + "/checkpoint/model.safetensors"),
              let pos = s["position"] as? [String: Any], let e = pos["epoch"] as? Int, let st = pos["step"] as? Int else { return nil }
        return (e, st)
    }

    @Test func sigintStopsAtAStepWritesArtefactsAndThePrintedResumeCommandFinishesTheRun() throws {
        let sets = ["--set", "train.epochs=3", "--set", "train.steps_per_epoch=12", "--set", "train.checkpoint_every_steps=1", "--quiet"]
        let base = NSTemporaryDirectory() + "interrupt-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let full = base + "/full", stopped = base + "/stopped"
        let r = try CLI.run(["run", Self.spec, "--output", full] + sets)
        #expect(r.code == 0, "\(r.stderr)")

        let run = try Running(["run", Self.spec, "--output", stopped] + sets)
        let inEpoch2 = run.wait { Self.position(stopped).map { $0.epoch == 1 && $0.step >= 3 } ?? false }
        try #require(inEpoch2, "the run finished before it could be interrupted")
        kill(run.process.processIdentifier, SIGINT)
        let code = run.finish()
        let err = run.stderr
        #expect(code == 130, "\(err)")
        #expect(err.contains("stopping at the next step boundary"), "\(err)")
        #expect(err.contains("interrupted at epoch 2 of 3"), "\(err)")
        let line = try #require(err.split(separator: "\n").first { $0.hasPrefix("continue with: ") }, "\(err)")
        let command = String(line.dropFirst("continue with: ".count))
        #expect(command.hasSuffix("--resume \(stopped)") && command.contains("--set train.steps_per_epoch=12") && command.contains(Self.spec))
        // What ran: the finished epoch in history.json and report.html, the checkpoint; no final model.
        for f in ["history.json", "history.csv", "report.html", "summary.txt", "checkpoint/model.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: stopped + "/" + f), "\(f) missing")
        }
        #expect(!FileManager.default.fileExists(atPath: stopped + "/model.safetensors"))
        let history = try RunResumeKindsTests.historyValues(stopped)
        #expect((history["loss"] as? [Double])?.count == 1)
        let report = try String(contentsOfFile: stopped + "/report.html", encoding: .utf8)
        #expect(report.contains("interrupted at epoch 2 of 3"))

        // The printed command, run as printed.
        let resumed = try CLI.run(["/bin/sh", "-c", command], shell: true)
        #expect(resumed.code == 0, "\(resumed.stderr)")
        let a = try #require(FileManager.default.contents(atPath: full + "/model.safetensors"))
        let b = try #require(FileManager.default.contents(atPath: stopped + "/model.safetensors"))
        #expect(a == b, "weights after the resume differ from the uninterrupted run")
        #expect(try RunResumeKindsTests.historyValues(full) == RunResumeKindsTests.historyValues(stopped))
    }

    @Test func secondSigintQuitsAtOnceAndTheCheckpointStillResumes() throws {
        // Large batches: a step takes long enough for the second Ctrl-C to land before the stop.
        let sets = ["--set", "train.epochs=2", "--set", "train.steps_per_epoch=40", "--set", "train.batch_size=256",
                    "--set", "train.checkpoint_every_steps=1", "--set", "train.validation_steps=1"]
        let base = NSTemporaryDirectory() + "interrupt2-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let dir = base + "/run"
        let run = try Running(["run", Self.spec, "--output", dir] + sets)
        try #require(run.wait { Self.position(dir) != nil }, "no checkpoint appeared: \(run.stderr)")
        kill(run.process.processIdentifier, SIGINT)
        _ = run.wait(seconds: 10) { run.stderr.contains("stopping at the next step boundary") }
        kill(run.process.processIdentifier, SIGINT)
        let code = run.finish()
        let err = run.stderr
        #expect(code == 130, "\(err)")
        #expect(err.contains("quitting at once"), "\(err)")
        #expect(err.contains("continue with: ") && err.contains("--resume \(dir)"), "\(err)")
        #expect(!err.contains("interrupted at epoch"), "the second Ctrl-C waited for the graceful stop: \(err)")
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: dir).filter { $0.contains(".tmp-\(run.process.processIdentifier)") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func sigtermDuringDataPreparationRemovesTemporariesAndExits143() throws {
        // A FIFO source with no writer: the run blocks reading it, before any training.
        let base = NSTemporaryDirectory() + "interrupt3-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let fifo = base + "/source.csv", out = base + "/out"
        #expect(mkfifo(fifo, 0o600) == 0)
        for (verb, sig) in [("run", SIGTERM), ("prepare", SIGINT)] {
            try? FileManager.default.removeItem(atPath: out)
            let run = try Running([verb, Self.spec, "--output", out, "--source", fifo])
            try #require(run.wait(seconds: 20) { FileManager.default.fileExists(atPath: out + "/spec.yaml") || verb == "prepare" && FileManager.default.fileExists(atPath: out) })
            usleep(200_000)
            // An unfinished temporary of this process, as an AtomicFile write in progress leaves.
            let tmp = out + "/data.npy.tmp-\(run.process.processIdentifier)-7"
            try Data("partial".utf8).write(to: URL(fileURLWithPath: tmp))
            kill(run.process.processIdentifier, sig)
            let code = run.finish()
            let err = run.stderr
            #expect(code == 128 + sig, "\(verb): \(err)")
            #expect(err.contains("removed 1 unfinished temporary file"), "\(verb): \(err)")
            #expect(!FileManager.default.fileExists(atPath: tmp))
            #expect(verb == "prepare" ? err.contains("--overwrite") : err.contains("continue with: ") && err.contains("--resume \(out)"), "\(err)")
        }
    }
}

extension CLI {
    /// Runs `args` through the shell when `shell` (args[0] is the shell), else the pipeline binary.
    static func run(_ args: [String], shell: Bool) throws -> Output {
        guard shell else { return try run(args) }
        return try run(Array(args.dropFirst()), executable: args[0])
    }
}
