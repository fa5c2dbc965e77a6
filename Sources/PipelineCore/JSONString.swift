/// JSON string literals: the one escaping routine shared by every module that writes JSON by hand
/// (metadata files, safetensors headers, `--json` output).
///
/// `JSONString.quote("a\"b\n")` → `"a\"b\n"` with the escapes RFC 8259 requires: quote,
/// backslash, and every control character below U+0020. Never fails.
public enum JSONString {
    public static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        append(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` as a JSON string literal to UTF-8 bytes: the same bytes as `quote(s)`,
    /// without building a `String` (vocabularies write one per word).
    public static func append(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""): out += [0x5C, 0x22]
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0..<0x20:
                let h = String(c, radix: 16)
                out += Array("\\u00".utf8) + Array((h.count == 1 ? "0" + h : h).utf8)
            default: out.append(c)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
