import Testing
@testable import PipelineCore

@Suite struct SplitTests {
    @Test func lastFractionMatchesKeras() {
        // Keras: split_at = int(n * (1 - validation_split))
        let (t, v) = Split.lastFraction(count: 25_000, fraction: 0.2)
        #expect(t == 0..<20_000 && v == 20_000..<25_000)
        let (t2, v2) = Split.lastFraction(count: 10, fraction: 0.25)
        #expect(t2 == 0..<7 && v2 == 7..<10)   // int(7.5) = 7
    }

    @Test func hashSplitIsStableAndProportional() async throws {
        let keys = (0..<20_000).map { "review-\($0)" }
        let validation = keys.filter { Split.byHash(key: $0, fraction: 0.2) }
        #expect(abs(Double(validation.count) / 20_000 - 0.2) < 0.015)
        // Same keys, any order → same membership.
        let again = keys.reversed().filter { Split.byHash(key: $0, fraction: 0.2) }
        #expect(Set(again) == Set(validation))
        // Growing the fraction only adds members.
        let bigger = Set(keys.filter { Split.byHash(key: $0, fraction: 0.3) })
        #expect(Set(validation).isSubset(of: bigger))
    }

    @Test func splitByHashStagePartitions() async throws {
        let src = ArraySequence(elements: (0..<1000).map { "k\($0)" })
        let train = try await src.splitByHash(.train, fraction: 0.25) { $0 }.collect()
        let val = try await src.splitByHash(.validation, fraction: 0.25) { $0 }.collect()
        #expect(train.count + val.count == 1000)
        #expect(Set(train).isDisjoint(with: Set(val)))
    }
}
