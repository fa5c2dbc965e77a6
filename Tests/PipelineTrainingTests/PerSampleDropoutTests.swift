import Testing
import Foundation
import PipelineCore
@testable import PipelineTraining

/// Per-sample dropout masks (DropoutStreams.swift, Dropout.swift, RecurrentDropout.swift): a
/// sample's mask rows depend on the run seed, epoch, step, layer and the sample's position, not
/// on the batch it sits in; so data-parallel training matches one process whatever the rank count.
@Suite struct PerSampleDropoutTests {
    static func context(firstSample: Int, epoch: Int = 0, step: Int = 2) -> ForwardContext {
        ForwardContext(training: true, maskSeed: Sequential.dropoutSeed(seed: 7, epoch: epoch, step: step), firstSample: firstSample)
    }

    /// Rows `rows` of a `[B, W]` tensor.
    static func rows(_ t: Tensor, _ rows: Range<Int>) -> [Float] {
        let w = t.count / t.shape[0]
        return Array(t.data[(rows.lowerBound * w)..<(rows.upperBound * w)])
    }

    @Test func dropoutRowIsTheSameInABatchOf8AndSplit3Plus5() throws {
        let layer = try LayerGradientCheck.built(Dropout(rate: 0.5), inputShape: [32])
        let x = Tensor(shape: [8, 32], repeating: 1)
        var whole = Self.context(firstSample: 40)
        let y = layer.forward(x, context: &whole)
        var c1 = Self.context(firstSample: 40), c2 = Self.context(firstSample: 43)
        let y1 = layer.forward(Tensor(shape: [3, 32], repeating: 1), context: &c1)
        let y2 = layer.forward(Tensor(shape: [5, 32], repeating: 1), context: &c2)
        #expect(y.data == y1.data + y2.data)
        #expect(whole.maskDraws == 1 && c1.maskDraws == 1)
        // Different samples, epochs and steps give different masks.
        #expect(Set((0..<8).map { Self.rows(y, $0..<($0 + 1)) }).count == 8)
        var nextEpoch = Self.context(firstSample: 40, epoch: 1), nextStep = Self.context(firstSample: 40, step: 3)
        let ye = layer.forward(x, context: &nextEpoch), ys = layer.forward(x, context: &nextStep)
        for i in 0..<8 {
            #expect(Self.rows(ye, i..<(i + 1)) != Self.rows(y, i..<(i + 1)), "row \(i) across epochs")
            #expect(Self.rows(ys, i..<(i + 1)) != Self.rows(y, i..<(i + 1)), "row \(i) across steps")
        }
        // A second mask-drawing layer in the same forward pass draws other masks.
        let second = layer.forward(x, context: &whole)
        #expect(second.data != y.data && whole.maskDraws == 2)
        // Still inverted dropout at the rate.
        let big = layer.forward(Tensor(shape: [64, 32], repeating: 1), context: &whole)
        #expect(Set(big.data) == [0, 2])
        #expect(abs(Double(big.data.filter { $0 == 0 }.count) / Double(big.count) - 0.5) < 0.05)
    }

    @Test func inferenceDrawsNothing() throws {
        let layer = try LayerGradientCheck.built(Dropout(rate: 0.5), inputShape: [4])
        let lstm = LSTM(units: 3, dropout: 0.3, recurrentDropout: 0.3)
        var rng = SeededRandom(seed: 1)
        _ = try lstm.build(inputShape: [2, 4], rng: &rng)
        var off = ForwardContext(training: false, maskSeed: 9)
        let x = GradientCheck.random([3, 4], seed: 2)
        #expect(layer.forward(x, context: &off) == x)
        _ = lstm.forward(GradientCheck.random([3, 2, 4], seed: 3), context: &off)
        #expect(off.maskDraws == 0 && lstm.masks.input.isEmpty && lstm.masks.recurrent.isEmpty)
    }

