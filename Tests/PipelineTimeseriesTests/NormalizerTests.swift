import Foundation
import PipelineCore
import Testing
@testable import PipelineTimeseries

@Suite struct NormalizerTests {
    /// Two-pass population statistics, the numpy way (ddof = 0), as the reference.
    func reference(_ v: [Float], f: Int, rows: Range<Int>) -> ([Double], [Double]) {
        (0..<f).map { c in
            let xs = rows.map { Double(v[$0 * f + c]) }
            let m = xs.reduce(0, +) / Double(xs.count)
            return (m, (xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(xs.count)).squareRoot())
        }.reduce(into: ([Double](), [Double]())) { $0.0.append($1.0); $0.1.append($1.1) }
    }

    @Test func fitsOnTrainRowsOnlyWithPopulationStd() {
        var rng = SeededRandom(seed: 1)
        let f = 3, n = 1000
        let v = (0..<(n * f)).map { i in Float(1000 + rng.nextGaussian() * Double(i % f + 1)) }
        let norm = Normalizer.fit(v, columns: ["a", "b", "c"], rows: 0..<600)
        let (m, s) = reference(v, f: f, rows: 0..<600)
        for c in 0..<f {
            #expect(abs(norm.mean[c] - m[c]) < 1e-9 * abs(m[c]))
            #expect(abs(norm.std[c] - s[c]) < 1e-9 * s[c])
        }
        #expect(norm.rows == 600)
        var w = v
        norm.apply(to: &w)
        #expect(w.count == v.count)
        let (m2, s2) = reference(w, f: f, rows: 0..<600)
        for c in 0..<f { #expect(abs(m2[c]) < 1e-4 && abs(s2[c] - 1) < 1e-4) }
        #expect(abs(norm.denormalize(Double(w[4]), column: 1) - Double(v[4])) < 1e-3)
    }

    @Test func constantColumnIsLeftUnscaled() {
        var v: [Float] = [5, 1, 5, 2, 5, 3]
        let norm = Normalizer.fit(v, columns: ["k", "x"], rows: 0..<3)
        #expect(norm.std[0] == 0)
        norm.apply(to: &v)
        #expect(v[0] == 0 && v[2] == 0)
    }

    @Test func savesAndLoadsJSON() throws {
        let norm = Normalizer(columns: ["T (degC)"], mean: [9.1], std: [8.6], rows: 10)
        let path = try temporaryDirectory() + "/normalization.json"
        try norm.save(to: path)
        #expect(try Normalizer.load(from: path) == norm)
        #expect(throws: IOFailure.self) { try Normalizer.load(from: path + ".missing") }
    }
}
