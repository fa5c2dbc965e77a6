import PipelineCore
import Testing
@testable import PipelineText

@Suite struct ImdbPrepareOptionsTests {
    @Test func defaultsAreTheBooks() throws {
        let o = ImdbPrepareOptions()
        #expect(o.index == .imdb(numWords: 10_000))
        #expect(o.maxlen == 500 && o.padding == .pre && o.truncating == .pre && o.value == 0)
        #expect(o.standardization == TextStandardization(standardize: .lowerAndStripPunctuation, html: .space, lowercase: .ascii))
        #expect(o.shuffle && o.seed == 113)
        try o.validate()
    }

    @Test func invalidValuesAreEchoed() {
        var o = ImdbPrepareOptions(); o.index = .textVectorization(maxTokens: 1)
        do { try o.validate(); Issue.record("no error") } catch { #expect("\(error)".contains("max_tokens") && "\(error)".contains("'1'")) }
    }
}
