import Foundation
import ArgumentParser
import Pipeline
import PipelineDistributed

/// `pipeline prepare` as one rank of an MPI job (`mpirun -np N pipeline prepare SPEC`).
///
/// A spec with `source.shards`: rank r reads the shards k with k % N == r, the ranks merge
/// their word counts into one vocabulary and each writes its own shards' files into the output
/// folder, which must be on storage every rank sees; rank 0 prepares the folder first and writes
/// `vocab.json`, `meta.json` and `shards.json` last (PipelineRun's PipelineRunner+Shards.swift).
/// The files are byte-identical to a one-process `pipeline prepare SPEC`. Rank 0 alone prints
/// progress and the result; the other ranks print only their warnings and errors.
/// A spec without shards is prepared by rank 0 alone (the other ranks have nothing to do).
/// Failure: a rank that fails prints its error (`rank R of N: error: …` on ranks other than 0)
/// and calls `MPI_Abort` with the exit code a one-process prepare would return, which ends
/// every rank; the shard files it wrote are removed, those of ranks ended meanwhile may stay
/// (listed in the folder's `.pipeline-manifest.json`, so `--overwrite` removes them), and with no
/// `shards.json` the folder is never read as prepared data.
extension Prepare {
    func prepareAsRank(_ job: MPIJob) async -> Never {
        do {
            var options = self.options
            if job.rank != 0 { options.quiet = true }
            let spec = try options.load()
            let rank = job.rank
            var log = options.logger
            if rank != 0 { log = { line in Console.error("rank " + String(rank) + ": " + line + "\n") } }
            var runner = PipelineRunner(spec: spec, progress: options.progress, log: log)
            if spec.source.shards.isEmpty {
                if job.rank == 0 {
                    options.logger("MPI job: \(job.size) ranks; the source has no shards, so rank 0 prepares it alone")
                    let result = try await runner.prepare(overwrite: overwrite)
                    Console.output(options.json ? result.json.text + "\n" : result.summary + "\n")
                }
                job.finish()
                Foundation.exit(0)
            }
            runner.collective = job
            if job.rank == 0 {
                options.logger("MPI job: \(job.size) ranks over \(spec.source.shards.count) shards; writing \(spec.outputDir)")
                Interrupt.install(stop: StopRequest(), outputDir: spec.outputDir, resumeCommand: nil)
            }
            try PrepareFailureHook.inject(rank: job.rank)
            let result = try await runner.prepare(overwrite: overwrite)
            if job.rank == 0 { Console.output(options.json ? result.json.text + "\n" : result.summary + "\n") }
            job.finish()
            Foundation.exit(0)
        } catch {
            if job.rank != 0 { Console.error("rank \(job.rank) of \(job.size): ") }
            var code = PipelineCommand.report(error)
            if code == 0 { code = 1 }
            job.abort(code: code)
        }
    }
}

/// Tests only: `PIPELINE_MPI_FAIL_PREPARE_RANK=R` makes rank R of a distributed prepare fail
/// before reading its shards, to check that one failing rank ends the whole job with its message.
enum PrepareFailureHook {
    static func inject(rank: Int) throws {
        guard let value = ProcessInfo.processInfo.environment["PIPELINE_MPI_FAIL_PREPARE_RANK"], Int(value) == rank else { return }
        throw IOFailure("injected failure (PIPELINE_MPI_FAIL_PREPARE_RANK=\(value))", path: "rank \(rank)")
    }
}
