import Foundation
import PipelineCore
import Testing
@testable import PipelineIO

/// Text columns read as categories (`CSVReadOptions.categorical`).
@Suite struct CSVCategoricalTests {
    let csv = "year,month,day,hour,TEMP,cbwd\n2010,1,1,0,-11,NW\n2010,1,1,1,-12,SE\n2010,1,1,2,-13,NW\n2010,1,1,3,-14,NA\n2010,1,1,4,-15,cv\n"

    @Test func valuesBecomeIndicesInOrderOfFirstAppearance() async throws {
        let o = CSVReadOptions(source: "b.csv", missing: .keep, time: .auto, categorical: ["cbwd"])
        for size in [1, 5, 1 << 20] {
            let t = try await table(csv, o, size: size)
            #expect(t.columns == ["TEMP", "cbwd"])
            #expect(t.levels == [1: ["NW", "SE", "cv"]])
            #expect(t.values.enumerated().filter { $0.offset % 2 == 1 }.map(\.element).map { $0.isNaN ? -1 : $0 } == [0, 1, 0, -1, 2])
        }
        // Across chunks the levels only grow, and every chunk carries those seen so far.
        var small = o; small.chunkRows = 2
        var seen: [[String]] = []
        for try await c in ByteChunks(csv).csvTable(small) { seen.append(c.levels[1] ?? []) }
        #expect(seen == [["NW", "SE"], ["NW", "SE"], ["NW", "SE", "cv"]])
    }

    @Test func tooManyDistinctValuesIsAnErrorAtTheLine() async throws {
        var text = "x,label\n"
        for i in 0..<20 { text += "\(i),word\(i)\n" }
        let o = CSVReadOptions(source: "f.csv", categorical: ["label"], maxCategories: 10)
        let e = try #require(await csvError(text, o))
        #expect(e.location?.line == 12)
        #expect(e.value == "word10")
        #expect(e.hint?.contains("timeseries.max_categories") == true)
    }

    @Test func aTimeColumnCannotBeCategorical() async throws {
        let o = CSVReadOptions(source: "b.csv", time: .auto, categorical: ["hour"])
        let e = try #require(await csvError(csv, o))
        #expect(e.field == "categorical" && e.value == "hour")
    }
}
