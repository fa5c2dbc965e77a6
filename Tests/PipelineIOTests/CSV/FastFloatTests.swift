import Testing
@testable import PipelineIO

@Suite struct FastFloatTests {
    func parse(_ s: String) -> Float? {
        let b = Array(s.utf8)
        return b.withUnsafeBufferPointer { FastFloat.parse($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, b.count) }
    }

    @Test func matchesStandardLibraryOnManyDecimals() {
        var rng = SystemRandomNumberGenerator()
        var mismatches: [String] = []
        for _ in 0..<200_000 {
            let digits = Int.random(in: 1...9, using: &rng)
            let m = UInt64.random(in: 0..<UInt64(pow10(digits)), using: &rng)
            let frac = Int.random(in: 0...digits, using: &rng)
            var s = String(m)
            while s.count < digits { s = "0" + s }
            if frac > 0 { s.insert(".", at: s.index(s.endIndex, offsetBy: -frac)) }
            if Bool.random(using: &rng) { s = "-" + s }
            if Int.random(in: 0..<10, using: &rng) == 0 { s += "e\(Int.random(in: -40...40, using: &rng))" }
            if parse(s) != Float(s) { mismatches.append(s) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    func pow10(_ n: Int) -> Double { (0..<n).reduce(1) { r, _ in r * 10 } }

    @Test func edgeCases() {
        #expect(parse("996.32") == 996.32)
        #expect(parse(" 1.5 ") == 1.5)
        #expect(parse("+2") == 2)
        #expect(parse(".5") == 0.5)
        #expect(parse("5.") == 5)
        #expect(parse("1E3") == 1000)
        #expect(parse("123456789012345678901234") == Float("123456789012345678901234"))
        #expect(parse("0.000000000000000000000000000000000000001") == Float("1e-39"))
        for bad in ["", " ", "-", ".", "abc", "1,5", "12abc", "nan", "inf", "1e", "1e+", "--1"] {
            #expect(parse(bad) == nil, "\(bad)")
        }
    }
}
