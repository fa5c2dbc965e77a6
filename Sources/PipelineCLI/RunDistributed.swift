import Foundation
import ArgumentParser
import Pipeline
import PipelineDistributed

/// `pipeline run` as one rank of an MPI job (`mpirun -np N pipeline run SPEC`).
///
/// Every rank loads the same spec, prepares the same data and builds the same model; training
/// and evaluation split each batch over the ranks and sum gradients (PipelineTraining's
/// DataParallel.swift). Rank 0 writes the run folder (checkpoints, history, plots, report) and
/// prints the result; the other ranks write into a private scratch folder under `$TMPDIR`
/// (their own copy of the prepared data), removed when they end. With `--resume RUN`, the other
/// ranks read RUN's `spec.yaml`, `checkpoint/` and `data/` (shared storage) into their scratch.
/// Failure: a rank that fails prints its error (`rank R of N: error: …` on ranks other than 0)
/// and calls `MPI_Abort` with the exit code the single-process run would return, which ends
/// every rank of the job.
extension Run {
    func runAsRank(_ job: MPIJob) async -> Never {
        var scratch: String?
        do {
            var options = self.options
            var resume = self.resume
            if job.rank != 0 {
                let dir = try DistributedRun.makeScratch(rank: job.rank)
                scratch = dir
                if let run = resume { try DistributedRun.mirror(runDir: run, into: dir); resume = dir }
                options.output = dir
                options.quiet = true
            } else if let resume {
                options.output = resume
            }
            let spec = try options.load()
            ProcessTuning.applyForTraining()
            // Ranks sharing a node's cores: one thread each unless every rank still has two cores.
            ProcessTuning.trainingThreads = spec.train?.threads
                ?? ProcessTuning.threadsPerRank(localRanks: job.localSize, cores: ProcessInfo.processInfo.activeProcessorCount)
            var runner = PipelineRunner(spec: spec, progress: options.progress, log: options.logger)
            runner.dataParallel = job
            // A sharded source: the ranks prepare it together, each reading its own shards, into
            // one cache entry (the cache on storage every rank sees); otherwise each rank prepares alone.
            if !spec.source.shards.isEmpty { runner.collective = job }
            if job.rank == 0 { options.logger("MPI job: \(job.size) ranks; rank 0 writes \(resume ?? spec.outputDir)") }
            let stop = StopRequest()
            let dir = resume ?? spec.outputDir
            Interrupt.install(stop: stop, outputDir: dir,
                              resumeCommand: Interrupt.resumeCommand(arguments: CommandLine.arguments, runDir: dir))
            try DistributedRun.injectedFailure(rank: job.rank)
            let result = try await runner.run(resume: resume, overwrite: job.rank == 0 ? overwrite : true, stop: stop)
            if job.rank == 0 {
                Console.output(options.json ? result.json.text + "\n" : result.summary + "\n")
                let t = job.traffic
                if t.calls > 0 {
                    let average = Double(t.bytes) / Double(t.calls)
                    let size = average >= 1e6 ? String(format: "%.2f MB", average / 1e6) : String(format: "%.1f kB", average / 1e3)
                    options.logger("MPI: \(t.calls) allreduces on rank 0, \(size) and "
                                   + String(format: "%.2f ms each on average (%.2f s in all, waiting for other ranks included); ",
                                            t.seconds / Double(t.calls) * 1e3, t.seconds)
                                   + "\(ProcessTuning.trainingThreads) thread\(ProcessTuning.trainingThreads == 1 ? "" : "s") per rank")
                }
            }
            DistributedRun.remove(scratch)
            job.finish()
            Foundation.exit(0)
        } catch {
            DistributedRun.remove(scratch)
            if let interrupted = error as? RunInterrupted {
                // Every rank stopped at the same step (the request rode in the step's allreduce):
                // wait until rank 0 has written its checkpoint and report, then end normally; an
                // MPI_Abort here could kill rank 0 mid-write.
                if job.rank == 0 {
                    Console.error("\(interrupted)\ncontinue with: \(Interrupt.resumeCommand(arguments: CommandLine.arguments, runDir: interrupted.runDir))\n")
                }
                let code = Interrupt.exitCode(interrupted.signal ?? SIGINT)
                do { try job.barrier() } catch { job.abort(code: code) }
                job.finish()
                Foundation.exit(code)
            }
            if job.rank != 0 { Console.error("rank \(job.rank) of \(job.size): ") }
            var code = PipelineCommand.report(error)
            if code == 0 { code = 1 }
            job.abort(code: code)
        }
    }
}

/// The non-zero ranks' private folders and the test hook.
enum DistributedRun {
    /// A fresh folder `$TMPDIR/pipeline-rank<R>-XXXXXX` (mkdtemp) for a rank other than 0.
    static func makeScratch(rank: Int) throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/pipeline-rank\(rank)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw IOFailure("cannot create this rank's scratch folder: \(String(cString: strerror(errno)))", path: base,
                            hint: "set TMPDIR to a writable local folder")
        }
        return String(cString: made)
    }

    /// Copies what `--resume` reads from rank 0's run folder (spec.yaml, checkpoint/, and data/
    /// when its preparation finished, i.e. `data/meta.json` exists) into `scratch`.
    static func mirror(runDir: String, into scratch: String) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: runDir + "/spec.yaml") else {
            throw IOFailure("not a run folder (no spec.yaml) as seen from this rank", path: runDir,
                            hint: "--resume under mpirun needs the run folder on storage every node sees")
        }
        try fm.copyItem(atPath: runDir + "/spec.yaml", toPath: scratch + "/spec.yaml")
        if fm.fileExists(atPath: runDir + "/checkpoint") {
            try fm.copyItem(atPath: runDir + "/checkpoint", toPath: scratch + "/checkpoint")
        }
        if fm.fileExists(atPath: runDir + "/data/meta.json") {
            try fm.copyItem(atPath: runDir + "/data", toPath: scratch + "/data")
        }
    }

    static func remove(_ scratch: String?) {
        if let scratch { try? FileManager.default.removeItem(atPath: scratch) }
    }

    /// Tests only: `PIPELINE_MPI_FAIL_RANK=R` makes rank R fail before training, to check that
    /// one failing rank ends the whole job with its message.
    static func injectedFailure(rank: Int) throws {
        guard let value = ProcessInfo.processInfo.environment["PIPELINE_MPI_FAIL_RANK"], Int(value) == rank else { return }
        throw IOFailure("injected failure (PIPELINE_MPI_FAIL_RANK=\(value))", path: "rank \(rank)")
    }
}
