import PipelineCore
import Testing
@testable import PipelineText

@Suite struct VocabularyIndexTests {
    /// keras.datasets.imdb.load_data itself on a small corpus (scripts/goldens/text_imdb_convention.py).
    @Test func matchesKerasImdbLoadData() throws {
        let g = try TestSupport.golden("text_imdb_convention.json")
        let train = g["train"] as! [String], test = g["test"] as! [String]
        let b = VocabularyBuilder()
        train.forEach(b.add)
        #expect(b.vocabulary(index: .imdb()).words == g["words"] as! [String])
        for c in g["cases"] as! [[String: Any]] {
            let a = c["args"] as! [String: Any]
            let index = VocabularyIndex.imdb(
                numWords: a["num_words"] as? Int, skipTop: a["skip_top"] as? Int ?? 0,
                startChar: a.keys.contains("start_char") ? (a["start_char"] as? Int).map(Int32.init) : 1,
                oovChar: a.keys.contains("oov_char") ? (a["oov_char"] as? Int).map(Int32.init) : 2,
                indexFrom: Int32(a["index_from"] as? Int ?? 3))
            let v = b.vocabulary(index: index)
            #expect(train.map { v.encode(text: $0).map(Int.init) } == c["train"] as! [[Int]], "\(a)")
            #expect(test.map { v.encode(text: $0).map(Int.init) } == c["test"] as! [[Int]], "\(a)")
        }
    }

    @Test func documentedIds() {
        let imdb = VocabularyIndex.imdb(numWords: 10)
        #expect(imdb.id(forRank: 0) == 4)      // most frequent word: rank 1 + index_from 3
        #expect(imdb.id(forRank: 5) == 9)
        #expect(imdb.id(forRank: 6) == 2)      // 10 >= num_words → oov
        #expect(imdb.id(forRank: -1) == -1)    // unseen: skipped
        #expect(imdb.startChar == 1)
        let tv = VocabularyIndex.textVectorization(maxTokens: 5)
        #expect(tv.id(forRank: 0) == 2)
        #expect(tv.id(forRank: 2) == 4)
        #expect(tv.id(forRank: 3) == 1)
        #expect(tv.id(forRank: -1) == 1)
        #expect(tv.startChar == nil)
    }

    @Test func validationEchoesValues() {
        #expect(throws: InputError.self) { try VocabularyIndex.imdb(numWords: 0).validate() }
        #expect(throws: InputError.self) { try VocabularyIndex.textVectorization(maxTokens: 2).validate() }
        do { try VocabularyIndex.imdb(skipTop: -3).validate() } catch { #expect("\(error)".contains("-3")) }
        #expect(throws: Never.self) { try VocabularyIndex.imdb(numWords: 10_000).validate() }
    }
}
