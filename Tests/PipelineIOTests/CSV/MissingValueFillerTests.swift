import PipelineCore
import Testing

/// Tests of PipelineCore's MissingValueFiller (added for the CSV reader and the time axis).
@Suite struct MissingValueFillerTests {
    func chunk(_ v: [Float], lines: [Int]) -> TableChunk {
        TableChunk(source: "f.csv", columns: ["x"], values: v, lines: lines)
    }

    func run(_ policy: MissingValuePolicy, _ parts: [[Float]]) throws -> TableChunk {
        var filler = MissingValueFiller(policy: policy)
        var all = chunk([], lines: [])
        var line = 2
        for p in parts {
            let c = chunk(p, lines: Array(line..<(line + p.count))); line += p.count
            if let out = try filler.push(c) { all.append(out) }
        }
        if let out = try filler.finish() { all.append(out) }
        return all
    }

    @Test func interpolatesAcrossChunksWithFlatEnds() throws {
        let nan = Float.nan
        let t = try run(.interpolate, [[nan, 1, nan], [nan], [nan, 5, 6, nan]])
        #expect(t.values == [1, 1, 2, 3, 4, 5, 6, 6])
        #expect(t.lines == Array(2...9))
        #expect(t.counts.missingCells == 5 && t.counts.filledCells == 5)
    }

    @Test func fillPreviousBackfillsALeadingGap() throws {
        let nan = Float.nan
        let t = try run(.fillPrevious, [[nan, nan], [3, nan, 7, nan]])
        #expect(t.values == [3, 3, 3, 3, 7, 7])
    }

    @Test func aColumnWithoutValuesFails() {
        #expect(throws: InputError.self) { try run(.interpolate, [[.nan], [.nan]]) }
    }

    @Test func errorPolicyNamesTheCell() {
        var filler = MissingValueFiller(policy: .error)
        do { _ = try filler.push(chunk([1, .nan], lines: [2, 3])); Issue.record("no error") } catch let e as InputError {
            #expect(e.location == SourceLocation(file: "f.csv", line: 3, column: 1))
            #expect(e.field == "x")
        } catch { Issue.record("\(error)") }
    }
}
