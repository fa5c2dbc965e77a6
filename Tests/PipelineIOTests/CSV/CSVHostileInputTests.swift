import Foundation
import PipelineCore
import Testing
@testable import PipelineIO

/// An endless line: `chunks` chunks of `size` bytes of `x` after a header, no newline; counts how
/// many chunks the reader pulled (what memory the reader could have held).
struct EndlessLine: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let header: String, size: Int, chunks: Int
    let pulled = Counter()
    final class Counter: @unchecked Sendable { var value = 0 }
    init(header: String, size: Int, chunks: Int) { self.header = header; self.size = size; self.chunks = chunks }
    final class Iterator: AsyncIteratorProtocol {
        let owner: EndlessLine
        var i = 0
        init(_ owner: EndlessLine) { self.owner = owner }
        func next() async throws -> [UInt8]? {
            defer { i += 1 }
            if i == 0 { return Array(owner.header.utf8) }
            guard i <= owner.chunks else { return nil }
            owner.pulled.value += 1
            return [UInt8](repeating: UInt8(ascii: "x"), count: owner.size)
        }
    }
    func makeAsyncIterator() -> Iterator { Iterator(self) }
}

@Suite struct CSVHostileInputTests {
    @Test func anUnendingLineStopsAtTheLimitWithItsLine() async throws {
        let source = EndlessLine(header: "Date Time,x\n01.01.2017 00:00:00,1\n", size: 64 << 10, chunks: 1024)   // 64 MiB
        var o = CSVReadOptions.jena(source: "bomb.csv"); o.maxLineBytes = 256 << 10
        do {
            _ = try await CSVFile.collect(source.csvTable(o))
            Issue.record("no error")
        } catch let e as InputError {
            #expect(e.location == SourceLocation(file: "bomb.csv", line: 3))
            #expect(e.message == "line longer than 262144 bytes")
            #expect(e.hint?.contains("timeseries.max_line_bytes") == true)
        }
        // Stopped after the limit plus at most one chunk, not after reading everything.
        #expect(source.pulled.value <= 5)
    }

    @Test func theDefaultLimitIsOneMebibyte() async throws {
        #expect(CSVReadOptions(source: "t").maxLineBytes == 1 << 20)
        let source = EndlessLine(header: "a,b\n", size: 1 << 20, chunks: 64)
        do {
            _ = try await CSVFile.collect(source.csvTable(CSVReadOptions(source: "t.csv")))
            Issue.record("no error")
        } catch let e as InputError {
            #expect(e.description.hasPrefix("t.csv:2: line longer than 1048576 bytes"))
        }
        #expect(source.pulled.value <= 2)
    }

    @Test func aLongLineIsRefusedHoweverTheBytesAreChunked() async throws {
        let long = String(repeating: "0", count: 299) + "1"      // the number 1, 300 bytes
        let csv = "a,b\n1,2\n\(long),3\n4,5\n"
        var o = CSVReadOptions(source: "t.csv"); o.maxLineBytes = 100
        for size in [7, 64, 1 << 20] {
            do {
                _ = try await table(csv, o, size: size)
                Issue.record("no error with chunks of \(size)")
            } catch let e as InputError {
                #expect(e.location == SourceLocation(file: "t.csv", line: 3), "chunks of \(size)")
            }
        }
        // A header longer than the limit is line 1; a record exactly at the limit passes.
        let header = "\(String(repeating: "h", count: 200)),b\n1,2\n"
        #expect(await csvError(header, o)?.location == SourceLocation(file: "t.csv", line: 1))
        o.maxLineBytes = 304
        #expect(try await table(csv, o).values == [1, 2, 1, 3, 4, 5])
    }

    @Test func overflowingNumbersAreErrorsWithTheirPlace() async throws {
        for (cell, column) in [("1e39", 3), ("-1e39", 3), ("3.5e38", 2), (String(repeating: "9", count: 40), 2)] {
            let csv = column == 3 ? "Date Time,p,T\n01.01.2017 00:00:00,1,2\n01.01.2017 00:10:00,1,\(cell)\n"
                                  : "Date Time,p,T\n01.01.2017 00:00:00,1,2\n01.01.2017 00:10:00,\(cell),2\n"
            let e = await csvError(csv, CSVReadOptions.jena(source: "w.csv"))
            #expect(e?.location == SourceLocation(file: "w.csv", line: 3, column: column), "\(cell)")
            #expect(e?.field == (column == 3 ? "T" : "p"))
            #expect(e?.value == cell)
            #expect(e?.message == "number out of the range of float32 (±3.4e38)")
        }
        // The largest float32 and tiny values (rounded to 0) are accepted.
        let ok = "Date Time,p\n01.01.2017 00:00:00,3.4028234e38\n01.01.2017 00:10:00,1e-50\n"
        #expect(try await table(ok, .jena(source: "w.csv")).values == [Float.greatestFiniteMagnitude, 0])
    }

    @Test func nonFiniteSpellingsAreRefusedWithAHint() async throws {
        for cell in ["nan", "NaN", "inf", "-inf", "+Infinity", " -nan "] {
            let csv = "Date Time,p\n01.01.2017 00:00:00,1\n01.01.2017 00:10:00,\(cell)\n"
            let e = await csvError(csv, .jena(source: "w.csv"))
            #expect(e?.location == SourceLocation(file: "w.csv", line: 3, column: 2), "\(cell)")
            #expect(e?.message == "not a number")
            #expect(e?.hint?.contains("timeseries.missing_values") == true, "\(cell)")
        }
        // Listed as a missing token, "nan" is a missing cell like any other.
        var o = CSVReadOptions.jena(source: "w.csv"); o.missingValues = ["nan"]; o.missing = .interpolate
        let t = try await table("Date Time,p\n01.01.2017 00:00:00,1\n01.01.2017 00:10:00,nan\n01.01.2017 00:20:00,3\n", o)
        #expect(t.values == [1, 2, 3])
    }
}
