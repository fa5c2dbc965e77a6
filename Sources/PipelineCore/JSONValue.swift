/// The one JSON value type: what `pipeline` parses (`vocab.json`, `run.json`, `history.json`) and
/// builds for `--json` output, `run.json` and `history.json`.
///
/// ```swift
/// let v = try JSONValue.parse(Array(#"{"epochs": 2, "loss": 0.6931471805599453}"#.utf8))
/// v["epochs"]?.int          // 2
/// v.text                    // {"epochs": 2, "loss": 0.6931471805599453}   (keys sorted)
/// JSONValue.object(["acc": .number(0.5), "n": .int(3)]).text   // {"acc": 0.5, "n": 3}
/// ```
///
/// Semantics: a number keeps its text (`.number("1e3")`), so a parsed document renders back
/// byte for byte (keys sorted) and 64-bit integers never pass through `Double`. The
/// constructors ``int(_:)`` and ``number(_:)`` render as the run files always have: an `Int` in
/// decimal, a `Double` with Swift's shortest round-trip text, integral values below 1e15 as
/// `N.0`, and a non-finite value as `null` (JSON has no NaN). ``text`` writes `{"k": v, …}` with
/// sorted keys and `", "` separators; strings go through ``JSONString`` (the one escaper).
/// Parsing follows RFC 8259 strictly (number grammar, escapes, no control characters in
/// strings), nests at most ``maxDepth`` deep, and fails with ``ParseError`` naming the byte
/// offset. Cost: parse O(bytes); one `[String: JSONValue]` per object.
public indirect enum JSONValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// A number as its JSON text (`"3"`, `"-2.5e3"`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// An integer, rendered in decimal.
    public static func int(_ i: Int) -> JSONValue { .number(String(i)) }

    /// A double, rendered as the run files always have (`0.5`, `2.0`, `1e-05`); `null` when not finite.
    public static func number(_ d: Double) -> JSONValue {
        guard d.isFinite else { return .null }
        return .number(d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) + ".0" : "\(d)")
    }

    /// Objects nested deeper than this are refused by ``parse(_:)`` (bounded stack on hostile files).
    public static let maxDepth = 512

    public subscript(key: String) -> JSONValue? {
        if case let .object(o) = self { return o[key] }
        return nil
    }
    public var string: String? { if case let .string(s) = self { return s }; return nil }
    public var int: Int? { if case let .number(n) = self { return Int(n) }; return nil }
    public var double: Double? { if case let .number(n) = self { return Double(n) }; return nil }
    public var array: [JSONValue]? { if case let .array(a) = self { return a }; return nil }
    public var isNull: Bool { self == .null }
    /// True for a number written without fraction or exponent (`3`, `-12`).
    public var isIntegerNumber: Bool {
        if case let .number(n) = self { return !n.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } }
        return false
    }

    /// The JSON text: keys sorted, `", "` between items and `": "` after keys, no newline.
    public var text: String {
        var out: [UInt8] = []
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { text }

    /// Appends ``text``'s bytes to `out`.
    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .number(let n): out += Array(n.utf8)
        case .string(let s): JSONString.append(s, to: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out += [UInt8(ascii: ","), UInt8(ascii: " ")] }
                v.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (i, k) in o.keys.sorted().enumerated() {
                if i > 0 { out += [UInt8(ascii: ","), UInt8(ascii: " ")] }
                JSONString.append(k, to: &out)
                out += [UInt8(ascii: ":"), UInt8(ascii: " ")]
                o[k]!.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Parses UTF-8 JSON text (any value at the top); throws ``ParseError`` with the byte offset.
    public static func parse<Bytes: Collection>(_ bytes: Bytes) throws -> JSONValue where Bytes.Element == UInt8 {
        var p = Parser(b: Array(bytes))
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == p.b.count else { throw p.error("trailing characters") }
        return v
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    private struct Parser {
        let b: [UInt8]
        var i = 0

        func error(_ m: String) -> ParseError { ParseError(offset: i, message: m) }

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }

        mutating func expect(_ word: String) throws {
            for c in word.utf8 {
                guard i < b.count, b[i] == c else { throw error("expected \(word)") }
                i += 1
            }
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard i < b.count else { throw error("unexpected end") }
            switch b[i] {
            case UInt8(ascii: "{"):
                guard depth < JSONValue.maxDepth else { throw error("nested deeper than \(JSONValue.maxDepth)") }
                i += 1; skipSpace()
                var o: [String: JSONValue] = [:]
                if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
                while true {
                    skipSpace()
                    let k = try string()
                    skipSpace(); try expect(":"); skipSpace()
                    o[k] = try value(depth: depth + 1)
                    skipSpace()
                    guard i < b.count else { throw error("unterminated object") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    try expect("}"); return .object(o)
                }
            case UInt8(ascii: "["):
                guard depth < JSONValue.maxDepth else { throw error("nested deeper than \(JSONValue.maxDepth)") }
                i += 1; skipSpace()
                var a: [JSONValue] = []
                if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                while true {
                    skipSpace(); a.append(try value(depth: depth + 1)); skipSpace()
                    guard i < b.count else { throw error("unterminated array") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    try expect("]"); return .array(a)
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            default: return .number(try number())
            }
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, as its text.
        mutating func number() throws -> String {
            let start = i
            func digits(_ p: inout Parser) -> Int {
                let s = p.i
                while p.i < p.b.count, p.b[p.i] >= 0x30 && p.b[p.i] <= 0x39 { p.i += 1 }
                return p.i - s
            }
            if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < b.count, b[i] >= 0x30 && b[i] <= 0x39 else { throw error("unexpected character") }
            if b[i] == 0x30 { i += 1 } else { _ = digits(&self) }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                guard digits(&self) > 0 else { throw error("a digit must follow the decimal point") }
            }
            if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                guard digits(&self) > 0 else { throw error("a digit must follow the exponent") }
            }
            return String(decoding: b[start..<i], as: UTF8.self)
        }

        mutating func string() throws -> String {
            try expect("\"")
            var out: [UInt8] = []
            while true {
                guard i < b.count else { throw error("unterminated string") }
                let c = b[i]
                if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
                guard c >= 0x20 else { throw error("control character in a string (write it as \\u00XX)") }
                i += 1
                if c != UInt8(ascii: "\\") { out.append(c); continue }
                guard i < b.count else { throw error("unterminated escape") }
                let e = b[i]; i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800 && scalar < 0xDC00, i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        scalar = low >= 0xDC00 && low < 0xE000 ? 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
                    }
                    out += Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
                default:
                    i -= 1
                    throw error("unknown escape \\\(Character(Unicode.Scalar(e)))")
                }
            }
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= b.count, let v = UInt32(String(decoding: b[i..<i + 4], as: UTF8.self), radix: 16) else {
                throw error("bad \\u escape")
            }
            i += 4
            return v
        }
    }
}
