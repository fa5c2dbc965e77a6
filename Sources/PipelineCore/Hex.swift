extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal, two characters per byte: the form of checksum files
    /// (`sha256sum`, `md5sum`), of the spec's `sha256:`/`md5:` keys and of the weight checksum.
    ///
    /// ```swift
    /// SHA256.hash(data: Array("abc".utf8)).hex   // "ba7816bf8f01cfea…" (a swift-crypto digest is a byte sequence)
    /// [0x00, 0xff].hex                           // "00ff"
    /// ```
    /// Cost: one pass, one allocation of twice the byte count.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](); out.reserveCapacity(underestimatedCount * 2)
        for b in self { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
