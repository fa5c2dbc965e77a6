import Testing
import PipelineCore
@testable import PipelineTraining
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct KernelsTests {
    /// Dense grid over [-30, 30] plus the region boundaries of the approximations.
    static let grid: [Float] = {
        var v: [Float] = stride(from: -30 as Float, through: 30, by: 0.000_731).map { $0 }
        v += [0, -0, 0.625, -0.625, 0.6249999, 1e-8, -1e-8, 1e-30, 87, -87, 88, -88, 100, -100, 9, -9]
        return v
    }()

    func worstRelativeError(_ act: Activation, exact: (Float) -> Float) -> Float {
        var x = Self.grid
        x.withUnsafeMutableBufferPointer { Kernels.activate(act, $0.baseAddress!, count: $0.count) }
        var worst: Float = 0
        for (i, v) in Self.grid.enumerated() {
            let e = exact(v)
            if abs(e) < 1e-30 { #expect(abs(x[i]) < 1e-30); continue }
            worst = max(worst, abs(x[i] - e) / abs(e))
        }
        return worst
    }

    @Test func sigmoidWithinOneMillionthOfLibm() {
        let worst = worstRelativeError(.sigmoid) { $0 >= 0 ? 1 / (1 + expf(-$0)) : expf($0) / (1 + expf($0)) }
        #expect(worst <= 1e-6, "worst relative error \(worst)")
    }

    @Test func tanhWithinOneMillionthOfLibm() {
        let worst = worstRelativeError(.tanh) { tanhf($0) }
        #expect(worst <= 1e-6, "worst relative error \(worst)")
    }

    @Test func scalarPathIsLibm() {
        var x: [Float] = [-3, -0.5, 0, 0.7, 2]
        x.withUnsafeMutableBufferPointer { Kernels.activate(.tanh, $0.baseAddress!, count: $0.count, simd: false) }
        #expect(x == [-3, -0.5, 0, 0.7, 2].map { tanhf($0) })
    }

    /// Runs `product(c, beta)` for beta 0 and 1 on a random C[m, n] and compares it with
    /// beta·C + Σ_p A(i, p)·B[p, j] in Double, where `aAt(i, p)` reads A as the product does.
    static func checkProduct(m: Int, n: Int, k: Int, _ label: String, aAt: (Int, Int) -> Float, b: [Float],
                             _ product: (UnsafeMutablePointer<Float>, Float) -> Void) {
        let c0 = GradientCheck.random([m, n], seed: 3).data
        for beta: Float in [0, 1] {
            var c = c0
            c.withUnsafeMutableBufferPointer { product($0.baseAddress!, beta) }
            var expected = [Float](repeating: 0, count: m * n)
            for i in 0..<m { for j in 0..<n {
                var s: Double = beta == 0 ? 0 : Double(c0[i * n + j])
                for p in 0..<k { s += Double(aAt(i, p)) * Double(b[p * n + j]) }
                expected[i * n + j] = Float(s)
            } }
            checkClose(c, expected, tolerance: 1e-4, "\(label) \(m)x\(n)x\(k) beta \(beta)")
        }
    }

    @Test(arguments: [(128, 128, 32), (13, 24, 7), (6, 16, 1), (5, 8, 40), (128, 32, 128), (7, 20, 9),
                      (64, 96, 32), (10, 40, 5), (3, 16, 2), (154, 32, 160)])
    func gemmMatchesNaiveProduct(_ m: Int, _ n: Int, _ k: Int) {
        let a = GradientCheck.random([m, k], seed: 1).data, b = GradientCheck.random([k, n], seed: 2).data
        Self.checkProduct(m: m, n: n, k: k, "gemm", aAt: { a[$0 * k + $1] }, b: b) { c, beta in
            Kernels.gemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, beta: beta, c: c, ldc: n)
        }
    }

    @Test func transposedProductsAreAᵀB() {
        let a: [Float] = [1, 2, 3, 4, 5, 6]  // [3, 2] → Aᵀ [2, 3]
        let b: [Float] = [1, 0, 0, 1, 1, 1]  // [3, 2]
        var c = [Float](repeating: 0, count: 4)
        c.withUnsafeMutableBufferPointer {
            Kernels.gemm(transA: true, m: 2, n: 2, k: 3, a: a, lda: 2, b: b, ldb: 2, c: $0.baseAddress!, ldc: 2)
        }
        let expected: [Float] = [6, 8, 8, 10]  // [[1·1+3·0+5·1, 1·0+3·1+5·1], [2+0+6, 0+4+6]]
        #expect(c == expected)
    }

    /// Aᵀ·B on the hand kernel (row tails 1–6, 8- and 16-wide column tiles, blocks of 256 rows of
    /// K, overlapping rows of A as Conv1D reads them) against a naive product in Double.
    @Test(arguments: [(32, 128, 700, 32), (70, 32, 600, 14), (13, 24, 7, 13), (1, 8, 3, 1), (11, 40, 513, 11), (160, 32, 300, 32)])
    func transposedHandProductMatchesNaiveProduct(_ m: Int, _ n: Int, _ k: Int, _ lda: Int) throws {
        try #require(Kernels.handGemmAvailable(n: 8), "no AVX2/FMA here")
        let a = GradientCheck.random([(k - 1) * lda + m], seed: 1).data, b = GradientCheck.random([k, n], seed: 2).data
        Self.checkProduct(m: m, n: n, k: k, "gemmTN lda \(lda)", aAt: { a[$1 * lda + $0] }, b: b) { c, beta in
            #expect(Kernels.handGemm(transA: true, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: n, beta: beta, c: c, ldc: n))
        }
    }
}
