import PipelineCore

/// How one timestamp cell is read: a pattern such as `dd.MM.yyyy HH:mm:ss`, or one of the named
/// formats `iso8601`, `epoch_seconds`, `epoch_milliseconds`; parsed by hand to seconds since
/// 1970-01-01 00:00:00 UTC.
///
/// ```swift
/// let f = try TimestampFormat("dd.MM.yyyy HH:mm:ss")
/// f.parse(Array("01.01.2017 00:00:00".utf8))            // 1_483_228_800
/// try TimestampFormat("yyyy/M/d H:mm").parse(Array("2010/1/1 0:00".utf8))
/// try TimestampFormat("M/d/yyyy h:mm a").parse(Array("1/1/2010 12:30 AM".utf8))
/// try TimestampFormat("iso8601").parse(Array("2024-03-31T02:10:00.5+01:00".utf8))
/// ```
///
/// Pattern tokens: `yyyy` year (4 digits); `MM` month, `dd` day, `HH` hour 00–23, `hh` hour
/// 01–12, `mm` minute, `ss` second, each exactly 2 digits; the single letters `M`, `d`, `H`,
/// `h`, `m`, `s` take 1 or 2 digits (not zero-padded: `2010/1/1 0:00`); `S`… a fraction of a
/// second of any length; `a` AM/PM (any case; `h`/`hh` then count 12 as 0); `X`, `XX`, `XXX` or
/// `Z` a zone: `Z`, `±hh`, `±hhmm` or `±hh:mm` (the value is converted to UTC). Every other
/// non-letter character must appear literally, letters too when quoted (`yyyy-MM-dd'T'HH:mm`).
/// Without a zone token the file's wall-clock time is taken as UTC, so local time keeps its
/// daylight-saving gaps and repeats (the time-axis stage recognises them).
///
/// `iso8601`: `yyyy-MM-dd`, optionally `T` or a space and `HH:mm`, `:ss`, `.fraction`, and a
/// zone (`Z`, `±hh:mm`, `±hhmm`, `±hh`). `epoch_seconds`: a decimal number of seconds since
/// 1970 (a fraction allowed); `epoch_milliseconds`: an integer number of milliseconds.
/// Fractions of a second are dropped (rounded down): the time axis works in whole seconds.
///
/// `parse` returns nil when the text does not match or a field is out of range (month 13,
/// 31 April, 24:00, hour 13 with `a`). Cost: a few ns per timestamp, no allocation.
/// `init` fails with ``InputError`` for an unknown token (e.g. `yy`, `MMM`) or an `a` without
/// a 12-hour field.
public struct TimestampFormat: Sendable, Equatable {
    enum Part: Sendable, Equatable {
        /// A number of `min...max` digits stored in `field`.
        case number(Field, min: Int, max: Int)
        case fraction, meridiem, zone
        case literal(UInt8)
    }
    enum Field: Sendable, Equatable { case year, month, day, hour, hour12, minute, second }
    enum Kind: Sendable, Equatable { case pattern, iso8601, epochSeconds, epochMilliseconds }

    /// The pattern or the named format, as written.
    public let pattern: String
    let kind: Kind
    let parts: [Part]
    /// The length in bytes of the longest matching text (every matching text, for a pattern of
    /// fixed-width fields such as `dd.MM.yyyy HH:mm:ss`); 0 for the named formats.
    public let width: Int

    /// The named formats, as written in specs.
    public static let namedFormats = ["iso8601", "epoch_seconds", "epoch_milliseconds"]

