import Testing
import Foundation
import PipelineCore
import PipelineTraining
@testable import PipelineRun

/// `RunTrainer.checkSameStart`: ranks that would start a data-parallel fit from different
/// weights or positions stop with an error instead of pairing different steps' collectives.
@Suite struct RunTrainerDataParallelTests {
    /// A two-rank job seen from rank 0: `agree` compares with what the other rank passes.
    final class OtherRank: DataParallel, @unchecked Sendable {
        let rank = 0, size = 2
        var other: UInt64
        init(other: UInt64) { self.other = other }
        func sum(_ values: UnsafeMutableBufferPointer<Float>) throws {}
        func sum(_ values: UnsafeMutableBufferPointer<Double>) throws {}
        func agree(_ value: UInt64) throws -> Bool { value == other }
    }

    func model(seed: UInt64) throws -> Sequential {
        let m = Sequential([GRU(units: 4), Dense(units: 1)], name: "m")
        try m.build(inputShape: [5, 3], seed: seed)
        m.compile(optimizer: RMSprop(), loss: .meanAbsoluteError)
        return m
    }

    @Test func theSameStartPassesAndAnotherPositionOrWeightsFail() throws {
        let a = try model(seed: 1)
        let here = FitPosition(epochStart: 2)
        let same = RunTrainer.startHash(try model(seed: 1), position: FitPosition(epochStart: 2))
        try RunTrainer.checkSameStart(a, position: here, resuming: true, parallel: OtherRank(other: same))

        var later = FitPosition(epochStart: 2); later.step = 3
        let otherStep = RunTrainer.startHash(try model(seed: 1), position: later)
        let error = #expect(throws: InputError.self) {
            try RunTrainer.checkSameStart(a, position: here, resuming: true, parallel: OtherRank(other: otherStep))
        }
        #expect("\(error!)".contains("start from different weights or positions") && "\(error!)".contains("--resume"))

        let otherWeights = RunTrainer.startHash(try model(seed: 2), position: here)
        #expect(otherWeights != same)
        #expect(throws: InputError.self) {
            try RunTrainer.checkSameStart(a, position: here, resuming: false, parallel: OtherRank(other: otherWeights))
        }
    }
}
