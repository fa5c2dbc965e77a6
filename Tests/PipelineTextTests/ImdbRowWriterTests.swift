import Testing
import Foundation
import PipelineCore
@testable import PipelineText

/// Pass 2's row writer (ImdbRowWriter.swift): two chunks at a time on two threads, and the
/// split's token and truncation counts summed over every chunk.
@Suite struct ImdbRowWriterTests {
    /// Many chunk pairs, so the helper thread's counts are merged many times: they were once
    /// written into one array from both threads and sometimes lost (meta.json's `tokens` of a
    /// 250,000-review prepare varied from run to run in release builds while the arrays were
    /// right). This debug-build test checks the sums; it did not reproduce that race itself
    /// (`make tsan` is the tool for the race class).
    @Test func tokenAndTruncationCountsCoverEveryChunk() throws {
        let dir = NSTemporaryDirectory() + "rowwriter-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spill = try SpillFile(directory: dir)
        var rng = SeededRandom(seed: 5)
        var rows: [ReviewRecord] = []
        var offset = 0, tokens = 0, truncated = 0
        let maxlen = 12
        for i in 0..<(RowWriter.chunkRows * 20) {
            let n = i % 97 == 0 ? 15 : 6   // chunks of equal work: the two threads finish together
            try spill.append((0..<n).map { _ in Int32(rng.nextInt(below: 10)) })
            rows.append(ReviewRecord(split: .train, label: Int32(i % 2), id: i, offset: offset, length: Int32(n)))
            offset += n; tokens += n
            if n + 1 > maxlen { truncated += 1 }   // + the start character
        }
        try spill.flush()
        var options = ImdbPrepareOptions()
        options.maxlen = maxlen
        for round in 0..<10 {
            let writer = RowWriter(spill: spill, finalId: (0..<10).map { Int32($0 + 3) }, startChar: 1, options: options)
            defer { writer.close() }
            let s = try writer.write(rows, split: .train, x: dir + "/x\(round).npy", y: dir + "/y\(round).npy")
            #expect(s.count == rows.count && s.tokens == tokens && s.truncated == truncated,
                    "round \(round): tokens \(s.tokens) of \(tokens), truncated \(s.truncated) of \(truncated)")
        }
    }
}
