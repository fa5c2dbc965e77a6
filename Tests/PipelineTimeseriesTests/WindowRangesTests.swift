import Testing
@testable import PipelineTimeseries

@Suite struct WindowRangesTests {
    @Test func bookAndFractions() {
        #expect(WindowRanges.book.train == .init(minIndex: 0, maxIndex: 200_000))
        #expect(WindowRanges.book.validation == .init(minIndex: 200_001, maxIndex: 300_000))
        #expect(WindowRanges.book.test == .init(minIndex: 300_001, maxIndex: nil))
        let r = WindowRanges.fractions(train: 0.5, validation: 0.25, rows: 1_000)
        #expect(r.train.maxIndex == 500 && r.validation.minIndex == 501 && r.validation.maxIndex == 750 && r.test.minIndex == 751)
    }
}
