import Testing
import Foundation

/// Ctrl-C (or SIGTERM) reaching the ranks of an `mpirun` job at different moments: the request
/// rides in the next step's allreduce (PipelineTraining/DataParallel.swift), every rank stops
/// at the same step boundary, rank 0 writes the interrupted checkpoint and report, and the job
/// ends with the signal's exit code (RunDistributed.swift), not with an MPI_Abort that could
/// kill rank 0 mid-write. Skipped when `mpirun` (openmpi-bin) is not on the PATH.
@Suite(.serialized, .enabled(if: MPI.mpirun != nil, "needs mpirun (apt-get install openmpi-bin libopenmpi-dev)"))
struct DistributedInterruptTests {
    @Test(.timeLimit(.minutes(3)))
    func aSignalToOneRankStopsEveryRankAtTheSameStep() async throws {
        let root = try MPI.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let run = root + "/run", log = root + "/stderr.txt"
        FileManager.default.createFile(atPath: log, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        p.arguments = ["-w", "/bin/sh", "-c", "echo $$ > \"$0\"; exec \"$@\"", root + "/group",
                       MPI.mpirun!, "--allow-run-as-root", "--oversubscribe", "-np", "2", CLI.binary,
                       "run", DistributedRunTests.spec, "--quiet", "--set", "train.epochs=500", "--output", run]
        p.currentDirectoryURL = URL(fileURLWithPath: CLI.repoRoot)
        var env = ProcessInfo.processInfo.environment
        env["TMPDIR"] = root + "/tmp"
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try p.run()
        // Training is under way once the first epoch's checkpoint exists.
        var waited = 0
        while !FileManager.default.fileExists(atPath: run + "/checkpoint/model.safetensors") && waited < 60_000 {
            try await Task.sleep(for: .milliseconds(20)); waited += 20
        }
        let group = try #require(Int32(String(contentsOfFile: root + "/group", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        let rank1 = try #require(MPI.sessionMembers(group).first { pid in
            let environ = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))) ?? Data()
            return String(decoding: environ, as: UTF8.self).split(separator: "\0").contains("OMPI_COMM_WORLD_RANK=1")
        }, "rank 1's process")
        kill(rank1, SIGINT)   // rank 1 alone: rank 0 learns of it through the next allreduce
        p.waitUntilExit()
        defer { MPI.killSession(group) }
        let stderr = try String(contentsOfFile: log, encoding: .utf8)
        #expect(p.terminationStatus == 130, "exit \(p.terminationStatus): \(stderr)")
        // Rank 0 reports it, naming the run folder (not rank 1 naming its scratch folder), and no rank aborts.
        #expect(stderr.contains("continue with:") && stderr.contains("--resume " + run + "\n"), "rank 0 did not report the interruption: \(stderr)")
        #expect(!stderr.contains("rank 1 of 2") && !stderr.contains("MPI_ABORT") && !stderr.contains("ORTE_ERROR"), "\(stderr)")
        // Rank 0 wrote the interrupted state into the run folder (not only an epoch-end report).
        let summary = (try? String(contentsOfFile: run + "/report.html", encoding: .utf8)) ?? ""
        #expect(summary.contains("continue with pipeline run --resume"), "report.html without the interrupted state")
        #expect(FileManager.default.fileExists(atPath: run + "/checkpoint/model.safetensors"))
        #expect(!FileManager.default.fileExists(atPath: run + "/model.safetensors"), "the 500 epochs cannot have finished")
    }
}
