import PipelineCore
import Testing
@testable import PipelineText

@Suite struct VocabularyTests {
    static func vocab(_ index: VocabularyIndex = .imdb(numWords: 6)) -> Vocabulary {
        let b = VocabularyBuilder()
        b.add("the film the plot a film the")
        return b.vocabulary(index: index)
    }

    @Test func encodeFollowsTheConvention() {
        let v = Self.vocab()                      // the(3) film(2) plot(1) a(1): ids 4 5 6 7
        #expect(v.words == ["the", "film", "plot", "a"])
        #expect(v.encode(text: "The FILM, a plot! unknown") == [1, 4, 5, 2, 2])
        #expect(v.id(of: "film") == 5)
        #expect(v.id(of: "plot") == 2)            // 6 >= num_words
        #expect(v.id(of: "nope") == nil)
        let tv = Self.vocab(.textVectorization())
        #expect(tv.encode(text: "the nope plot") == [2, 1, 4])
        #expect(tv.encode(text: "") == [])
    }

    @Test func duplicateWordsAreRejected() {
        #expect(throws: InputError.self) { try Vocabulary(words: ["a", "b", "a"], index: .imdb()) }
    }

    @Test func hashCoversSettingsAndWordsNotCounts() throws {
        let v = Self.vocab()
        let same = try Vocabulary(words: v.words, counts: [9, 9, 9, 9], index: v.index)
        #expect(same.hash == v.hash)
        #expect(same.hash.count == 16)
        #expect(try Vocabulary(words: ["the", "film", "a", "plot"], index: v.index).hash != v.hash)
        #expect(try Vocabulary(words: v.words, index: .imdb(numWords: 7)).hash != v.hash)
        #expect(try Vocabulary(words: v.words, standardization: .init(html: .keep), index: v.index).hash != v.hash)
        // FNV-1a 64 of the canonical text, recomputed independently.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in (v.settingLines + v.words).map({ $0 + "\n" }).joined().utf8 { h ^= UInt64(b); h = h &* 0x100_0000_01b3 }
        #expect(v.contentHash == h)
    }

    @Test func textEncoderAppends() {
        var e = TextEncoder(Self.vocab())
        var out: [Int32] = [99]
        e.encode("film", into: &out)
        #expect(out == [99, 1, 5])
    }
}
