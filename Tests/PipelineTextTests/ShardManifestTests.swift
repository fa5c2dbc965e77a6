import Testing
import Foundation
import PipelineCore
@testable import PipelineText

/// `shards.json`: file names, the JSON written and read back, and a damaged manifest named.
@Suite struct ShardManifestTests {
    @Test func fileNamesHaveFourDigitsOrMore() {
        #expect(ShardManifest.fileName("x", split: .train, shard: 3) == "x_train-0003.npy")
        #expect(ShardManifest.fileName("y", split: .test, shard: 12345) == "y_test-12345.npy")
    }

    @Test func jsonReadsBack() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        let f = { (k: Int, rows: Int) in
            ShardManifest.File(shard: k, rows: rows, x: ShardManifest.fileName("x", split: .train, shard: k), xBytes: 128 + rows * 8,
                               xSHA256: String(repeating: "a", count: 64), y: ShardManifest.fileName("y", split: .train, shard: k),
                               yBytes: 128 + rows * 4, ySHA256: String(repeating: "b", count: 64))
        }
        let m = ShardManifest(shardCount: 2, splits: [.train: [f(0, 3), f(1, 0)]])
        try m.json.write(toFile: dir + "/shards.json", atomically: true, encoding: .utf8)
        #expect(try ShardManifest.read(directory: dir) == m)
        #expect(try ShardManifest.read(directory: dir + "/none") == nil)
        try "{\"format\": \"pipeline-shards\", \"shards\": 1, \"splits\": {\"train\": [{\"shard\": 0, \"x\": \"../x.npy\"}]}}"
            .write(toFile: dir + "/shards.json", atomically: true, encoding: .utf8)
        #expect(throws: IOFailure.self) { _ = try ShardManifest.read(directory: dir) }
    }
}
