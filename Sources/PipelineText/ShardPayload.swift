import PipelineCore

/// The little-endian framing of what the ranks of a sharded preparation exchange
/// (``ShardedTokenization``): unsigned integers as 8 bytes, byte strings as a length then the
/// bytes. Not a file format: both ends are the same build of the tool.
struct ShardPayloadWriter {
    private(set) var bytes: [UInt8] = []
    mutating func int(_ v: Int) { var x = UInt64(bitPattern: Int64(v)); for _ in 0..<8 { bytes.append(UInt8(x & 0xFF)); x >>= 8 } }
    mutating func data(_ b: UnsafeBufferPointer<UInt8>) { int(b.count); bytes.append(contentsOf: b) }
    mutating func string(_ s: String) { int(s.utf8.count); bytes.append(contentsOf: s.utf8) }
}

/// Reads what ``ShardPayloadWriter`` wrote; a payload that ends early throws (a bug or a
/// mismatched build on another rank, never user data).
struct ShardPayloadReader {
    let bytes: [UInt8]
    let rank: Int
    private var at = 0
    init(_ bytes: [UInt8], rank: Int) { self.bytes = bytes; self.rank = rank }
    var atEnd: Bool { at == bytes.count }

    mutating func int() throws -> Int {
        guard at + 8 <= bytes.count else { throw truncated() }
        var x: UInt64 = 0
        for k in 0..<8 { x |= UInt64(bytes[at + k]) << (8 * k) }
        at += 8
        return Int(Int64(bitPattern: x))
    }

    /// The next byte string as a range of ``bytes``.
    mutating func dataRange() throws -> Range<Int> {
        let n = try int()
        guard n >= 0, at + n <= bytes.count else { throw truncated() }
        defer { at += n }
        return at..<at + n
    }

    mutating func string() throws -> String { String(decoding: bytes[try dataRange()], as: UTF8.self) }

    private func truncated() -> IOFailure {
        IOFailure("rank \(rank)'s payload ends early (\(bytes.count) bytes)", path: "mpirun",
                  hint: "every rank must run the same build of pipeline")
    }
}
