/// Simple (one-to-one) lowercase mapping for the two-byte UTF-8 capitals we support:
/// Latin-1 Supplement, Latin Extended-A, Greek and basic Cyrillic. Matches ICU's `u_tolower`
/// (what `tf.strings.lower(x, encoding="utf-8")` uses) on U+00C0–U+017F, U+0386–U+03AB and
/// U+0400–U+042F; every other scalar maps to itself. U+0130 (İ) maps to `i` here and
/// ``ByteTokenizer`` appends U+0307, as ICU's full mapping (`i̇`) does.
enum UnicodeLowercase {
    @inline(__always)
    static func map(_ c: UInt32) -> UInt32 {
        switch c {
        case 0xC0...0xDE where c != 0xD7: return c + 0x20
        case 0x130: return 0x69
        case 0x100...0x137, 0x14A...0x177:
            return c & 1 == 0 ? c + 1 : c
        case 0x139...0x148, 0x179...0x17E:
            return c & 1 == 1 ? c + 1 : c
        case 0x178: return 0xFF
        case 0x386: return 0x3AC
        case 0x388...0x38A: return c + 37
        case 0x38C: return 0x3CC
        case 0x38E, 0x38F: return c + 63
        case 0x391...0x3AB where c != 0x3A2: return c + 32
        case 0x400...0x40F: return c + 80
        case 0x410...0x42F: return c + 32
        default: return c
        }
    }
}
