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
/// Cost: a few ns per byte plus `body`; one scratch buffer of `maxTokenBytes` + 8 bytes.
public struct ByteTokenizer {
    private static let copy: UInt8 = 0, space: UInt8 = 1, delete: UInt8 = 2, angle: UInt8 = 3, lead: UInt8 = 4
    private var classes = [UInt8](repeating: 0, count: 256)
    private var mapped = [UInt8](repeating: 0, count: 256)
    private var scratch: [UInt8] = []
    private let strips: Bool
    private let maxTokenBytes: Int
    /// Words cut to `maxTokenBytes` so far (see ``TextStandardization``).
    public private(set) var cutTokens = 0

    public init(_ s: TextStandardization) {
        strips = s.standardize.strips
        maxTokenBytes = min(max(TextStandardization.minimumTokenBytes, s.maxTokenBytes), TextStandardization.maximumTokenBytes)
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

    /// Copies (mapped) bytes from `src[i..<end]` to `dst[n...]` while their class is `copy`;
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

    /// Calls `body` with each word of `bytes`, in order. A word longer than the standardization's
    /// `maxTokenBytes` is passed cut to that many bytes (at a UTF-8 character boundary) and
    /// counted in ``cutTokens``; the rest of it is read but not stored.
    public mutating func forEachToken(in bytes: UnsafeBufferPointer<UInt8>,
                                      _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        let count = bytes.count
        guard count > 0, let src = bytes.baseAddress else { return }
        // One word at most is held: `cap` bytes, plus room for the 3 bytes a lowercased
        // two-byte capital may write past it (İ → i + U+0307) before the cut is applied.
        let cap = maxTokenBytes
        if scratch.count < cap + 8 { scratch = [UInt8](repeating: 0, count: cap + 8) }
        let strips = self.strips
        var cut = 0
        defer { cutTokens += cut }
        try classes.withUnsafeBufferPointer { cls in
            try mapped.withUnsafeBufferPointer { map in
                try scratch.withUnsafeMutableBufferPointer { sp in
                    let dst = sp.baseAddress!
                    var i = 0, n = 0
                    var full = false   // the current word reached `cap`: further bytes are dropped
                    scan: while i < count {
                        if n >= cap {
                            // Drop the rest of an over-long word quickly; the slow cases below
                            // still see separators, and may write a few bytes past `cap`, which
                            // `emit` discards.
                            if n > cap { full = true; n = cap }
                            let first = i
                            while i < count && cls[Int(src[i])] == Self.copy { i &+= 1 }
                            if i > first { full = true }
                            if i == count { break scan }
                        } else {
                            // The common case in a function of its own: inlined, LLVM folds it
                            // into a per-byte jump table that costs 3x.
                            (i, n) = Self.copyRun(src, i, min(count, i + (cap - n)), dst, n, cls.baseAddress!, map.baseAddress!)
                            if i == count { break scan }
                            if n >= cap { continue scan }
                        }
                        let b = src[i]
                        switch cls[Int(b)] {
                        case Self.copy:
                            break   // only when the word is full: dropped
                        case Self.space:   // end of a word (`emit`, spelled out: `rethrows` allows no local throwing function)
                            if full || n > cap { n = Self.boundary(dst, min(n, cap)); cut += 1; full = false }
                            if n > 0 { try body(UnsafeBufferPointer(start: dst, count: n)); n = 0 }
                        case Self.delete:
                            break
                        case Self.angle:
                            if i + 5 < count && src[i + 1] == 0x62 && src[i + 2] == 0x72 && src[i + 3] == 0x20
                                && src[i + 4] == 0x2F && src[i + 5] == 0x3E {   // "<br />"
                                if full || n > cap { n = Self.boundary(dst, min(n, cap)); cut += 1; full = false }
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
                    if full || n > cap { n = Self.boundary(dst, min(n, cap)); cut += 1; full = false }
                    if n > 0 { try body(UnsafeBufferPointer(start: dst, count: n)); n = 0 }
                }
            }
        }
    }

    /// The longest prefix of `dst[0..<n]` that does not end inside a UTF-8 character (a cut
    /// must not leave half a character; invalid sequences are left as they are).
    private static func boundary(_ dst: UnsafeMutablePointer<UInt8>, _ n: Int) -> Int {
        var p = n - 1
        while p >= 0 && n - p <= 4 && dst[p] & 0xC0 == 0x80 { p -= 1 }   // back to the last lead byte
        guard p >= 0, n - p <= 4 else { return n }
        let lead = dst[p]
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return p + length > n ? p : n
    }
}
