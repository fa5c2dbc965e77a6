import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct InitializersTests {
    @Test func glorotUniformStaysWithinKerasLimit() {
        var rng = SeededRandom(seed: 3)
        let t = Initializer.glorotUniform.make(shape: [32, 128], rng: &rng)
        let limit = Float((6.0 / 160.0).squareRoot())
        #expect(t.data.allSatisfy { abs($0) <= limit })
        #expect(t.data.map(abs).max()! > 0.9 * limit, "spans the range")
        let mean = t.data.reduce(0, +) / Float(t.count)
        #expect(abs(mean) < 0.01)
    }

    @Test func fansFollowKeras() {
        #expect(Initializer.fans([32, 128]) == (32, 128))
        #expect(Initializer.fans([5, 16, 32]) == (80, 160))
        #expect(Initializer.fans([7]) == (7, 7))
    }

    @Test(arguments: [[32, 128], [128, 32], [16, 16], [2, 3, 8]])
    func orthogonalHasOrthonormalRowsOrColumns(_ shape: [Int]) {
        var rng = SeededRandom(seed: 4)
        let t = Initializer.orthogonal().make(shape: shape, rng: &rng)
        let rows = shape.dropLast().reduce(1, *), cols = shape.last!
        // Q (rows ≥ cols): QᵀQ = I; else QQᵀ = I.
        let (n, len) = rows >= cols ? (cols, rows) : (rows, cols)
        func v(_ i: Int, _ k: Int) -> Float { rows >= cols ? t.data[k * cols + i] : t.data[i * cols + k] }
        var worst: Float = 0
        for i in 0..<n { for j in 0..<n {
            var dot: Float = 0
            for k in 0..<len { dot += v(i, k) * v(j, k) }
            worst = max(worst, abs(dot - (i == j ? 1 : 0)))
        } }
        #expect(worst < 1e-5)
    }

    @Test func orthogonalGainScales() {
        var a = SeededRandom(seed: 9), b = SeededRandom(seed: 9)
        let one = Initializer.orthogonal().make(shape: [8, 8], rng: &a)
        let two = Initializer.orthogonal(gain: 2).make(shape: [8, 8], rng: &b)
        checkClose(two.data, one.data.map { $0 * 2 }, tolerance: 1e-6, "gain")
    }

    @Test func sameSeedSameWeights() throws {
        func weights(_ seed: UInt64) throws -> [Tensor] {
            var rng = SeededRandom(seed: seed)
            let l = LSTM(units: 8)
            _ = try l.build(inputShape: [4, 3], rng: &rng)
            return l.parameters.map(\.value)
        }
        #expect(try weights(42) == weights(42))
        #expect(try weights(42) != weights(43))
    }

    @Test func uniformZerosAndOnes() {
        var rng = SeededRandom(seed: 5)
        let u = Initializer.embeddingUniform.make(shape: [100, 8], rng: &rng)
        #expect(u.data.allSatisfy { $0 >= -0.05 && $0 < 0.05 })
        #expect(Initializer.zeros.make(shape: [3], rng: &rng).data == [0, 0, 0])
        #expect(Initializer.ones.make(shape: [2], rng: &rng).data == [1, 1])
    }
}
