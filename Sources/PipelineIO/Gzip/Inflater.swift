import CZlib
import PipelineCore

/// A zlib inflate stream for gzip data (multi-member), with a fixed output buffer.
/// Owned by one ``AsyncGunzipSequence`` iterator; the `z_stream` lives at a stable heap
/// address because zlib keeps a pointer back to it.
final class Inflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutablePointer<UInt8>
    let capacity: Int
    private(set) var outputCount = 0
    private var input: [UInt8] = []
    private var inputOffset = 0
    /// Compressed bytes consumed so far (the offset reported in errors).
    private(set) var consumed = 0
    /// Decompressed bytes produced so far.
    private(set) var produced = 0
    /// 1-based index of the gzip member being (or last) decoded.
    private(set) var member = 0
    /// True between the first byte of a member and its trailer.
    private(set) var inMember = false
    let source: String
    let limits: ArchiveLimits

    init(capacity: Int, source: String, limits: ArchiveLimits = ArchiveLimits()) {
        self.capacity = capacity; self.source = source; self.limits = limits
        output = .allocate(capacity: capacity)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 32: largest window, detect gzip or zlib headers. (`inflateInit2` is a C macro.)
        let rc = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(rc == Z_OK, "inflateInit2 failed with \(rc) (out of memory?)")
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1); stream.deallocate()
        output.deallocate()
    }

    var hasInput: Bool { inputOffset < input.count }
    var isOutputFull: Bool { outputCount == capacity }

    func feed(_ chunk: [UInt8]) { input = chunk; inputOffset = 0 }

    /// Takes the decompressed bytes buffered so far.
    func takeOutput() -> [UInt8] {
        let chunk = Array(UnsafeBufferPointer(start: output, count: outputCount))
        outputCount = 0
        return chunk
    }

    /// Inflates buffered input until it is used up or the output buffer is full.
    func inflateAvailable() throws {
        while hasInput && !isOutputFull {
            if !inMember {
                // Between members: zero padding after a member is tolerated (as gzip(1) does).
                if member > 0 {
                    while inputOffset < input.count && input[inputOffset] == 0 { inputOffset += 1; consumed += 1 }
                    guard hasInput else { return }
                    inflateReset(stream)
                }
                inMember = true
                member += 1
            }
            let (rc, progressed) = input.withUnsafeBufferPointer { inBuf -> (Int32, Bool) in
                let available = min(inBuf.count - inputOffset, Int(UInt32.max))
                stream.pointee.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress! + inputOffset)
                stream.pointee.avail_in = UInt32(available)
                stream.pointee.next_out = output + outputCount
                stream.pointee.avail_out = UInt32(capacity - outputCount)
                let rc = inflate(stream, Z_NO_FLUSH)
                let used = available - Int(stream.pointee.avail_in)
                let made = capacity - outputCount - Int(stream.pointee.avail_out)
                inputOffset += used; consumed += used
                outputCount += made; produced += made
                stream.pointee.next_in = nil; stream.pointee.next_out = nil
                return (rc, used > 0 || made > 0)
            }
            try checkLimits()
            switch rc {
            case Z_OK: continue
            case Z_BUF_ERROR: if !progressed { return }
            case Z_STREAM_END: inMember = false
            default:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                let what = member > 1 && produced > 0 ? "data after gzip member \(member - 1) is not gzip" : "corrupt gzip data"
                throw IOFailure("\(what) at compressed byte offset \(consumed) (member \(member)): \(detail)",
                                path: source, hint: "is the input gzip-compressed, and complete? delete it and download again")
            }
        }
    }

    /// Throws when the decompressed size or the compression ratio crosses `limits`.
    private func checkLimits() throws {
        if produced > limits.maxTotalBytes {
            throw IOFailure("more than max_total_bytes \(limits.maxTotalBytes) bytes decompressed (from \(consumed) compressed bytes)",
                            path: source, hint: "possible decompression bomb; if the file is trusted, raise source.max_total_bytes")
        }
        guard produced > limits.ratioGraceBytes, consumed > 0 else { return }
        let ratio = Double(produced) / Double(consumed)
        if ratio > limits.maxCompressionRatio {
            throw IOFailure("compression ratio \(Int(ratio)):1 exceeds max_compression_ratio \(Int(limits.maxCompressionRatio)):1 "
                            + "(\(produced) bytes from \(consumed))", path: source,
                            hint: "possible decompression bomb; if the file is trusted, raise source.max_compression_ratio")
        }
    }

    /// The error for input that ended inside a member (or before any member).
    func truncationError() -> IOFailure {
        if member == 0 {
            return IOFailure("no gzip data: the input is empty", path: source, hint: "check the file or URL")
        }
        return IOFailure("truncated gzip data: input ended at compressed byte offset \(consumed), inside member \(member), "
                         + "after \(produced) decompressed bytes", path: source,
                         hint: "the file is incomplete: delete it and download again")
    }
}
