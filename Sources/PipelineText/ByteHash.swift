/// Hashes of byte strings: a fast seeded 64-bit mix for hash tables, and FNV-1a 64 for
/// content hashes that must stay stable across runs, processes and platforms.
enum ByteHash {
    /// A wyhash-style mix of 8-byte words (overlapping loads for the tail, no reads past the end).
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = key.count
        guard n > 0, let p = key.baseAddress else { return 0x9E37_79B9_7F4A_7C15 }
        let raw = UnsafeRawPointer(p)
        var h: UInt64 = mix(0x9E37_79B9_7F4A_7C15 ^ UInt64(n))
        if n >= 8 {
            var i = 0
            while i + 8 <= n {
                h = mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            if i < n { h = mix(h ^ raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) }
        } else if n >= 4 {
            let a = UInt64(raw.loadUnaligned(as: UInt32.self))
            let b = UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            h = mix(h ^ (a << 32 | b))
        } else {
            let v = UInt64(p[0]) << 16 | UInt64(p[n >> 1]) << 8 | UInt64(p[n - 1])
            h = mix(h ^ v)
        }
        return mix(h ^ (h >> 31))
    }

    /// The first 8 bytes of `key`, zero-padded, little-endian (no reads past the end).
    @inline(__always)
    static func prefix(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = key.count
        guard n > 0, let p = key.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(p)
        if n >= 8 { return raw.loadUnaligned(as: UInt64.self) }
        if n >= 4 {
            let a = UInt64(raw.loadUnaligned(as: UInt32.self))
            let b = UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            return a | b << UInt64(8 * (n - 4))
        }
        var v = UInt64(p[0])
        if n > 1 { v |= UInt64(p[1]) << 8 }
        if n > 2 { v |= UInt64(p[2]) << 16 }
        return v
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        let m = x.multipliedFullWidth(by: 0xBF58_476D_1CE4_E5B9)
        return m.high ^ m.low
    }

    /// FNV-1a 64-bit, continued from `h`.
    static func fnv1a<S: Sequence>(_ bytes: S, _ h: inout UInt64) where S.Element == UInt8 {
        for b in bytes { h ^= UInt64(b); h = h &* 0x100_0000_01b3 }
    }

    static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
}
