import Testing
import Foundation

/// One writer per output folder (PipelineRun/OutputFolder+Lock.swift): while another process
/// holds the folder's lock, `pipeline prepare`, `pipeline run --overwrite` and `--resume` on it
/// fail at once naming it, and leave it untouched.
@Suite struct FolderLockCLITests {
    @Test func aLockedFolderIsRefusedByPrepareRunAndResume() throws {
        let dir = NSTemporaryDirectory() + "locked-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try CLI.run(["run", "pipelines/fixtures/jena-gru.yaml", "--output", dir, "--quiet", "--set", "train.epochs=1"])
        #expect(first.code == 0, "\(first.stderr)")
        let listing = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        let weights = FileManager.default.contents(atPath: dir + "/model.safetensors")

        let fd = open(dir, O_RDONLY | O_DIRECTORY)
        #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        for args in [["prepare", "pipelines/fixtures/jena-gru.yaml", "--output", dir, "--overwrite"],
                     ["run", "pipelines/fixtures/jena-gru.yaml", "--output", dir, "--overwrite"],
                     ["run", "pipelines/fixtures/jena-gru.yaml", "--resume", dir]] {
            let r = try CLI.run(args + ["--quiet"])
            #expect(r.code == 1 && r.stderr.contains("another pipeline process is writing this folder") && r.stderr.contains(dir),
                    "\(args): exit \(r.code): \(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == listing)
        #expect(FileManager.default.contents(atPath: dir + "/model.safetensors") == weights && weights != nil)
        close(fd)   // released (as when the holder ends, SIGKILL included): the folder is usable again
        let after = try CLI.run(["run", "pipelines/fixtures/jena-gru.yaml", "--output", dir, "--overwrite", "--quiet", "--set", "train.epochs=1"])
        #expect(after.code == 0, "\(after.stderr)")
    }
}
