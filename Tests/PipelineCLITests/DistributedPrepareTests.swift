import Testing
import Foundation

/// `mpirun -np 2 pipeline prepare` of a sharded spec (PrepareDistributed.swift): every file
/// byte-identical to a one-process prepare, and a failing rank ending the job with its message
/// and no manifest. Uses the aclImdb fixture's members in 3 tar.gz shards (both splits).
/// Skipped when `mpirun` (openmpi-bin) is not on the PATH.
@Suite(.serialized, .enabled(if: MPI.mpirun != nil, "needs mpirun (apt-get install openmpi-bin libopenmpi-dev)"))
struct DistributedPrepareTests {
    /// `root/part-{0,1,2}.tar.gz` (the fixture's reviews, interleaved) and `root/spec.yaml`.
    static func archiveShards(_ root: String) throws {
        func tar(_ args: [String], cwd: String) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["tar"] + args
            p.currentDirectoryURL = URL(fileURLWithPath: cwd)
            try p.run(); p.waitUntilExit()
            #expect(p.terminationStatus == 0, "tar \(args)")
        }
        try FileManager.default.createDirectory(atPath: root + "/x", withIntermediateDirectories: true)
        try tar(["xzf", CLI.repoRoot + "/fixtures/aclImdb-mini.tar.gz"], cwd: root + "/x")
        let members = (FileManager.default.enumerator(atPath: root + "/x")?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".txt") }.sorted()
        for k in 0..<3 {
            try members.enumerated().filter { $0.offset % 3 == k }.map(\.element).joined(separator: "\n")
                .write(toFile: root + "/list-\(k)", atomically: true, encoding: .utf8)
            try tar(["czf", root + "/part-\(k).tar.gz", "-T", root + "/list-\(k)"], cwd: root + "/x")
        }
        try "name: shards\nseed: 5\nsource: {shards: 'part-*.tar.gz'}\ntext: {num_words: 60, maxlen: null}\n"
            .write(toFile: root + "/spec.yaml", atomically: true, encoding: .utf8)
    }

    @Test func twoRanksWriteTheFilesOfOneProcess() throws {
        let root = try MPI.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.archiveShards(root)
        let out = root + "/out"
        let one = try CLI.run(["prepare", root + "/spec.yaml", "--output", out, "--quiet"])
        #expect(one.code == 0, "\(one.stderr)")
        try FileManager.default.moveItem(atPath: out, toPath: root + "/one")   // same --output: the spec hash in meta.json
        let two = try MPI.run(2, ["prepare", root + "/spec.yaml", "--output", out, "--quiet"], tmp: root + "/tmp")
        #expect(two.code == 0, "\(two.stderr)")
        #expect(two.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("prepared train") }.count == 1, "\(two.stdout)")
        let names = try FileManager.default.contentsOfDirectory(atPath: root + "/one").sorted()
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == names)
        #expect(names.contains("shards.json") && names.contains("x_test-0002.npy") && names.contains(".pipeline-manifest.json"))
        for name in names {
            #expect(FileManager.default.contents(atPath: out + "/" + name) == FileManager.default.contents(atPath: root + "/one/" + name),
                    "\(name) differs between -np 2 and one process")
        }
    }

    @Test func failingRankEndsTheJobWithItsMessage() throws {
        let root = try MPI.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.archiveShards(root)
        let r = try MPI.run(2, ["prepare", root + "/spec.yaml", "--output", root + "/out", "--quiet"], tmp: root + "/tmp",
                            environment: ["PIPELINE_MPI_FAIL_PREPARE_RANK": "1"])
        #expect(r.code != 0 && r.code != 124, "exit \(r.code): \(r.stderr)")   // 124: timeout, a hang
        #expect(r.stderr.contains("rank 1 of 2") && r.stderr.contains("injected failure"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root + "/out/shards.json") && !FileManager.default.fileExists(atPath: root + "/out/meta.json"))
    }
}