    public init(_ pattern: String) throws {
        self.pattern = pattern
        switch pattern {
        case "iso8601": kind = .iso8601; parts = []; width = 0; return
        case "epoch_seconds": kind = .epochSeconds; parts = []; width = 0; return
        case "epoch_milliseconds": kind = .epochMilliseconds; parts = []; width = 0; return
        default: kind = .pattern
        }
        var parts: [Part] = []
        var width = 0
        let b = Array(pattern.utf8)
        var i = 0
        let tokens: [(String, Part, Int)] = [
            ("yyyy", .number(.year, min: 4, max: 4), 4), ("MM", .number(.month, min: 2, max: 2), 2),
            ("dd", .number(.day, min: 2, max: 2), 2), ("HH", .number(.hour, min: 2, max: 2), 2),
            ("hh", .number(.hour12, min: 2, max: 2), 2), ("mm", .number(.minute, min: 2, max: 2), 2),
            ("ss", .number(.second, min: 2, max: 2), 2), ("XXX", .zone, 6), ("XX", .zone, 6),
            ("M", .number(.month, min: 1, max: 2), 2), ("d", .number(.day, min: 1, max: 2), 2),
            ("H", .number(.hour, min: 1, max: 2), 2), ("h", .number(.hour12, min: 1, max: 2), 2),
            ("m", .number(.minute, min: 1, max: 2), 2), ("s", .number(.second, min: 1, max: 2), 2),
            ("a", .meridiem, 2), ("X", .zone, 6), ("Z", .zone, 6),
        ]
        outer: while i < b.count {
            if b[i] == UInt8(ascii: "S") {                  // S, SS, SSS…: a fraction of any length
                while i < b.count && b[i] == UInt8(ascii: "S") { i += 1 }
                parts.append(.fraction); width += 9
                continue
            }
            var run = 1
            while i + run < b.count && b[i + run] == b[i] { run += 1 }
            if run > (b[i] == UInt8(ascii: "y") ? 4 : b[i] == UInt8(ascii: "X") ? 3 : 2),
               "yMdHhmsXaZ".utf8.contains(b[i]) {
                throw InputError("unsupported timestamp token at position \(i + 1)", field: "timestamp_format", value: pattern,
                                 hint: "month names (MMM) and other long fields are not supported; use numbers (MM, M)")
            }
            for (t, part, w) in tokens where b[i...].starts(with: t.utf8) {
                parts.append(part); width += w; i += t.utf8.count
                continue outer
            }
            let c = b[i]
            if c == 39 {                                    // 'T': quoted literal text
                guard let close = b[(i + 1)...].firstIndex(of: 39) else {
                    throw InputError("unclosed quote in timestamp format", field: "timestamp_format", value: pattern)
                }
                for l in b[(i + 1)..<close] { parts.append(.literal(l)); width += 1 }
                i = close + 1
                continue
            }
            if (c >= 65 && c <= 90) || (c >= 97 && c <= 122) {
                throw InputError("unsupported timestamp token at position \(i + 1)", field: "timestamp_format",
                                 value: pattern,
                                 hint: "use yyyy, MM/M, dd/d, HH/H, hh/h with a, mm/m, ss/s, S, X and literal separators, "
                                     + "or one of " + TimestampFormat.namedFormats.joined(separator: ", "))
            }
            parts.append(.literal(c)); width += 1; i += 1
        }
        let twelve = parts.contains(.number(.hour12, min: 1, max: 2)) || parts.contains(.number(.hour12, min: 2, max: 2))
        if twelve != parts.contains(.meridiem) {
            throw InputError(twelve ? "a 12-hour field (h, hh) needs an AM/PM marker (a)" : "an AM/PM marker (a) needs a 12-hour field (h, hh)",
                             field: "timestamp_format", value: pattern)
        }
        // A 1–2 digit field followed directly by another number cannot end anywhere: make it 2.
        for k in parts.indices {
            if case .number(let f, 1, let mx) = parts[k], k + 1 < parts.count, case .number = parts[k + 1] {
                parts[k] = .number(f, min: mx, max: mx)
            }
        }
        self.parts = parts; self.width = width
    }

    public func parse(_ bytes: [UInt8]) -> Int64? {
        bytes.withUnsafeBufferPointer { parse($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, bytes.count) }
    }

    /// The fields read from a text before they become seconds.
    struct Fields {
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0
        var pm: Bool? = nil
        var offset = 0                                      // seconds east of UTC
    }

