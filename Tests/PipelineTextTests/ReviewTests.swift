import Testing
@testable import PipelineText

@Suite struct ReviewTests {
    @Test func splitNamesAreTheFolderNames() {
        #expect(ReviewSplit.allCases.map(\.rawValue) == ["train", "test"])
        let r = Review(text: "t", label: 1, split: .test, id: 4, rating: 8)
        #expect(r.path == "" && r == Review(text: "t", label: 1, split: .test, id: 4, rating: 8, path: ""))
    }
}
