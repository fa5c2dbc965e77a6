import Foundation
import PipelineCore
import Testing
@testable import PipelineIO

@Suite struct CSVFileTests {
    /// Plain-Swift reading of the file text, independent of the parser.
    func textRows(_ path: String, encoding: String.Encoding, separator: String) throws -> [[String]] {
        let text = try String(contentsOfFile: path, encoding: encoding)
        return text.components(separatedBy: separator).filter { !$0.isEmpty }.map { $0.components(separatedBy: ",") }
    }

    @Test(.requiresSharedData(sharedData("jena-climate-2016-last1000.csv")))
    func jenaLast1000LoadsExactly() async throws {
        let path = sharedData("jena-climate-2016-last1000.csv")
        let t = try await CSVFile.read(path: path, options: .jena(source: "jena-climate-2016-last1000.csv"))
        let rows = try textRows(path, encoding: .utf8, separator: "\n")
        #expect(t.rowCount == 1000 && rows.count == 1001)
        #expect(t.featureCount == 14)
        #expect(t.columns == rows[0].dropFirst().map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) })
        #expect(t.columns[1] == "T (degC)")
        var mismatches = 0
        for r in 0..<1000 {
            for c in 0..<14 where Float(rows[r + 1][c + 1])! != t.value(row: r, column: c) { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(t.value(row: 0, column: 1) == 6.33)                      // 25.12.2016 01:30:00,996.32,6.33,...
        #expect(t.lines.first == 2 && t.lines.last == 1001)
        // 25.12.2016 01:30:00 UTC and 01.01.2017 00:00:00 UTC
        #expect(t.timestamps.first == Int64(Date(timeIntervalSince1970: 1_482_629_400).timeIntervalSince1970))
        #expect(t.timestamps.last == 1_483_228_800)
        #expect(zip(t.timestamps, t.timestamps.dropFirst()).allSatisfy { $1 - $0 == 600 })
    }

    /// Counts checked independently with Python when this test was written:
    /// 19,132 data rows × 22 columns, 18 cells `-9999`, all in column 20 `max. PAR (µmol/m²/s)`,
    /// in 18 distinct rows, the first on line 729.
    @Test(.requiresSharedData(sharedData("mpi-roof-2024.csv")), arguments: MissingValuePolicy.allCases)
    func mpiRoofLoadsUnderEveryPolicy(_ policy: MissingValuePolicy) async throws {
        let path = sharedData("mpi-roof-2024.csv")
        let o = CSVReadOptions.jena(source: "mpi-roof-2024.csv").with(missing: policy)
        if policy == .error {
            await #expect(throws: InputError.self) { _ = try await CSVFile.read(path: path, options: o) }
            do { _ = try await CSVFile.read(path: path, options: o) } catch let e as InputError {
                #expect(e.location == SourceLocation(file: "mpi-roof-2024.csv", line: 729, column: 20))
                #expect(e.field == "max. PAR (µmol/m²/s)")
                #expect(e.value == "-9999")
            }
            return
        }
        let t = try await CSVFile.read(path: path, options: o)
        #expect(t.featureCount == 21)
        #expect(t.columns[16] == "SWDR (W/m²)")
        #expect(t.counts.missingCells == (policy == .keep ? 0 : 18))
        #expect(t.rowCount == (policy == .dropRow ? 19_114 : 19_132))
        let nan = t.values.filter(\.isNaN).count
        #expect(nan == (policy == .keep ? 18 : 0))
        #expect(t.counts.filledCells == (policy == .fillPrevious || policy == .interpolate ? 18 : 0))
        if policy == .interpolate {
            // rows 727, 728 (lines 729, 730) are missing between rows 726 and 729
            let rows = try textRows(path, encoding: .isoLatin1, separator: "\r\n")
            let a = Float(rows[727][19])!, b = Float(rows[730][19])!
            #expect(t.value(row: 727, column: 18) == Float(Double(a) + Double(b - a) / 3))
            #expect(t.value(row: 728, column: 18) == Float(Double(a) + Double(b - a) * 2 / 3))
        }
    }

    @Test func missingFileIsAnIOFailure() async {
        await #expect(throws: IOFailure.self) {
            _ = try await CSVFile.read(path: "/nonexistent/x.csv", options: CSVReadOptions(source: "x.csv"))
        }
    }
}
