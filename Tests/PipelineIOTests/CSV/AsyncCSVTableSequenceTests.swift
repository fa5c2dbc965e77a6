import Foundation
import PipelineCore
import Testing
@testable import PipelineIO

@Suite struct AsyncCSVTableSequenceTests {
    let jena = CSVReadOptions.jena(source: "t.csv")

    @Test func parsesQuotedHeaderTimestampsAndValues() async throws {
        let csv = "\"Date Time\",\"p (mbar)\",\"T (degC)\"\n01.01.2017 00:00:00,996.5,-3.25\n01.01.2017 00:10:00,996.25,1e1"
        let t = try await table(csv, jena)
        #expect(t.columns == ["p (mbar)", "T (degC)"])
        #expect(t.columnNumbers == [2, 3])
        #expect(t.values == [996.5, -3.25, 996.25, 10])
        #expect(t.timestamps == [1_483_228_800, 1_483_229_400])
        #expect(t.lines == [2, 3])
    }

    @Test func anyChunkingGivesTheSameTable() async throws {
        let csv = "a,\"b \"\"x\"\"\",c\r\n1,\"2\",3\r\n\r\n4,5,\"6\"\r\n7,8,9"
        let whole = try await table(csv, CSVReadOptions(source: "t.csv"))
        #expect(whole.columns == ["a", "b \"x\"", "c"])
        #expect(whole.values == [1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(whole.lines == [2, 4, 5])
        for size in [1, 2, 3, 5, 7, 11] {
            let t = try await table(csv, CSVReadOptions(source: "t.csv"), size: size)
            #expect(t == whole, "chunk size \(size)")
        }
    }

    @Test func quotedFieldsMayHoldDelimitersAndNewlines() async throws {
        let csv = "name,v\n\"x,\ny\",1\n\"\"\"q\"\"\",2\n"
        let o = CSVReadOptions(source: "t.csv", columns: ["v"])
        let t = try await table(csv, o, size: 3)
        #expect(t.values == [1, 2])
        #expect(t.lines == [2, 4])
    }

    @Test func byteOrderMarkAndLatin1Header() async throws {
        let bom = try await table(bytes: [0xEF, 0xBB, 0xBF] + Array("T (°C),x\n1,2\n".utf8), CSVReadOptions(source: "t"))
        #expect(bom.columns == ["T (°C)", "x"])
        let latin1: [UInt8] = Array("SWDR (W/m".utf8) + [0xB2] + Array("),PAR (".utf8) + [0xB5] + Array("mol)\r\n1,2\r\n".utf8)
        let t = try await table(bytes: latin1, CSVReadOptions(source: "t"))
        #expect(t.columns == ["SWDR (W/m²)", "PAR (µmol)"])
        let forced = try await table(bytes: latin1, CSVReadOptions(source: "t", encoding: .latin1))
        #expect(forced.columns == t.columns)
    }

    @Test func otherDelimiterAndSelectedColumnsInTheirOrder() async throws {
        let o = CSVReadOptions(source: "t", delimiter: UInt8(ascii: ";"), columns: ["c", "a"])
        let t = try await table("a;b;c\n1;x;3\n4;y;6\n", o)
        #expect(t.columns == ["c", "a"])
        #expect(t.columnNumbers == [3, 1])
        #expect(t.values == [3, 1, 6, 4])
    }

    @Test func defaultColumnsAreTheNumericOnes() async throws {
        let t = try await table("id,name,v\n1,abc,2.5\n2,def,NA\n", CSVReadOptions(source: "t", missing: .keep))
        #expect(t.columns == ["id", "v"])
        #expect(t.values[3].isNaN)
    }

    @Test func chunksHoldChunkRowsRows() async throws {
        var o = CSVReadOptions(source: "t"); o.chunkRows = 4
        let csv = "v\n" + (0..<10).map(String.init).joined(separator: "\n")
        var sizes: [Int] = []
        for try await c in ByteChunks(csv, size: 3).csvTable(o) { sizes.append(c.rowCount) }
        #expect(sizes == [4, 4, 2])
    }

