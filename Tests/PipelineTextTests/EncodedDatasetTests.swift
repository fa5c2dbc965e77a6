import PipelineCore
import Testing
@testable import PipelineText

@Suite struct EncodedDatasetTests {
    @Test func encodesReviewsLikePadSequences() {
        let b = VocabularyBuilder(); b.add("good bad good")
        let v = b.vocabulary(index: .imdb())
        let reviews = [Review(text: "good", label: 1, split: .train, id: 0, rating: 9),
                       Review(text: "bad good bad good", label: 0, split: .train, id: 1, rating: 2)]
        let d = EncodedDataset(reviews: reviews, vocabulary: v, maxlen: 3, padding: .post, truncating: .post)
        #expect(d == EncodedDataset(x: padSequences(reviews.map { v.encode(text: $0.text) }, maxlen: 3,
                                                    padding: .post, truncating: .post).values, y: [1, 0], maxlen: 3))
        #expect(Array(d.row(0)) == [1, 4, 0])
    }

    @Test func loadChecksShapes() throws {
        let dir = try TestSupport.temporaryDirectory()
        try NpyFile.write([Int32](repeating: 1, count: 6), shape: [2, 3], to: dir + "/x_train.npy")
        try NpyFile.write([Int32(0), 1], shape: [2, 1], to: dir + "/y_train.npy")
        let d = try EncodedDataset.load(directory: dir, split: .train)
        #expect(d.count == 2 && d.maxlen == 3)
        try NpyFile.write([Int32(0), 1, 1], shape: [3], to: dir + "/y_test.npy")
        try NpyFile.write([Int32](repeating: 1, count: 6), shape: [2, 3], to: dir + "/x_test.npy")
        do { _ = try EncodedDataset.load(directory: dir, split: .test); Issue.record("no error") } catch {
            #expect("\(error)".contains("y_test.npy") && "\(error)".contains("[3]"))
        }
    }
}
