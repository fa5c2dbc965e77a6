/// JSON string literals: the one escaping routine shared by every module that writes JSON by hand
/// (metadata files, safetensors headers, `--json` output).
///
/// `JSONString.quote("a\"b\n")` → `"a\"b\n"` with the escapes RFC 8259 requires: quote,
/// backslash, and every control character below U+0020. Never fails.
public enum JSONString {
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
