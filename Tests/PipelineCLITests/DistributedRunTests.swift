import Testing
import Foundation

/// `mpirun -np 2 pipeline run`: data-parallel training over MPI ranks (RunDistributed.swift,
/// PipelineTraining/DataParallel.swift). Runs the debug binary under Open MPI's launcher on the
/// Jena GRU fixture (no dropout, 2 epochs × 6 steps: about a second of training).
/// Skipped when `mpirun` (openmpi-bin) is not on the PATH.
@Suite(.serialized, .enabled(if: MPI.mpirun != nil, "needs mpirun (apt-get install openmpi-bin libopenmpi-dev)"))
struct DistributedRunTests {
    static let spec = "pipelines/fixtures/jena-gru.yaml"

    @Test func twoRanksTrainTheSameWeightsAsOneProcess() throws {
        let root = try MPI.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plain = try CLI.run(["run", Self.spec, "--output", root + "/plain", "--quiet"])
        #expect(plain.code == 0, "\(plain.stderr)")
        let two = try MPI.run(2, ["run", Self.spec, "--output", root + "/np2", "--quiet"], tmp: root + "/tmp")
        #expect(two.code == 0, "\(two.stderr)")
        // Rank 0 alone prints and writes the run folder; rank 1's scratch folder is gone.
        #expect(two.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("jena-gru-fixture:") }.count == 1, "\(two.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/tmp").isEmpty)
        let runJSON = try String(contentsOfFile: root + "/np2/run.json", encoding: .utf8)
        #expect(runJSON.contains("\"mpi_ranks\": 2") || runJSON.contains("\"mpi_ranks\":2"), "\(runJSON)")

        let a = try MPI.tensors(root + "/plain/model.safetensors"), b = try MPI.tensors(root + "/np2/model.safetensors")
        #expect(a.keys.sorted() == b.keys.sorted() && !a.isEmpty)
        var worst: Float = 0
        for (name, x) in a {
            let y = b[name] ?? []
            #expect(x.count == y.count, "\(name)")
            for (u, v) in zip(x, y) { worst = max(worst, abs(u - v)) }
        }
        #expect(worst <= 1e-5, "largest weight difference \(worst)")
        // The metrics too (summed across ranks inside the step's one allreduce, as Float).
        func history(_ dir: String) throws -> [String: [Double]] {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/history.json"))
            return (try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]).compactMapValues { $0 as? [Double] }
        }
        let h1 = try history(root + "/plain"), h2 = try history(root + "/np2")
        for key in ["loss", "mae", "val_loss", "val_mae"] {
            let a = h1[key] ?? [], b = h2[key] ?? []
            #expect(a.count == 2 && b.count == 2 && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($0)) }, "\(key): \(a) vs \(b)")
        }

        // The same N twice: bit-identical.
        let again = try MPI.run(2, ["run", Self.spec, "--output", root + "/np2-again", "--quiet"], tmp: root + "/tmp")
        #expect(again.code == 0, "\(again.stderr)")
        #expect(try MPI.tensors(root + "/np2-again/model.safetensors") == b)
    }

    /// Every rank killed with SIGKILL after the first mid-epoch checkpoint, then `--resume` under
    /// `mpirun` again: the same weights, bit for bit, as the uninterrupted 2-rank job.
    /// Open MPI starts each rank in its own process group, so killing mpirun's group leaves the
    /// ranks running for a moment (they keep training and checkpointing until they notice mpirun
    /// is gone): the whole session is killed, and the resume starts once none of it runs. (Session
    /// 6's "deadlock" was exactly that: a resumed rank copied a checkpoint the dying job's rank 0
    /// then replaced, so the ranks started at different steps; `RunTrainer.checkSameStart` and the
    /// run-folder lock now turn that into an error, see the next test.)
    @Test(.timeLimit(.minutes(3)))
    func aKilledJobResumesUnderMpirun() async throws {
        let root = try MPI.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // 10 epochs (60 steps, ~3 s in a debug build): the kill lands long before the end even when
        // the machine is busy with other suites.
        let args = [Self.spec, "--quiet", "--set", "train.epochs=10", "--set", "train.checkpoint_every_steps=1"]
        let whole = try MPI.run(2, ["run"] + args + ["--output", root + "/whole"], tmp: root + "/tmp")
        #expect(whole.code == 0, "\(whole.stderr)")

        let run = root + "/killed", checkpoint = run + "/checkpoint/model.safetensors"
        let job = try MPI.start(2, ["run"] + args + ["--output", run], tmp: root + "/tmp", groupFile: root + "/group")
        var waited = 0
        while !(FileManager.default.fileExists(atPath: checkpoint) && FileManager.default.fileExists(atPath: root + "/group")) && waited < 6000 {
            usleep(20_000); waited += 20   // a thread sleep: a Task.sleep can wake late when other suites hold the pool
        }
        let group = try #require(Int32(String(contentsOfFile: root + "/group", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        MPI.killSession(group)
        job.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: checkpoint))
        #expect(!FileManager.default.fileExists(atPath: run + "/model.safetensors"), "the job ended before the kill")

        // A copy resumed with another number of ranks (one process, no mpirun): the same weights
        // up to summation order.
        let copy = root + "/killed-np1"
        try FileManager.default.copyItem(atPath: run, toPath: copy)
        let resumed = try MPI.run(2, ["run"] + args + ["--output", run, "--resume", run], tmp: root + "/tmp")
        #expect(resumed.code == 0, "\(resumed.stderr)")
        let whole2 = try MPI.tensors(root + "/whole/model.safetensors")
        #expect(try MPI.tensors(run + "/model.safetensors") == whole2)

        let single = try CLI.run(["run"] + args + ["--output", copy, "--resume", copy])
        #expect(single.code == 0, "\(single.stderr)")
        var worst: Float = 0
        for (name, x) in try MPI.tensors(copy + "/model.safetensors") {
            for (u, v) in zip(x, whole2[name] ?? []) { worst = max(worst, abs(u - v)) }
        }
        #expect(worst <= 1e-5, "resumed with 1 rank instead of 2: largest weight difference \(worst)")
    }

    @Test func aFailingRankEndsTheJobWithItsMessage() throws {
        let root = try MPI.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let r = try MPI.run(2, ["run", Self.spec, "--output", root + "/run", "--quiet"], tmp: root + "/tmp",
                            environment: ["PIPELINE_MPI_FAIL_RANK": "1"])
        #expect(r.code != 0 && r.code != 124, "exit \(r.code) (124: the job hung until the test's timeout)")
        #expect(r.stderr.contains("rank 1 of 2: error: rank 1: injected failure (PIPELINE_MPI_FAIL_RANK=1)"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root + "/run/model.safetensors"))
    }
}

