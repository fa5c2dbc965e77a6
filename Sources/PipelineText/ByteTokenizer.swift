/// The hot-path word splitter behind ``TextStandardization``: scans UTF-8 bytes once and hands
/// each standardised word to a closure as a borrowed byte slice, without allocating.
///
/// ```swift
/// var tokenizer = ByteTokenizer(TextStandardization())
/// var text = review.text
/// text.withUTF8 { bytes in tokenizer.forEachToken(in: bytes) { word in table.insert(word) } }
/// ```
///
/// Semantics: exactly ``TextStandardization``'s four steps, fused: ASCII bytes go through a
/// class table (copy lowercased / whitespace / delete / `<`), and with `lowercase: .utf8` the lead
/// bytes of two-byte capitals are decoded, mapped by ``UnicodeLowercase`` and re-encoded.
/// The slice passed to `body` is valid only during the call. Invalid UTF-8 is copied unchanged.
/// Cost: a few ns per byte plus `body`; one scratch buffer of 1.5× the longest input.
public struct ByteTokenizer {
    private static let copy: UInt8 = 0, space: UInt8 = 1, delete: UInt8 = 2, angle: UInt8 = 3, lead: UInt8 = 4
    private var classes = [UInt8](repeating: 0, count: 256)
    private var mapped = [UInt8](repeating: 0, count: 256)
    private var scratch: [UInt8] = []
    private let strips: Bool

    public init(_ s: TextStandardization) {
        strips = s.standardize.strips
        for b in 0..<256 {
            mapped[b] = UInt8(b)
            if s.standardize.lowers && b >= 0x41 && b <= 0x5A { mapped[b] = UInt8(b + 0x20) }
        }
        if strips {
            for b in Array(##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"##.utf8) { classes[Int(b)] = Self.delete }
        }
        for b in [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D] { classes[b] = Self.space }
        if s.html == .space { classes[0x3C] = Self.angle }
        if s.standardize.lowers && s.lowercase == .utf8 {
            for b in [0xC3, 0xC4, 0xC5, 0xCE, 0xD0] { classes[b] = Self.lead }
        }
    }

    /// Copies (mapped) bytes from `src[i...]` to `dst[n...]` while their class is `copy`;
    /// returns the new `i` and `n`.
    @inline(never)
    private static func copyRun(_ src: UnsafePointer<UInt8>, _ i0: Int, _ count: Int, _ dst: UnsafeMutablePointer<UInt8>,
                                _ n0: Int, _ cls: UnsafePointer<UInt8>, _ map: UnsafePointer<UInt8>) -> (Int, Int) {
        var i = i0, n = n0
        while i < count {
            let b = src[i]
            if cls[Int(b)] != copy { break }
            dst[n] = map[Int(b)]
            n &+= 1; i &+= 1
        }
        return (i, n)
    }

    /// Calls `body` with each word of `bytes`, in order.
    public mutating func forEachToken(in bytes: UnsafeBufferPointer<UInt8>,
                                      _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        let count = bytes.count
        guard count > 0, let src = bytes.baseAddress else { return }
        // Lowercasing never lengthens text, except İ (2 bytes) → i + U+0307 (3 bytes).
        let need = count + count / 2 + 1
        if scratch.count < need { scratch = [UInt8](repeating: 0, count: max(need, 2 * scratch.count)) }
        let strips = self.strips
        try classes.withUnsafeBufferPointer { cls in
            try mapped.withUnsafeBufferPointer { map in
                try scratch.withUnsafeMutableBufferPointer { sp in
                    let dst = sp.baseAddress!
                    var i = 0, n = 0
                    scan: while i < count {
                        // The common case in a function of its own: inlined, LLVM folds it
                        // into a per-byte jump table that costs 3x.
                        (i, n) = Self.copyRun(src, i, count, dst, n, cls.baseAddress!, map.baseAddress!)
                        if i == count { break scan }
                        let b = src[i]
                        switch cls[Int(b)] {
                        case Self.space:
                            if n > 0 { try body(UnsafeBufferPointer(start: dst, count: n)); n = 0 }
                        case Self.delete:
                            break
                        case Self.angle:
                            if i + 5 < count && src[i + 1] == 0x62 && src[i + 2] == 0x72 && src[i + 3] == 0x20
                                && src[i + 4] == 0x2F && src[i + 5] == 0x3E {   // "<br />"
                                if n > 0 { try body(UnsafeBufferPointer(start: dst, count: n)); n = 0 }
                                i += 6
                                continue
                            }
                            if !strips { dst[n] = b; n += 1 }
                        default:   // lead byte of a two-byte capital we may lowercase
                            let c1 = i + 1 < count ? src[i + 1] : 0
                            if c1 & 0xC0 == 0x80 {
                                let scalar = UInt32(b & 0x1F) << 6 | UInt32(c1 & 0x3F)
                                let lower = UnicodeLowercase.map(scalar)
                                if lower < 0x80 {
                                    dst[n] = UInt8(lower); n += 1
                                    if scalar == 0x130 { dst[n] = 0xCC; dst[n + 1] = 0x87; n += 2 }   // İ → i + U+0307
                                } else {
                                    dst[n] = UInt8(0xC0 | lower >> 6); dst[n + 1] = UInt8(0x80 | lower & 0x3F); n += 2
                                }
                                i += 2
                                continue
                            }
                            dst[n] = b; n += 1
                        }
                        i += 1
                    }
                    if n > 0 { try body(UnsafeBufferPointer(start: dst, count: n)) }
                }
            }
        }
    }
}
