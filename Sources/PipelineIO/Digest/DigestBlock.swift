/// A message digest: its raw bytes and the lowercase hexadecimal form used in checksum files.
///
/// ```swift
/// SHA256.hash(Array("abc".utf8)).hex   // "ba7816bf8f01cfea…"
/// ```
public struct Digest: Sendable, Equatable, CustomStringConvertible {
    public let bytes: [UInt8]
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Lowercase hexadecimal, two characters per byte.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](); out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }
}

/// The partial 64-byte block that SHA-256 and MD5 keep between updates, stored inline
/// (no heap allocation) so hashers are cheap values.
struct DigestBlock: Sendable {
    private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0

    var isFull: Bool { count == 64 }

    /// Copies as many bytes of `bytes` as fit and returns the bytes that did not.
    mutating func fill(from bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let n = min(64 - count, bytes.count)
        if n > 0 {
            let start = count
            withUnsafeMutableBytes(of: &storage) { dst in
                dst.baseAddress!.advanced(by: start).copyMemory(from: bytes.baseAddress!, byteCount: n)
            }
            count += n
        }
        return UnsafeRawBufferPointer(rebasing: bytes[n...])
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeBytes(of: storage) { body($0) }
    }

    /// The Merkle–Damgård padding for a message of `length` bytes: 0x80, zeros up to 56 mod 64,
    /// then the length in bits as a 64-bit integer (big-endian for SHA-256, little for MD5).
    static func padding(length: UInt64, bigEndian: Bool) -> [UInt8] {
        let r = Int(length % 64)
        let zeros = r < 56 ? 55 - r : 119 - r
        var tail = [UInt8](repeating: 0, count: 1 + zeros)
        tail[0] = 0x80
        let bits = length &* 8
        withUnsafeBytes(of: bigEndian ? bits.bigEndian : bits.littleEndian) { tail += $0 }
        return tail
    }
}
