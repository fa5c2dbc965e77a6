import Testing
import PipelineCore
@testable import PipelineIO

/// ``ArchiveError``'s message: the place once, the input's own error when the input failed.
@Suite struct ArchiveErrorTests {
    struct Named: Error, CustomStringConvertible { var description: String }

    @Test func anInputErrorThatNamesItsSourceIsNotPrefixedTwice() {
        let url = "http://127.0.0.1:9/data.tar.gz"
        let e = ArchiveError(.input, source: url, message: "the input failed", underlying: Named(description: url + ": stalled: no data for 1 s"))
        #expect(e.description == url + ": stalled: no data for 1 s")
        let inEntry = ArchiveError(.input, source: url, entry: "a/b.txt", message: "the input failed",
                                   underlying: Named(description: url + ": stalled"))
        #expect(inEntry.description == url + ": stalled (while reading entry 'a/b.txt')")
    }

    @Test func otherErrorsKeepThePlaceAndTheCause() {
        let e = ArchiveError(.input, source: "a.tar.gz", entry: "x", message: "the input failed", underlying: Named(description: "network down"))
        #expect(e.description == "a.tar.gz: entry 'x': the input failed: network down")
        let c = ArchiveError(.corrupt, source: "a.tar.gz", message: "corrupt or unsupported archive")
        #expect(c.description == "a.tar.gz: corrupt or unsupported archive")
    }
}
