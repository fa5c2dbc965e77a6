import Testing
@testable import PipelineCore

@Suite struct AsyncStagedSequenceTests {
    @Test func errorCarriesStageNameAndPosition() async throws {
        let s = ArraySequence(elements: Array(0..<10), failAt: 7).stage("parse")
        do {
            _ = try await s.collect()
            Issue.record("expected an error")
        } catch let e as StageError {
            #expect(e.stage == "parse")
            #expect(e.position == 7)
            #expect(e.root as? ArraySequence<Int>.Boom == .init(index: 7))
            #expect("\(e)".contains("stage 'parse', element 7"))
        }
    }

    @Test func innermostStageNameWins() async throws {
        let s = ArraySequence(elements: Array(0..<10), failAt: 3).stage("inner").map { $0 * 2 }.stage("outer")
        do {
            _ = try await s.collect()
            Issue.record("expected an error")
        } catch let e as StageError {
            #expect(e.stage == "inner")
            #expect(e.position == 3)
        }
    }

    @Test func passesElementsUnchanged() async throws {
        #expect(try await ArraySequence(elements: [1, 2, 3]).stage("x").collect() == [1, 2, 3])
    }
}
