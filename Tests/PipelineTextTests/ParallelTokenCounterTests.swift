import PipelineCore
import Testing
@testable import PipelineText

@Suite struct ParallelTokenCounterTests {
    /// 1 and 2 workers give the same counts, and every spilled id decodes to the review's words.
    @Test func workersAgree() throws {
        var rng = SeededRandom(seed: 3)
        let lexicon = (0..<400).map { "w\($0 * 7919 % 1000)" }
        let entries: [(DataEntry, AclImdbPath.Parsed)] = (0..<1_300).map { i in
            let words = (0..<rng.nextInt(below: 40)).map { _ in lexicon[rng.nextInt(below: lexicon.count)] }
            let split: ReviewSplit = i % 5 == 0 ? .test : .train
            return (TestSupport.entry("aclImdb/\(split)/pos/\(i)_9.txt", words.joined(separator: " ")),
                    .init(split: split, label: 1, id: i, rating: 9))
        }
        var ranked: [[String]] = [], counts: [[Int64]] = []
        for workers in [1, 2] {
            let spill = try SpillFile(directory: try TestSupport.temporaryDirectory())
            let c = ParallelTokenCounter(standardization: .init(), spill: spill, workers: workers)
            for (e, p) in entries { try c.add(e, p) }
            try c.flush(); try spill.flush()
            #expect(c.records.map(\.id) == Array(0..<1_300))
            let (table, global) = c.merge()
            let order = VocabularyBuilder.rank(table, limit: nil)
            ranked.append(order.map { table.keyString(Int($0)) })
            counts.append(order.map { table.counts[Int($0)] })
            var ids: [Int32] = []
            for (r, (e, _)) in zip(c.records, entries) {
                try spill.read(offset: r.offset, count: Int(r.length), into: &ids)
                let words = ids.prefix(Int(r.length)).map { table.keyString(Int(global[Int($0)])) }
                #expect(words.joined(separator: " ") == String(decoding: e.data, as: UTF8.self))
            }
        }
        #expect(ranked[0] == ranked[1])
        #expect(counts[0] == counts[1])
    }
}
