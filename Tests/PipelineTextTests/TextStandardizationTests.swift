import Foundation
import Testing
@testable import PipelineText

@Suite struct TextStandardizationTests {
    @Test func documentedExamples() {
        #expect(TextStandardization().tokens("Great film!<br />I'd SEE it again.") == ["great", "film", "id", "see", "it", "again"])
        #expect(TextStandardization(standardize: .lower, html: .keep).tokens("A<br />b") == ["a<br", "/>b"])
        #expect(TextStandardization(html: .keep).tokens("A<br />b") == ["abr", "b"])
        #expect(TextStandardization(standardize: .none).tokens("Don't  STOP") == ["Don't", "STOP"])
        #expect(TextStandardization(standardize: .stripPunctuation).tokens("Don't STOP!") == ["Dont", "STOP"])
    }

    @Test func onlyAsciiWhitespaceSplits() {
        let t = TextStandardization().tokens("a\tb\nc\u{0B}d\u{0C}e\rf g\u{A0}h\u{1C}i\u{2028}j")
        #expect(t == ["a", "b", "c", "d", "e", "f", "g\u{A0}h\u{1C}i\u{2028}j"])
        #expect(TextStandardization().tokens("").isEmpty)
        #expect(TextStandardization().tokens("!!! ... ---").isEmpty)
    }

    @Test func lowercaseModes() {
        #expect(TextStandardization().tokens("ÉCOLE Straße") == ["École", "straße"])
        #expect(TextStandardization(lowercase: .utf8).tokens("ÉCOLE ÀÖØÞ ΑΒΓ ПРИВЕТ Ÿ İ") == ["école", "àöøþ", "αβγ", "привет", "ÿ", "i\u{307}"])
        #expect(TextStandardization(standardize: .stripPunctuation, lowercase: .utf8).tokens("ÉCOLE") == ["ÉCOLE"])
    }

    /// The words Keras' TextVectorization derives from each corpus text (recovered from its ids
    /// with its own vocabulary), for every standardize × html setting.
    @Test func matchesKerasTokens() throws {
        let g = try TestSupport.golden("text_vectorization.json")
        let corpus = g["corpus"] as! [String]
        for c in g["configs"] as! [[String: Any]] where c["max_tokens"] is NSNull {
            let vocab = c["vocabulary"] as! [String]
            let std = TextStandardization(standardize: Standardize(rawValue: c["standardize"] as! String)!,
                                          html: HTMLHandling(rawValue: c["html"] as! String)!)
            for (text, ids) in zip(corpus, c["corpus_ids"] as! [[Int]]) {
                #expect(std.tokens(text) == ids.map { vocab[$0] }, "\(std.summary): \(text)")
            }
        }
    }
}
