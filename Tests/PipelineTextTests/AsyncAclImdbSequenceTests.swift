import PipelineCore
import Testing
@testable import PipelineText

@Suite struct AsyncAclImdbSequenceTests {
    @Test func yieldsReviewsAndSkipsTheRest() async throws {
        let entries = [
            TestSupport.entry("aclImdb/README", "readme"),
            TestSupport.entry("aclImdb/imdb.vocab", "the\nand"),
            TestSupport.entry("aclImdb/train/pos/3_8.txt", "Loved it."),
            TestSupport.entry("aclImdb/train/urls_pos.txt", "http://…"),
            TestSupport.entry("aclImdb/train/unsup/5_0.txt", "never used"),
            TestSupport.entry("aclImdb/train/neg/4_2.txt", ""),
            TestSupport.entry("aclImdb/test/pos/1_10.txt", "Test review"),
        ]
        var all: [Review] = []
        for try await r in ArraySource(items: entries).aclImdbReviews() { all.append(r) }
        #expect(all.map(\.id) == [3, 4, 1])
        #expect(all.map(\.label) == [1, 0, 1])
        #expect(all.map(\.rating) == [8, 2, 10])
        #expect(all.map(\.split) == [.train, .train, .test])
        #expect(all[1].text == "")
        #expect(all[0].path == "aclImdb/train/pos/3_8.txt")

        var trainOnly = 0
        for try await _ in ArraySource(items: entries).aclImdbReviews(splits: [.train]) { trainOnly += 1 }
        #expect(trainOnly == 2)
    }

    @Test func invalidUTF8IsReplacedNotFatal() async throws {
        let bytes: [UInt8] = Array("ok ".utf8) + [0xFF, 0xC3] + Array(" end".utf8)
        var got: [Review] = []
        for try await r in ArraySource(items: [DataEntry(path: "aclImdb/train/pos/1_9.txt", data: bytes)]).aclImdbReviews() {
            got.append(r)
        }
        #expect(got.first?.text == "ok \u{FFFD}\u{FFFD} end")
    }

    @Test func tenMegabyteReview() async throws {
        let big = String(repeating: "word ", count: 2_000_000)
        var n = 0
        for try await r in ArraySource(items: [TestSupport.entry("aclImdb/test/neg/9_3.txt", big)]).aclImdbReviews() {
            n = r.text.utf8.count
        }
        #expect(n == 10_000_000)
    }

    @Test func malformedNameStopsWithThePath() async {
        let entries = [TestSupport.entry("aclImdb/train/pos/oops.txt", "x")]
        do {
            for try await _ in ArraySource(items: entries).aclImdbReviews() {}
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("aclImdb/train/pos/oops.txt"))
        }
    }
}