/// Running the binary under `mpirun` and reading weights back.
enum MPI {
    static let mpirun: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/mpirun" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "mpi-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/tmp", withIntermediateDirectories: true)
        return dir
    }

    /// `timeout 120 mpirun --allow-run-as-root --oversubscribe -np N pipeline ARGS` with TMPDIR
    /// set to `tmp` (where the non-zero ranks make their scratch folders).
    static func run(_ ranks: Int, _ args: [String], tmp: String, environment: [String: String] = [:]) throws -> CLI.Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = ["120", mpirun!, "--allow-run-as-root", "--oversubscribe", "-np", "\(ranks)", CLI.binary] + args
        p.currentDirectoryURL = URL(fileURLWithPath: CLI.repoRoot)
        var env = ProcessInfo.processInfo.environment
        env["TMPDIR"] = tmp
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLI.Output(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// Starts `mpirun … -np N pipeline ARGS` in a new session (`setsid -w sh`), whose process group
    /// id it writes to `groupFile` before the job starts (`kill(-group, …)` ends mpirun and every rank).
    static func start(_ ranks: Int, _ args: [String], tmp: String, groupFile: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        p.arguments = ["-w", "/bin/sh", "-c", "echo $$ > \"$0\"; exec \"$@\"", groupFile,
                       mpirun!, "--allow-run-as-root", "--oversubscribe", "-np", "\(ranks)", CLI.binary] + args
        p.currentDirectoryURL = URL(fileURLWithPath: CLI.repoRoot)
        var env = ProcessInfo.processInfo.environment
        env["TMPDIR"] = tmp
        p.environment = env
        p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// SIGKILL to every process of session `sid` (mpirun and its ranks, which Open MPI puts in
    /// process groups of their own), then waits until none is left (at most 10 s).
    static func killSession(_ sid: Int32) {
        for _ in 0..<500 {
            let alive = sessionMembers(sid)
            if alive.isEmpty { return }
            for pid in alive { kill(pid, SIGKILL) }
            usleep(20_000)
        }
    }

    /// The processes whose session id is `sid` (field 6 of /proc/PID/stat).
    static func sessionMembers(_ sid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name -> Int32? in
            guard let pid = Int32(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")   // state ppid pgrp session …
            guard fields.count > 3, let session = Int32(fields[3]), session == sid else { return nil }
            let state = fields[0]
            return state == "Z" ? nil : pid
        }
    }

    /// The F32 tensors of a safetensors file, by name.
    static func tensors(_ path: String) throws -> [String: [Float]] {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let n = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<8 + n)) as? [String: Any] ?? [:]
        var out: [String: [Float]] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any], entry["dtype"] as? String == "F32",
                  let offsets = entry["data_offsets"] as? [Int] else { continue }
            let data = bytes.subdata(in: 8 + n + offsets[0]..<8 + n + offsets[1])
            out[name] = data.withUnsafeBytes { raw in (0..<(data.count / 4)).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) } }
        }
        return out
    }
}
