import CZlib
import PipelineCore

/// A ZIP archive of stored (uncompressed) entries, as Keras writes its `.keras` files.
///
/// ```swift
/// let bytes = StoredZip.archive([("config.json", Array(json.utf8)), ("model.weights.h5", h5)])
/// let entries = try StoredZip.entries(of: bytes)     // [(name, bytes)], CRC-checked
/// ```
///
/// Layout (PKWARE APPNOTE 6.3): per entry a local header (signature `PK\3\4`, version 2.0, method 0,
/// CRC-32 from zlib, sizes), the name and the bytes; then the central directory and its end record.
/// Entry names are UTF-8 (flag bit 11); the time stamp is 1980-01-01 00:00 so that the same model
/// gives the same bytes. No ZIP64: an entry or archive of 4 GiB or more is refused by ``archive(_:)``
/// (a precondition: a model's weights are far below it). ``entries(of:)`` reads what ``archive(_:)``
/// writes (stored entries only) and throws ``IOFailure`` for anything else or a CRC mismatch.
/// Cost: one copy of every entry and one CRC-32 pass.
public enum StoredZip {
    public static func archive(_ entries: [(name: String, bytes: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for (name, bytes) in entries {
            precondition(bytes.count < Int(UInt32.max) && out.count < Int(UInt32.max), "StoredZip: no ZIP64 support")
            let nameBytes = Array(name.utf8)
            let crc = crc32(of: bytes)
            let offset = UInt32(out.count)
            // Local file header.
            append32(&out, 0x0403_4b50); append16(&out, 20); append16(&out, 0x0800); append16(&out, 0)
            append16(&out, 0); append16(&out, 0x21)                      // time 00:00, date 1980-01-01
            append32(&out, crc); append32(&out, UInt32(bytes.count)); append32(&out, UInt32(bytes.count))
            append16(&out, UInt16(nameBytes.count)); append16(&out, 0)
            out += nameBytes
            out += bytes
            // Central directory entry.
            append32(&central, 0x0201_4b50); append16(&central, 20); append16(&central, 20); append16(&central, 0x0800)
            append16(&central, 0); append16(&central, 0); append16(&central, 0x21)
            append32(&central, crc); append32(&central, UInt32(bytes.count)); append32(&central, UInt32(bytes.count))
            append16(&central, UInt16(nameBytes.count)); append16(&central, 0); append16(&central, 0)
            append16(&central, 0); append16(&central, 0); append32(&central, 0o100644 << 16)
            append32(&central, offset)
            central += nameBytes
        }
        let centralOffset = UInt32(out.count)
        out += central
        append32(&out, 0x0605_4b50); append16(&out, 0); append16(&out, 0)
        append16(&out, UInt16(entries.count)); append16(&out, UInt16(entries.count))
        append32(&out, UInt32(central.count)); append32(&out, centralOffset); append16(&out, 0)
        return out
    }

    /// The stored entries of an archive, by its central directory.
    public static func entries(of bytes: [UInt8], path: String = "<zip>") throws -> [(name: String, bytes: [UInt8])] {
        func u16(_ i: Int) throws -> Int {
            guard i >= 0, i + 2 <= bytes.count else { throw IOFailure("truncated ZIP archive (offset \(i))", path: path) }
            return Int(bytes[i]) | Int(bytes[i + 1]) << 8
        }
        func u32(_ i: Int) throws -> Int { let low = try u16(i), high = try u16(i + 2); return low | high << 16 }
        guard bytes.count >= 22 else { throw IOFailure("not a ZIP archive (\(bytes.count) bytes)", path: path) }
        var end = bytes.count - 22
        while end >= 0, (try u32(end)) != 0x0605_4b50 { end -= 1 }
        guard end >= 0 else { throw IOFailure("not a ZIP archive (no end of central directory)", path: path) }
        var at = try u32(end + 16)
        var out: [(name: String, bytes: [UInt8])] = []
        for _ in 0..<(try u16(end + 10)) {
            guard try u32(at) == 0x0201_4b50 else { throw IOFailure("bad ZIP central directory at offset \(at)", path: path) }
            let method = try u16(at + 10), crc = try u32(at + 16), size = try u32(at + 20)
            let nameCount = try u16(at + 28), extra = try u16(at + 30), comment = try u16(at + 32), local = try u32(at + 42)
            guard at + 46 + nameCount <= bytes.count else { throw IOFailure("truncated ZIP central directory", path: path) }
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameCount)], as: UTF8.self)
            guard method == 0 else { throw IOFailure("ZIP entry '\(name)' is compressed (method \(method)); only stored entries are read", path: path) }
            let start = local + 30 + (try u16(local + 26)) + (try u16(local + 28))
            guard start + size <= bytes.count else { throw IOFailure("ZIP entry '\(name)' runs past the end of the archive", path: path) }
            let data = Array(bytes[start..<(start + size)])
            guard crc32(of: data) == UInt32(crc) else { throw IOFailure("ZIP entry '\(name)' fails its CRC-32 check", path: path) }
            out.append((name, data))
            at += 46 + nameCount + extra + comment
        }
        return out
    }

    /// zlib's CRC-32 (the ZIP polynomial).
    static func crc32(of bytes: [UInt8]) -> UInt32 {
        var crc: uLong = CZlib.crc32(0, nil, 0)
        var offset = 0
        bytes.withUnsafeBufferPointer { b in
            while offset < b.count {   // zlib takes a 32-bit length
                let n = min(b.count - offset, 1 << 30)
                crc = CZlib.crc32(crc, b.baseAddress! + offset, uInt(n))
                offset += n
            }
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    private static func append16(_ out: inout [UInt8], _ v: UInt16) { out += [UInt8(v & 0xff), UInt8(v >> 8)] }
    private static func append32(_ out: inout [UInt8], _ v: UInt32) {
        out += [UInt8(v & 0xff), UInt8((v >> 8) & 0xff), UInt8((v >> 16) & 0xff), UInt8(v >> 24)]
    }
}
