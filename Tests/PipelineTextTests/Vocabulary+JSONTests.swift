import Foundation
import PipelineCore
import Testing
@testable import PipelineText

@Suite struct VocabularyJSONTests {
    @Test func roundTripsEverySetting() throws {
        let dir = try TestSupport.temporaryDirectory()
        let b = VocabularyBuilder(standardization: .init(standardize: .none, html: .keep, lowercase: .utf8))
        b.add("say \"hi\" back\\slash tab\u{1}ctl café 😀 say")
        for index in [VocabularyIndex.imdb(numWords: 5, skipTop: 1, startChar: nil, oovChar: 3, indexFrom: 2),
                      .textVectorization(maxTokens: 5), .textVectorization(), .imdb()] {
            let v = b.vocabulary(index: index)
            try v.save(to: dir + "/vocab.json")
            let w = try Vocabulary.load(from: dir + "/vocab.json")
            #expect(w.words == v.words)
            #expect(w.counts == v.counts)
            #expect(w.index == v.index)
            #expect(w.standardization == v.standardization)
            #expect(w.hash == v.hash)
            #expect(w.encode(text: "say café 😀 x") == v.encode(text: "say café 😀 x"))
        }
        // Python reads it as ordinary JSON.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/vocab.json"))) as! [String: Any]
        #expect((json["words"] as! [String]).first == "say")
        #expect(json["index"] as? String == "imdb")
    }

    @Test func editedFileFailsTheHashCheck() throws {
        let dir = try TestSupport.temporaryDirectory()
        let b = VocabularyBuilder(); b.add("a b b")
        try b.vocabulary(index: .imdb()).save(to: dir + "/vocab.json")
        var text = try String(contentsOfFile: dir + "/vocab.json", encoding: .utf8)
        text = text.replacingOccurrences(of: "\"num_words\": null", with: "\"num_words\": 3")
        try text.write(toFile: dir + "/vocab.json", atomically: true, encoding: .utf8)
        do {
            _ = try Vocabulary.load(from: dir + "/vocab.json")
            Issue.record("no error")
        } catch let e as InputError {
            #expect(e.description.contains("hash mismatch"))
            #expect(e.description.contains(dir + "/vocab.json"))
        }
    }

    @Test func badFilesNameThePath() throws {
        let dir = try TestSupport.temporaryDirectory()
        #expect(throws: IOFailure.self) { try Vocabulary.load(from: dir + "/missing.json") }
        try "{\"format\": \"pipeline-text-vocabulary\", \"standardize\": \"upper\"}".write(toFile: dir + "/v.json", atomically: true, encoding: .utf8)
        do { _ = try Vocabulary.load(from: dir + "/v.json") } catch { #expect("\(error)".contains("upper")) }
        try "{not json".write(toFile: dir + "/w.json", atomically: true, encoding: .utf8)
        do { _ = try Vocabulary.load(from: dir + "/w.json") } catch { #expect("\(error)".contains(dir + "/w.json")) }
    }
}
