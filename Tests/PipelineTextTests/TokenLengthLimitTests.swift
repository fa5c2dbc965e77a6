import Foundation
import PipelineCore
import Testing
@testable import PipelineText

/// `maxTokenBytes`: an over-long word is cut (at a character boundary) and counted, never held
/// whole; a 100 MB "word" from a decompression bomb once trapped in `TokenTable`.
@Suite struct TokenLengthLimitTests {
    func words(_ s: TextStandardization, _ text: [UInt8]) -> (words: [[UInt8]], cut: Int) {
        var t = ByteTokenizer(s)
        var out: [[UInt8]] = []
        text.withUnsafeBufferPointer { b in t.forEachToken(in: b) { out.append(Array($0)) } }
        return (out, t.cutTokens)
    }

    @Test func defaultIsKerasForRealWordsAndCutsLongOnes() {
        let s = TextStandardization()
        #expect(s.maxTokenBytes == 1024)
        let long = [UInt8](repeating: 0x41, count: 5000)   // "AAAA…": lowercased, then cut
        let r = words(s, Array("a ".utf8) + long + Array(" b".utf8))
        #expect(r.words == [[0x61], [UInt8](repeating: 0x61, count: 1024), [0x62]])
        #expect(r.cut == 1)
    }

    @Test func aWordOfExactlyTheLimitIsNotCut() {
        let s = TextStandardization(maxTokenBytes: 8)
        let r = words(s, Array("abcdefgh abcdefghi abcd!efgh!i x".utf8))
        #expect(r.words.map { String(decoding: $0, as: UTF8.self) } == ["abcdefgh", "abcdefgh", "abcdefgh", "x"])
        #expect(r.cut == 2)   // deleted punctuation does not count; the letters after it do
    }

    @Test func separatorsAfterACutStillSplit() {
        let s = TextStandardization(maxTokenBytes: 4)
        let r = words(s, Array("abcdefg<br />hij\tklmnop".utf8))
        #expect(r.words.map { String(decoding: $0, as: UTF8.self) } == ["abcd", "hij", "klmn"])
        #expect(r.cut == 2)
    }

    @Test func cutNeverSplitsACharacter() {
        // "é" is 2 bytes; with 7 bytes allowed the word keeps 3 characters (6 bytes), not 3.5.
        let s = TextStandardization(standardize: .none, maxTokenBytes: 7)
        let r = words(s, Array(String(repeating: "é", count: 10).utf8))
        #expect(r.words == [Array("ééé".utf8)])
        // Lowercased two-byte capitals written past the limit are cut back the same way.
        let upper = words(TextStandardization(lowercase: .utf8, maxTokenBytes: 5), Array("ÀÀÀÀ a".utf8))
        #expect(upper.words == [Array("àà".utf8), Array("a".utf8)] && upper.cut == 1)
        // "€" is 3 bytes: 4 allowed keeps one.
        #expect(words(TextStandardization(standardize: .none, maxTokenBytes: 4), Array("€€€".utf8)).words == [Array("€".utf8)])
    }

    @Test func hugeWordUsesOnlyTheLimitInMemory() {
        // 64 MiB in one word: the tokenizer keeps `maxTokenBytes` (+8) of scratch, not 1.5 × input.
        let big = [UInt8](repeating: 0x7A, count: 64 << 20)
        var t = ByteTokenizer(TextStandardization())
        var lengths: [Int] = []
        big.withUnsafeBufferPointer { b in t.forEachToken(in: b) { lengths.append($0.count) } }
        #expect(lengths == [1024] && t.cutTokens == 1)
    }

    @Test func limitIsClampedAndStoredInTheVocabularyOnlyWhenNotDefault() throws {
        #expect(TextStandardization(maxTokenBytes: 0).maxTokenBytes == 4)
        #expect(TextStandardization(maxTokenBytes: 1 << 30).maxTokenBytes == 1 << 20)
        let plain = try Vocabulary(words: ["a"], standardization: TextStandardization(), index: .imdb())
        #expect(!String(decoding: plain.jsonBytes(), as: UTF8.self).contains("max_token_bytes"))
        let custom = try Vocabulary(words: ["a"], standardization: TextStandardization(maxTokenBytes: 64), index: .imdb())
        #expect(custom.hash != plain.hash)
        let dir = try TestSupport.temporaryDirectory()
        try custom.save(to: dir + "/vocab.json")
        let loaded = try Vocabulary.load(from: dir + "/vocab.json")
        #expect(loaded.standardization.maxTokenBytes == 64 && loaded.hash == custom.hash)
        // Encoding for prediction cuts the same way as preparation did.
        var encoder = TextEncoder(try Vocabulary(words: [String(repeating: "x", count: 64)], standardization: TextStandardization(maxTokenBytes: 64),
                                                 index: .textVectorization()))
        #expect(encoder.encode(String(repeating: "x", count: 500)) == [2])
    }

    @Test func preparationCountsAndReportsCutWords() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let giant = String(repeating: "q", count: 3 << 20)   // one 3 MiB word
        let entries = [TestSupport.entry("aclImdb/train/pos/1_9.txt", "good " + giant + " film"),
                       TestSupport.entry("aclImdb/train/neg/2_1.txt", "bad film"),
                       TestSupport.entry("aclImdb/test/pos/3_8.txt", giant)]
        let r = try await prepareImdb(source: ArraySource(items: entries), into: dir)
        #expect(r.tokensCut == 2)
        #expect(r.splits.map(\.tokens) == [5, 1])   // the number of words is Keras' (cut, not skipped)
        #expect(r.vocabulary.words.allSatisfy { $0.utf8.count <= 1024 })
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/meta.json"))) as! [String: Any]
        #expect(meta["tokens_cut"] as? Int == 2 && meta["max_token_bytes"] as? Int == 1024)
    }
}

@Suite struct VocabularyFromInvalidBytesTests {
    @Test func invalidUTF8WordsThatDecodeAlikeAreMergedNotATrap() {
        // 0xFF and 0xFE are different bytes but both decode to U+FFFD; this once hit a `try!`.
        let b = VocabularyBuilder(standardization: TextStandardization(standardize: .none))
        for bytes: [UInt8] in [[0x61, 0xFF], [0x61, 0xFE], [0x61, 0xFE]] {
            bytes.withUnsafeBufferPointer { b.add(bytes: $0) }
        }
        let v = b.vocabulary(index: .imdb())
        #expect(v.words == ["a\u{FFFD}"] && v.counts == [3])
    }
}