    @Test(arguments: ["LSTM", "GRU", "SimpleRNN"])
    func recurrentMasksFollowTheirSamples(kind: String) throws {
        let layer: any RecurrentDriver = switch kind {
        case "LSTM": LSTM(units: 5, dropout: 0.3, recurrentDropout: 0.4)
        case "GRU": GRU(units: 5, dropout: 0.3, recurrentDropout: 0.4)
        default: SimpleRNN(units: 5, dropout: 0.3, recurrentDropout: 0.4)
        }
        var rng = SeededRandom(seed: 3)
        _ = try layer.build(inputShape: [4, 6], rng: &rng)
        func masks(_ b: Int, first: Int, epoch: Int = 0) -> RecurrentDropout {
            var c = Self.context(firstSample: first, epoch: epoch)
            return layer.drawMasks(batch: b, context: &c)
        }
        func same(_ a: RecurrentDropout, _ b: RecurrentDropout) -> Bool {
            a.inputCount == b.inputCount && a.recurrentCount == b.recurrentCount && a.input == b.input && a.recurrent == b.recurrent
        }
        func row(_ m: RecurrentDropout, _ i: Int, of b: Int) -> RecurrentDropout { m.rows(i..<(i + 1), batch: b, features: 6, units: 5) }
        let whole = masks(8, first: 40), head = masks(3, first: 40), tail = masks(5, first: 43)
        let gates = kind == "LSTM" ? 4 : kind == "GRU" ? 3 : 1
        #expect(whole.inputCount == gates && whole.recurrentCount == gates)
        #expect(whole.input.count == gates * 8 * 6 && whole.recurrent.count == gates * 8 * 5)
        #expect(same(whole.rows(0..<3, batch: 8, features: 6, units: 5), head))
        #expect(same(whole.rows(3..<8, batch: 8, features: 6, units: 5), tail))
        // Sample 41 alone, in a batch starting at it: the same rows again.
        #expect(same(row(whole, 1, of: 8), masks(1, first: 41)))
        // Across samples and epochs the rows differ.
        #expect(!same(row(whole, 0, of: 8), row(whole, 1, of: 8)))
        let later = masks(8, first: 40, epoch: 1)
        for i in 0..<8 { #expect(!same(row(whole, i, of: 8), row(later, i, of: 8)), "row \(i)") }
        let keepInput: Float = 1 / (1 - 0.3), keepState: Float = 1 / (1 - 0.4)
        #expect(Set(whole.input) == [0, keepInput] && Set(whole.recurrent) == [0, keepState])
    }

    /// The model of the data-parallel check: recurrent dropout in two stacked layers and a Dropout.
    static func model() throws -> Sequential {
        let m = Sequential([LSTM(units: 4, dropout: 0.2, recurrentDropout: 0.3, returnSequences: true),
                            GRU(units: 4, dropout: 0.2, recurrentDropout: 0.2),
                            Dropout(rate: 0.3), Dense(units: 1)])
        try m.build(inputShape: [5, 3], seed: 11)
        m.compile(optimizer: RMSprop(learningRate: 0.01), loss: .meanSquaredError)
        return m
    }

    /// 30 samples in batches of 7 (shares 3 + 4, and 1 + 1 for the last batch of 2).
    static let data: ArrayBatches = {
        let x = GradientCheck.random([30, 5, 3], seed: 21), y = GradientCheck.random([30, 1], seed: 22)
        return ArrayBatches(x: x.data, xShape: x.shape, y: y.data, yShape: y.shape, size: 7)
    }()

    static func train(_ parallel: (any DataParallel)?) async throws -> [Float] {
        let m = try model()
        m.dataParallel = parallel
        let data = Self.data
        try await m.fit(trainData: { _ in data }, epochs: 2)
        return m.parameters.flatMap(\.value.data)
    }

    @Test func twoSimulatedRanksTrainTheWeightsOfOneProcess() async throws {
        let single = try await Self.train(nil)
        let exchange = TwoRankExchange()
        async let r0 = Self.train(FakeRank(rank: 0, exchange: exchange))
        async let r1 = Self.train(FakeRank(rank: 1, exchange: exchange))
        let (w0, w1) = try await (r0, r1)
        #expect(w0 == w1, "the replicas stay bit-identical")
        #expect(w0.count == single.count)
        let worst = zip(single, w0).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-5, "largest weight difference \(worst)")
        // The masks matter: training moved the weights away from the initial ones.
        let initial = try Self.model().parameters.flatMap(\.value.data)
        #expect(zip(initial, single).map { abs($0 - $1) }.max()! > 1e-3)
    }
}

/// Two in-process "ranks" meeting at every collective call: each deposits its values and waits
/// for the other; both get the rank-0-plus-rank-1 sum (the same bits on both).
final class TwoRankExchange: @unchecked Sendable {
    private let condition = NSCondition()
    private var slots: [[Double]?] = [nil, nil]
    private var result: [Double] = []
    private var generation = 0

    func sum(rank: Int, _ values: [Double]) -> [Double] {
        condition.lock(); defer { condition.unlock() }
        let mine = generation
        slots[rank] = values
        if let a = slots[0], let b = slots[1] {
            precondition(a.count == b.count, "collective calls with different lengths")
            result = zip(a, b).map { $0 + $1 }
            slots = [nil, nil]; generation += 1
            condition.broadcast()
        } else {
            while generation == mine { condition.wait() }
        }
        return result
    }
}

/// One rank of a two-rank job over a ``TwoRankExchange``.
final class FakeRank: DataParallel, @unchecked Sendable {
    let rank: Int, size = 2
    let exchange: TwoRankExchange
    init(rank: Int, exchange: TwoRankExchange) { self.rank = rank; self.exchange = exchange }

    func sum(_ values: UnsafeMutableBufferPointer<Float>) throws {
        let s = exchange.sum(rank: rank, values.map(Double.init))
        for i in values.indices { values[i] = Float(s[i]) }
    }

    func sum(_ values: UnsafeMutableBufferPointer<Double>) throws {
        let s = exchange.sum(rank: rank, Array(values))
        for i in values.indices { values[i] = s[i] }
    }

    func agree(_ value: UInt64) throws -> Bool {
        // Each rank puts its value in its own slot pair (exact in Double as two 32-bit halves).
        var mine = [Double](repeating: 0, count: 4)
        mine[2 * rank] = Double(value >> 32); mine[2 * rank + 1] = Double(value & 0xFFFF_FFFF)
        let s = exchange.sum(rank: rank, mine)
        return s[0] == s[2] && s[1] == s[3]
    }
}
