import Testing
@testable import PipelineSpec

/// Suggestions for misspelt keys and values: the closest candidate within a third of the
/// word's length (at least 2 edits), case-insensitive.
@Suite struct DidYouMeanTests {
    @Test func didYouMean() {
        #expect(DidYouMean.suggest("epocs", in: ["epochs", "batch_size"]) == "epochs")
        #expect(DidYouMean.suggest("zzzzzz", in: ["epochs", "batch_size"]) == nil)
    }

    @Test func theClosestWinsAndTiesKeepTheFirst() {
        #expect(DidYouMean.suggest("gru", in: ["lstm", "gru", "dense"]) == "gru")
        #expect(DidYouMean.suggest("denze", in: ["dropout", "dense"]) == "dense")
        #expect(DidYouMean.suggest("ab", in: ["ax", "bb"]) == "ax")
    }

    /// Short words allow 2 edits; a 12-letter word allows 4, not 5.
    @Test func theLimitGrowsWithTheWord() {
        #expect(DidYouMean.suggest("xy", in: ["ab"]) == "ab")
        #expect(DidYouMean.suggest("xyz", in: ["abc"]) == nil)
        #expect(DidYouMean.suggest("batch_sizzzz", in: ["batch_size"]) == "batch_size")     // 3 edits <= 12 / 3
        #expect(DidYouMean.suggest("bxxxh_sizzzz", in: ["batch_size"]) == nil)            // 6 edits > 12 / 3
        #expect(DidYouMean.suggest("EPOCHS", in: ["epochs"]) == "epochs")
    }

    @Test func hintSentence() {
        #expect(DidYouMean.hint("lstn", in: ["lstm", "gru"]) == "did you mean 'lstm'?")
        #expect(DidYouMean.hint("zzzz", in: ["lstm"]) == nil)
    }
}