    @inline(__always)
    func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        switch kind {
        case .pattern: return parsePattern(p, n)
        case .iso8601: return TimestampFormat.parseISO(p, n)
        case .epochSeconds: return TimestampFormat.parseEpoch(p, n, milliseconds: false)
        case .epochMilliseconds: return TimestampFormat.parseEpoch(p, n, milliseconds: true)
        }
    }

    private func parsePattern(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        var f = Fields()
        var i = 0
        for part in parts {
            switch part {
            case .literal(let c):
                guard i < n, p[i] == c else { return nil }
                i += 1
            case .number(let field, let lo, let hi):
                guard let (v, used) = TimestampFormat.digits(p + i, n - i, min: lo, max: hi) else { return nil }
                i += used
                switch field {
                case .year: f.year = v
                case .month: f.month = v
                case .day: f.day = v
                case .hour: f.hour = v
                case .hour12:
                    guard v >= 1, v <= 12 else { return nil }
                    f.hour = v == 12 ? 0 : v
                case .minute: f.minute = v
                case .second: f.second = v
                }
            case .fraction:
                let used = TimestampFormat.skipDigits(p + i, n - i)
                guard used > 0 else { return nil }
                i += used
            case .meridiem:
                guard n - i >= 2, p[i + 1] | 0x20 == UInt8(ascii: "m") else { return nil }
                switch p[i] | 0x20 {
                case UInt8(ascii: "a"): f.pm = false
                case UInt8(ascii: "p"): f.pm = true
                default: return nil
                }
                i += 2
            case .zone:
                guard let (off, used) = TimestampFormat.zone(p + i, n - i) else { return nil }
                f.offset = off; i += used
            }
        }
        guard i == n else { return nil }
        if f.pm == true { f.hour += 12 }
        return TimestampFormat.seconds(f)
    }

    /// Seconds since 1970 of valid fields, nil when a field is out of range.
    static func seconds(_ f: Fields) -> Int64? {
        guard f.month >= 1, f.month <= 12, f.day >= 1, f.day <= CivilDate.daysIn(month: f.month, year: f.year),
              f.hour < 24, f.minute < 60, f.second < 60 else { return nil }
        return Int64(CivilDate.days(f.year, f.month, f.day)) * 86_400
            + Int64(f.hour * 3600 + f.minute * 60 + f.second) - Int64(f.offset)
    }

    /// `min...max` ASCII digits at `p` (as many as there are, up to `max`): the value and the count.
    @inline(__always)
    static func digits(_ p: UnsafePointer<UInt8>, _ n: Int, min lo: Int, max hi: Int) -> (Int, Int)? {
        var v = 0, k = 0
        while k < hi && k < n {
            let c = p[k] &- 48
            if c > 9 { break }
            v = v * 10 + Int(c); k += 1
        }
        return k >= lo ? (v, k) : nil
    }

    @inline(__always)
    static func skipDigits(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var k = 0
        while k < n && p[k] &- 48 <= 9 { k += 1 }
        return k
    }

    /// `Z`, `±hh`, `±hhmm` or `±hh:mm` at `p`: seconds east of UTC and the bytes used.
    static func zone(_ p: UnsafePointer<UInt8>, _ n: Int) -> (Int, Int)? {
        guard n >= 1 else { return nil }
        if p[0] == UInt8(ascii: "Z") { return (0, 1) }
        guard p[0] == UInt8(ascii: "+") || p[0] == UInt8(ascii: "-"),
              let (h, _) = digits(p + 1, n - 1, min: 2, max: 2), h <= 14 else { return nil }
        var used = 3, m = 0
        if n > 3, p[3] == UInt8(ascii: ":") {
            guard let (mm, _) = digits(p + 4, n - 4, min: 2, max: 2) else { return nil }
            m = mm; used = 6
        } else if let (mm, k) = digits(p + 3, n - 3, min: 2, max: 2) {
            m = mm; used = 3 + k
        }
        guard m < 60 else { return nil }
        let off = h * 3600 + m * 60
        return (p[0] == UInt8(ascii: "-") ? -off : off, used)
    }

    /// ISO 8601 as described on the type.
    static func parseISO(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        var f = Fields()
        var i = 0
        func expect(_ c: UInt8) -> Bool { if i < n && p[i] == c { i += 1; return true }; return false }
        func number(_ w: Int) -> Int? {
            guard let (v, k) = digits(p + i, n - i, min: w, max: w) else { return nil }
            i += k; return v
        }
        guard let y = number(4), expect(45), let mo = number(2), expect(45), let d = number(2) else { return nil }
        f.year = y; f.month = mo; f.day = d
        if i < n {
            guard p[i] == UInt8(ascii: "T") || p[i] == UInt8(ascii: " ") else { return nil }
            i += 1
            guard let h = number(2), expect(58), let mi = number(2) else { return nil }
            f.hour = h; f.minute = mi
            if expect(58) {
                guard let s = number(2) else { return nil }
                f.second = s
                if expect(46) || expect(44) {
                    let k = skipDigits(p + i, n - i)
                    guard k > 0 else { return nil }
                    i += k
                }
            }
            if i < n {
                guard let (off, used) = zone(p + i, n - i) else { return nil }
                f.offset = off; i += used
            }
        }
        guard i == n else { return nil }
        return seconds(f)
    }

    /// A (possibly negative, for seconds possibly fractional) number of seconds or milliseconds.
    static func parseEpoch(_ p: UnsafePointer<UInt8>, _ n: Int, milliseconds: Bool) -> Int64? {
        var i = 0, negative = false
        if i < n && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) { negative = p[i] == UInt8(ascii: "-"); i += 1 }
        let k = skipDigits(p + i, n - i)
        guard k > 0, k <= 16 else { return nil }
        var v: Int64 = 0
        for j in i..<(i + k) { v = v * 10 + Int64(p[j] - 48) }
        i += k
        var fractional = false
        if !milliseconds && i < n && p[i] == UInt8(ascii: ".") {
            let f = skipDigits(p + i + 1, n - i - 1)
            guard f > 0 else { return nil }
            fractional = (i + 1..<(i + 1 + f)).contains { p[$0] != 48 }
            i += 1 + f
        }
        guard i == n else { return nil }
        if milliseconds {
            // floor(v / 1000), also for times before 1970
            return negative ? -((v + 999) / 1000) : v / 1000
        }
        return negative ? -v - (fractional ? 1 : 0) : v
    }
}
