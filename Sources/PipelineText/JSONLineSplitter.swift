/// Splits a byte stream into lines (LF, with a CR before it dropped) for JSONL, in bounded memory.
///
/// ```swift
/// var s = JSONLineSplitter(maxLineBytes: 1 << 20)
/// try s.feed(chunk) { line, tooLong, number in … }   // any chunking
/// try s.finish { line, tooLong, number in … }        // a last line without a final newline
/// ```
///
/// A line longer than `maxLineBytes` is reported once with `tooLong` true and its bytes dropped
/// (it is never held whole). Line numbers are 1-based. Never throws itself; `emit` may.
public struct JSONLineSplitter {
    public let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var tooLong = false
    private var line = 1

    /// The line bound for JSONL with texts of at most `maxTextBytes`: escapes can take up to
    /// 6 bytes per character, so 4 × the text plus 64 KiB for the other keys.
    public static func lineLimit(maxTextBytes: Int) -> Int { 4 * maxTextBytes + 65_536 }

    public init(maxLineBytes: Int) { self.maxLineBytes = maxLineBytes }

    public mutating func feed(_ chunk: [UInt8], emit: (ArraySlice<UInt8>, Bool, Int) throws -> Void) rethrows {
        var start = 0
        while start < chunk.count {
            guard let nl = chunk[start...].firstIndex(of: 0x0A) else {
                take(chunk[start...]); return
            }
            take(chunk[start..<nl])
            try endLine(emit)
            start = nl + 1
        }
    }

    public mutating func finish(emit: (ArraySlice<UInt8>, Bool, Int) throws -> Void) rethrows {
        if !buffer.isEmpty || tooLong { try endLine(emit) }
    }

    private mutating func take(_ bytes: ArraySlice<UInt8>) {
        if tooLong { return }
        if buffer.count + bytes.count > maxLineBytes { tooLong = true; buffer = []; return }
        buffer.append(contentsOf: bytes)
    }

    private mutating func endLine(_ emit: (ArraySlice<UInt8>, Bool, Int) throws -> Void) rethrows {
        if buffer.last == 0x0D { buffer.removeLast() }
        let wasTooLong = tooLong
        tooLong = false
        defer { buffer.removeAll(keepingCapacity: true); line += 1 }
        try emit(buffer[...], wasTooLong, line)
    }
}
