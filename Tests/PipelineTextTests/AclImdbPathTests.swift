import PipelineCore
import Testing
@testable import PipelineText

@Suite struct AclImdbPathTests {
    @Test func parsesReviewPaths() throws {
        #expect(try AclImdbPath.parse("aclImdb/train/pos/123_9.txt") == .init(split: .train, label: 1, id: 123, rating: 9))
        #expect(try AclImdbPath.parse("aclImdb/test/neg/0_1.txt") == .init(split: .test, label: 0, id: 0, rating: 1))
        #expect(try AclImdbPath.parse("train/neg/7_10.txt") == .init(split: .train, label: 0, id: 7, rating: 10))
        #expect(try AclImdbPath.parse("./x/aclImdb/test/pos/12499_7.txt")?.id == 12499)
    }

    @Test func skipsEverythingElse() throws {
        for path in ["aclImdb/README", "aclImdb/imdb.vocab", "aclImdb/imdbEr.txt", "aclImdb/train/urls_pos.txt",
                     "aclImdb/train/unsup/1_0.txt", "aclImdb/train/labeledBow.feat", "aclImdb/train/pos/",
                     "aclImdb/train/pos", "aclImdb/valid/pos/1_2.txt", "pos/1_2.txt"] {
            #expect(try AclImdbPath.parse(path) == nil, "\(path)")
        }
    }

    @Test func malformedNameNamesThePath() {
        for bad in ["aclImdb/train/pos/123.txt", "aclImdb/train/pos/a_9.txt", "aclImdb/train/neg/1_2_3.txt",
                    "aclImdb/test/pos/_9.txt", "aclImdb/test/pos/12_-1.txt"] {
            do {
                _ = try AclImdbPath.parse(bad)
                Issue.record("no error for \(bad)")
            } catch let e as InputError {
                #expect(e.description.contains(bad), "\(e)")
                #expect(e.description.contains("ID_RATING"))
            } catch { Issue.record("unexpected \(error)") }
        }
    }
}
