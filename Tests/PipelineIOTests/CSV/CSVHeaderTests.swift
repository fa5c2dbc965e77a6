import PipelineCore
import Testing
@testable import PipelineIO

@Suite struct CSVHeaderTests {
    @Test func decodesUTF8OrLatin1() {
        let utf8 = CSVHeader(fields: [Array("µ".utf8)], encoding: .auto, hadBOM: false)
        #expect(utf8.names == ["µ"] && utf8.encoding == .utf8)
        let latin1 = CSVHeader(fields: [[0xB5]], encoding: .auto, hadBOM: false)
        #expect(latin1.names == ["µ"] && latin1.encoding == .latin1)
    }

    @Test func didYouMean() {
        let names = ["Date Time", "p (mbar)", "T (degC)", "Tpot (K)"]
        #expect(CSVHeader.closest(to: "t (degc)", in: names) == "T (degC)")
        #expect(CSVHeader.closest(to: "Tpot", in: names) == "Tpot (K)")
        #expect(CSVHeader.closest(to: "humidity", in: names) == nil)
    }

    @Test func unknownNameErrorListsColumns() {
        let h = CSVHeader(fields: [Array("a".utf8), Array("bb".utf8)], encoding: .utf8, hadBOM: false)
        #expect(throws: InputError.self) { try h.index(of: "zzzzzz", field: "columns", source: "f.csv") }
        do { _ = try h.index(of: "zzzzzz", field: "columns", source: "f.csv") } catch let e as InputError {
            #expect(e.description == "f.csv:1: columns: unknown column, received 'zzzzzz' (columns are 'a', 'bb')")
        } catch {}
    }
}