    @Test func missingValuesUnderEachPolicy() async throws {
        let csv = "a,b\n1,10\n-9999,NA\n3,\n4,40\n"
        var o = CSVReadOptions(source: "m.csv")
        let e = await csvError(csv, o)
        #expect(e?.description == "m.csv:3:1: a: missing value, received '-9999' (set missing to drop_row, fill_previous or interpolate to accept gaps)")
        o.missing = .dropRow
        var t = try await table(csv, o)
        #expect(t.values == [1, 10, 4, 40])
        #expect(t.lines == [2, 5])
        #expect(t.counts.rowsDroppedMissing == 2 && t.counts.missingCells == 3)
        o.missing = .fillPrevious
        t = try await table(csv, o)
        #expect(t.values == [1, 10, 1, 10, 3, 10, 4, 40])
        o.missing = .interpolate
        t = try await table(csv, o, size: 5)
        #expect(t.values == [1, 10, 2, 20, 3, 30, 4, 40])
        #expect(t.counts.filledCells == 3)
    }

    @Test func raggedRowNamesLineAndColumn() async {
        let e = await csvError("a,b,c\n1,2,3\n4,5\n", CSVReadOptions(source: "r.csv"))
        #expect(e?.location == SourceLocation(file: "r.csv", line: 3, column: 3))
        #expect(e?.message == "row has 2 fields, expected 3")
        #expect(e?.value == "4,5")
        let more = await csvError("a,b\n1,2\n4,5,6\n", CSVReadOptions(source: "r.csv"))
        #expect(more?.message == "row has 3 fields, expected 2")
        let shifted = await csvError("\"Date Time\",a,b\n01.01.2017 00:00:00,1,2\n01.01.2017 00:10:00,x\n", jena)
        #expect(shifted?.message == "row has 2 fields, expected 3")
    }

    @Test func textInANumberColumn() async {
        let e = await csvError("\"Date Time\",p,T (degC)\n01.01.2017 00:00:00,1,2\n01.01.2017 00:10:00,3,abc\n", jena)
        #expect(e?.description == "t.csv:3:3: T (degC): not a number, received 'abc'")
    }

    @Test func badTimestamp() async {
        let e = await csvError("Date Time,p\n2017-01-01 00:00,1\n", jena)
        #expect(e?.location == SourceLocation(file: "t.csv", line: 2, column: 1))
        #expect(e?.field == "Date Time")
        #expect(e?.value == "2017-01-01 00:00")
    }

    @Test func emptyFileAndHeaderOnly() async {
        let empty = await csvError("", CSVReadOptions(source: "e.csv"))
        #expect(empty?.description.hasPrefix("e.csv:1: empty file") == true)
        let blank = await csvError("\r\n\n", CSVReadOptions(source: "e.csv"))
        #expect(blank?.message == "empty file: no header row")
        let header = await csvError("a,b\r\n", CSVReadOptions(source: "h.csv"))
        #expect(header?.location == SourceLocation(file: "h.csv", line: 2))
        #expect(header?.message == "no data rows after the header")
    }

    @Test func unknownColumnSuggestsTheClosest() async {
        let e = await csvError("Date Time,T (degC),p (mbar)\n01.01.2017 00:00:00,1,2\n",
                               CSVReadOptions(source: "u.csv", timestampColumn: "Date Time", columns: ["T (degc"]))
        #expect(e?.field == "columns")
        #expect(e?.value == "T (degc")
        #expect(e?.hint?.hasPrefix("did you mean 'T (degC)'?") == true)
        let ts = await csvError("Date,x\n1,2\n", jena)
        #expect(ts?.field == "timestamp_column")
        #expect(ts?.hint?.hasPrefix("did you mean 'Date'?") == true)
    }

    @Test func unterminatedQuote() async {
        let e = await csvError("a,b\n1,\"2\n", CSVReadOptions(source: "q.csv"))
        #expect(e?.message == "unterminated quoted field")
    }
}
