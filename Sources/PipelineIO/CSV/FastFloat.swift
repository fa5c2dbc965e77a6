#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decimal text to `Float`, correctly rounded (the value `strtof` gives).
///
/// Fast path (Clinger): at most 7 significant digits (mantissa ≤ 2^24) and a decimal exponent
/// within ±10, where `Float(mantissa)` and `10^k` are exact and one IEEE multiply or divide
/// rounds correctly: every Jena value takes it. Anything else (long mantissas, large exponents)
/// goes through `strtof` on a small stack copy. Accepts optional surrounding spaces, a sign,
/// digits with an optional `.`, an optional `e`/`E` exponent; rejects everything else
/// (`nan`, `inf`, `1,5`, `12abc`, empty) by returning nil.
enum FastFloat {
    static let powers: [Float] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10]

    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ count: Int) -> Float? {
        var i = 0, n = count
        while i < n && p[i] == 32 { i += 1 }
        while n > i && p[n - 1] == 32 { n -= 1 }
        guard i < n else { return nil }
        let start = i
        var negative = false
        if p[i] == 45 { negative = true; i += 1 } else if p[i] == 43 { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, significant = 0, exponent = 0
        while i < n, p[i] &- 48 < 10 {
            if significant > 0 || p[i] != 48 { significant += 1 }
            if significant <= 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48) } else { exponent += 1 }
            digits += 1; i += 1
        }
        if i < n, p[i] == 46 {
            i += 1
            while i < n, p[i] &- 48 < 10 {
                if significant > 0 || p[i] != 48 { significant += 1 }
                if significant <= 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48); exponent -= 1 }
                digits += 1; i += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < n, p[i] | 0x20 == 101 {              // e or E
            i += 1
            var eNeg = false
            if i < n, p[i] == 45 || p[i] == 43 { eNeg = p[i] == 45; i += 1 }
            var e = 0, eDigits = 0
            while i < n, p[i] &- 48 < 10 { if e < 100_000 { e = e * 10 + Int(p[i] &- 48) }; eDigits += 1; i += 1 }
            guard eDigits > 0 else { return nil }
            exponent += eNeg ? -e : e
        }
        guard i == n else { return nil }
        if mantissa <= 16_777_216 && exponent >= -10 && exponent <= 10 {
            var v = Float(mantissa)
            if exponent < 0 { v /= powers[-exponent] } else { v *= powers[exponent] }
            return negative ? -v : v
        }
        return slow(p + start, n - start)
    }

    static func slow(_ p: UnsafePointer<UInt8>, _ n: Int) -> Float? {
        guard n < 128 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf in
            for k in 0..<n { buf[k] = CChar(bitPattern: p[k]) }
            buf[n] = 0
            return Float(strtof(buf.baseAddress!, nil))
        }
    }
}
