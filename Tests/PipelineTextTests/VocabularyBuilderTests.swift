import Foundation
import Testing
import PipelineCore
@testable import PipelineText

@Suite struct VocabularyBuilderTests {
    /// TextVectorization(max_tokens, standardize).adapt(corpus) → get_vocabulary() and ids,
    /// for 4 standardize × 2 html × 2 max_tokens settings.
    @Test func matchesKerasTextVectorization() throws {
        let g = try TestSupport.golden("text_vectorization.json")
        let corpus = g["corpus"] as! [String], queries = g["queries"] as! [String]
        let configs = g["configs"] as! [[String: Any]]
        #expect(configs.count == 16)
        for c in configs {
            let std = TextStandardization(standardize: Standardize(rawValue: c["standardize"] as! String)!,
                                          html: HTMLHandling(rawValue: c["html"] as! String)!)
            let b = VocabularyBuilder(standardization: std)
            for t in corpus { b.add(t) }
            let vocab = b.vocabulary(index: .textVectorization(maxTokens: c["max_tokens"] as? Int))
            let label = "\(std.summary) max_tokens=\(String(describing: c["max_tokens"]))"
            #expect(["", "[UNK]"] + vocab.words == c["vocabulary"] as! [String], "\(label)")
            #expect(corpus.map { vocab.encode(text: $0).map(Int.init) } == c["corpus_ids"] as! [[Int]], "\(label)")
            #expect(queries.map { vocab.encode(text: $0).map(Int.init) } == c["query_ids"] as! [[Int]], "\(label)")
        }
    }

    @Test func tiesAreCountThenBytesDescendingAndOrderFree() {
        let texts = ["b a c a", "ab abc b", "é e z"]
        let b1 = VocabularyBuilder(), b2 = VocabularyBuilder()
        texts.forEach(b1.add)
        texts.reversed().forEach(b2.add)
        let v1 = b1.vocabulary(index: .imdb()), v2 = b2.vocabulary(index: .imdb())
        #expect(v1.words == ["b", "a", "é", "z", "e", "c", "abc", "ab"])
        #expect(v1.counts == [2, 2, 1, 1, 1, 1, 1, 1])
        #expect(v1.words == v2.words)
        #expect(v1.hash == v2.hash)
        #expect(b1.distinctWords == 8)
    }

    /// The prefix-keyed sort against the plain definition (count descending, then bytes
    /// descending) on keys that share long prefixes, differ only past 8 bytes, or hold NUL bytes.
    @Test func rankMatchesTheDefinitionOnAwkwardKeys() {
        let table = TokenTable()
        var rng = SeededRandom(seed: 4)
        let stems: [[UInt8]] = [[], Array("abcdefgh".utf8), Array("abcdefg".utf8), [0x61, 0x00], [0x00], Array("zz".utf8)]
        for _ in 0..<3_000 {
            var key = stems[rng.nextInt(below: stems.count)]
            for _ in 0..<rng.nextInt(below: 4) { key.append([0x00, 0x61, 0x62, 0xFF][rng.nextInt(below: 4)]) }
            if key.isEmpty { key = [0x62] }
            let id = key.withUnsafeBufferPointer { table.insert($0) }
            table.counts[Int(id)] += Int64(1 + rng.nextInt(below: 3))
        }
        let ranked = VocabularyBuilder.rank(table, limit: nil)
        let expected = (0..<Int32(table.count)).sorted { a, b in
            let ca = table.counts[Int(a)], cb = table.counts[Int(b)]
            if ca != cb { return ca > cb }
            return VocabularyBuilder.lexicographicallyGreater(table.key(Int(a)), table.key(Int(b)))
        }
        #expect(table.count > 100)
        #expect(ranked == expected)
        #expect(VocabularyBuilder.rank(table, limit: 7) == Array(expected.prefix(7)))
    }

    @Test func textVectorizationKeepsMaxTokensMinusTwo() {
        let b = VocabularyBuilder()
        b.add("a a a b b c d")
        #expect(b.vocabulary(index: .textVectorization(maxTokens: 4)).words == ["a", "b"])
        #expect(b.vocabulary(index: .textVectorization(maxTokens: 100)).words.count == 4)
    }
}
