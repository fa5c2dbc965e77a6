import PipelineCore

/// A fixed-width timestamp pattern such as `dd.MM.yyyy HH:mm:ss`, parsed by hand to seconds
/// since 1970-01-01 00:00:00 UTC (the file's wall-clock time taken as UTC; no time zones).
///
/// ```swift
/// let f = try TimestampFormat("dd.MM.yyyy HH:mm:ss")
/// f.parse(Array("01.01.2017 00:00:00".utf8))   // 1_483_228_800
/// ```
///
/// Tokens: `yyyy` year, `MM` month, `dd` day, `HH` hour (00–23), `mm` minute, `ss` second;
/// every other non-letter character must appear literally, and letters too when quoted
/// (`yyyy-MM-dd'T'HH:mm:ss`). Each token takes exactly its width
/// in digits. `parse` returns nil when the text does not match or a field is out of range
/// (month 13, 31 April, 24:00). Cost: a few ns per timestamp, no allocation.
/// `init` fails with ``InputError`` for an unknown token (e.g. `yy`, `MMM`).
public struct TimestampFormat: Sendable, Equatable {
    enum Part: Sendable, Equatable { case year, month, day, hour, minute, second, literal(UInt8) }
    public let pattern: String
    let parts: [Part]
    /// Length in bytes of every matching text.
    public let width: Int

    public init(_ pattern: String) throws {
        self.pattern = pattern
        var parts: [Part] = []
        var width = 0
        let b = Array(pattern.utf8)
        var i = 0
        let tokens: [(String, Part, Int)] = [("yyyy", .year, 4), ("MM", .month, 2), ("dd", .day, 2),
                                             ("HH", .hour, 2), ("mm", .minute, 2), ("ss", .second, 2)]
        outer: while i < b.count {
            for (t, part, w) in tokens where b[i...].starts(with: t.utf8) {
                parts.append(part); width += w; i += t.utf8.count
                continue outer
            }
            let c = b[i]
            if c == 39 {                                  // 'T': quoted literal text
                guard let close = b[(i + 1)...].firstIndex(of: 39) else {
                    throw InputError("unclosed quote in timestamp format", field: "timestamp_format", value: pattern)
                }
                for l in b[(i + 1)..<close] { parts.append(.literal(l)); width += 1 }
                i = close + 1
                continue
            }
            if (c >= 65 && c <= 90) || (c >= 97 && c <= 122) {
                throw InputError("unsupported timestamp token at position \(i + 1)", field: "timestamp_format",
                                 value: pattern, hint: "use yyyy, MM, dd, HH, mm, ss and literal separators")
            }
            parts.append(.literal(c)); width += 1; i += 1
        }
        self.parts = parts; self.width = width
    }

    public func parse(_ bytes: [UInt8]) -> Int64? {
        bytes.withUnsafeBufferPointer { parse($0.baseAddress!, bytes.count) }
    }

    @inline(__always)
    func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        guard n == width else { return nil }
        var y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0
        var i = 0
        for part in parts {
            switch part {
            case .literal(let c): if p[i] != c { return nil }; i += 1
            case .year:
                guard let v = digits(p + i, 4) else { return nil }; y = v; i += 4
            default:
                guard let v = digits(p + i, 2) else { return nil }
                switch part { case .month: mo = v; case .day: d = v; case .hour: h = v; case .minute: mi = v; default: s = v }
                i += 2
            }
        }
        guard mo >= 1, mo <= 12, d >= 1, d <= TimestampFormat.daysIn(month: mo, year: y), h < 24, mi < 60, s < 60 else { return nil }
        return Int64(TimestampFormat.daysFromCivil(y, mo, d)) * 86_400 + Int64(h * 3600 + mi * 60 + s)
    }

    @inline(__always)
    private func digits(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        var v = 0
        for k in 0..<n {
            let c = p[k] &- 48
            if c > 9 { return nil }
            v = v * 10 + Int(c)
        }
        return v
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
