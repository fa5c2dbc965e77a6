import CArchive
import Foundation
import PipelineCore

/// Runs libarchive on a dedicated thread: its read callback blocks on `input` (chunks pushed
/// by an async producer task) and the items it decodes are handed to async code through
/// `output` in batches (one task hop per batch, not per entry). Memory stays bounded by the two
/// queues' capacities plus one entry. No temporary file.
final class ArchiveWorker: @unchecked Sendable {
    let input: HandoffQueue<[UInt8]>
    let output: HandoffQueue<[ArchiveItem]>
    let config: ArchiveReadConfig

    // Read-callback state (touched only on the worker thread).
    /// libarchive gets the input in blocks of at most 64 KiB, so `bytesConsumed` (and with it
    /// the compression ratio) follows what the decompressor really used.
    private static let blockSize = 1 << 16
    private let buffer = UnsafeMutableRawPointer.allocate(byteCount: ArchiveWorker.blockSize, alignment: 16)
    private var pending: [UInt8] = []
    private var pendingOffset = 0
    private var bytesConsumed = 0
    private var inputEnded = false
    private var inputError: (any Error)?

    // Accounting for limits and messages.
    private var decompressed = 0
    private var yielded = 0
    private var acceptedBytes = 0
    private var seen = 0
    private var currentEntry: String?
    private var lastEntry: String?

    init(input: HandoffQueue<[UInt8]>, output: HandoffQueue<[ArchiveItem]>, config: ArchiveReadConfig) {
        self.input = input; self.output = output; self.config = config
    }

    deinit { buffer.deallocate() }

    /// Starts the thread. It ends when the archive ends, fails, or either queue is cancelled.
    func start() {
        let thread = Thread { [self] in self.run() }
        thread.name = "archive-reader"
        thread.start()
    }

    private func run() {
        let a = archive_read_new()!
        defer { archive_read_free(a) }
        do {
            try read(a)
            // The archive may end before its input does (end-of-archive blocks, gzip trailer,
            // padding). Drain the rest so a streaming download still completes, verifies and
            // lands in the cache, and report its failure (a checksum mismatch) if it has one.
            while true {
                switch input.popBlocking() {
                case .item, .wait: continue
                case .end: output.finish()
                case .failed(let error): output.finish(error)
                }
                break
            }
        } catch {
            input.cancel()   // stop the producer task
            output.finish(error)
        }
    }

    private func read(_ a: OpaquePointer) throws {
        archive_read_support_filter_all(a)
        archive_read_support_format_all(a)
        let me = Unmanaged.passUnretained(self).toOpaque()
        guard archive_read_open(a, me, nil, archiveWorkerRead, nil) == ARCHIVE_OK else {
            throw failure(a, "cannot read archive")
        }
        var batch: [ArchiveItem] = []
        var batchBytes = 0
        var entry: OpaquePointer?
        var singlePath: String?
        var inDamagedRun = false   // consecutive damaged headers are one skipped region
        while true {
            let rc = archive_read_next_header(a, &entry)
            if rc == ARCHIVE_EOF { break }
            if rc == ARCHIVE_RETRY {
                // A damaged header (bad checksum…): libarchive could resynchronise on the next
                // valid one, but the member it described would be lost. It has just consumed the
                // header: for tar, the 512 bytes before the position.
                let after = Int(archive_filter_bytes(a, 0))
                let isTar = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK == ARCHIVE_FORMAT_TAR
                let offset = isTar ? max(0, after - 512) : after
                let place = lastEntry.map { "the header after entry '\($0)'" } ?? "the first header"
                let detail = archive_error_string(a).map { String(cString: $0) } ?? "damaged header"
                if config.onCorrupt == .error {
                    throw ArchiveError(.corrupt, source: config.source, entry: nil,
                                       message: "\(place), at byte \(offset) of the uncompressed archive, is damaged: \(detail) "
                                       + "(the member it describes would be lost; set source.on_corrupt_entry: skip to skip damaged members)")
                }
                if !inDamagedRun { config.report?.recordSkip("\(place) (byte \(offset)): \(detail)") }
                inDamagedRun = true
                continue
            }
            if rc < ARCHIVE_WARN { throw failure(a, lastEntry.map { "cannot read the header after '\($0)'" } ?? "cannot read the first header") }
            inDamagedRun = false
            guard let entry, let raw = archive_entry_pathname(entry) ?? archive_entry_pathname_utf8(entry) else { continue }
            let path = EntryPath.normalize(String(cString: raw))
            seen += 1
            lastEntry = path
            currentEntry = path
            let mode = UInt32(archive_entry_perm(entry))
            let type = UInt32(archive_entry_filetype(entry))
            let declared = archive_entry_size_is_set(entry) != 0 ? max(0, Int(archive_entry_size(entry))) : nil
            var item: ArchiveItem?
            if let link = archive_entry_hardlink(entry) {
                if config.includeLinks { item = ArchiveItem(path: path, kind: .hardlink(EntryPath.normalize(String(cString: link))), mode: mode) }
            } else if type == 0o120000 {
                if config.includeLinks, let target = archive_entry_symlink(entry) {
                    item = ArchiveItem(path: path, kind: .symlink(String(cString: target)), mode: mode)
                }
            } else if type == 0o040000 {
                if config.includeLinks { item = ArchiveItem(path: path, kind: .directory, mode: mode) }
            } else if type == 0o100000 && !path.isEmpty && config.filter.accepts(path) {
                if config.singleFile {
                    if let first = singlePath { throw severalEntries(a, first, path) }
                    singlePath = path
                    yielded += 1
                    if !batch.isEmpty { guard output.pushBlocking(batch) else { return } }
                    batch = []; batchBytes = 0
                    guard try streamData(a, mode: mode) else { return }
                } else {
                    do {
                        let data = try readData(a, declared: declared)
                        acceptedBytes += data.count
                        batchBytes += data.count
                        item = ArchiveItem(path: path, kind: .file(data), mode: mode)
                    } catch is SkippedEntry {
                        item = nil
                    }
                }
            } else {
                // Skipped: libarchive still decompresses it (at the next header), so a huge
                // declared size is checked against the ratio before that happens.
                decompressed += declared ?? 0
                try checkRatio()
            }
            currentEntry = nil
            if let item { batch.append(item); yielded += 1 }
            if batch.count >= 64 || batchBytes >= 1 << 20 {
                guard output.pushBlocking(batch) else { return }
                batch = []; batchBytes = 0
            }
        }
        if !batch.isEmpty { guard output.pushBlocking(batch) else { return } }
        if yielded == 0 && config.onEmpty == .error {
            if seen == 0 { throw ArchiveError(.empty, source: config.source, message: "the archive has no entries") }
            throw ArchiveError(.noMatchingEntries, source: config.source,
                               message: "no regular file among the \(seen) entries read matches \(config.filter)")
        }
    }

    /// Thrown by `readData` for an entry skipped under `on_corrupt_entry: skip`.
    private struct SkippedEntry: Error {}

    /// A data read error: fatal ones (truncation, a broken stream) always throw; an entry whose
    /// own data is damaged while the archive goes on (a zip CRC error) is skipped under `.skip`.
    private func dataFailure(_ a: OpaquePointer, _ r: Int) throws -> Never {
        if config.onCorrupt == .skip && r != Int(ARCHIVE_FATAL) && inputError == nil && !inputEnded {
            let detail = archive_error_string(a).map { String(cString: $0) } ?? "damaged data"
            config.report?.recordSkip("entry '\(currentEntry ?? "?")': \(detail)")
            throw SkippedEntry()
        }
        throw failure(a, "cannot read the entry's data")
    }

    /// Reads the current entry's bytes in blocks of at most 64 KiB, enforcing the limits.
    private func readData(_ a: OpaquePointer, declared: Int?) throws -> [UInt8] {
        let limits = config.limits
        let block = 64 << 10
        if let declared {
            if declared > limits.maxEntryBytes { throw limit("entry size \(declared) bytes exceeds max_entry_bytes \(limits.maxEntryBytes)", key: "max_entry_bytes") }
            if acceptedBytes + declared > limits.maxTotalBytes {
                throw limit("total size \(acceptedBytes + declared) bytes exceeds max_total_bytes \(limits.maxTotalBytes)", key: "max_total_bytes")
            }
            let data = try [UInt8](unsafeUninitializedCapacity: declared) { buf, count in
                count = 0
                while count < declared {
                    let r = archive_read_data(a, buf.baseAddress! + count, min(block, declared - count))
                    if r < 0 { try dataFailure(a, r) }
                    if r == 0 { break }
                    count += r; decompressed += r
                    try checkRatio()
                }
            }
            if data.count < declared {
                throw ArchiveError(inputEnded ? .truncated : .corrupt, source: config.source, entry: currentEntry,
                                   message: "entry ended after \(data.count) of the \(declared) bytes its header declares")
            }
            return data
        }
        // Size unknown (zip entries written by a stream): grow as we read.
        var data = [UInt8]()
        while true {
            let start = data.count
            data.append(contentsOf: repeatElement(0, count: block))
            let r = data.withUnsafeMutableBytes { archive_read_data(a, $0.baseAddress! + start, block) }
            data.removeLast(block - max(r, 0))
            if r < 0 { try dataFailure(a, r) }
            if r == 0 { return data }
            decompressed += r
            if data.count > limits.maxEntryBytes { throw limit("entry size exceeds max_entry_bytes \(limits.maxEntryBytes)", key: "max_entry_bytes") }
            if acceptedBytes + data.count > limits.maxTotalBytes { throw limit("total size exceeds max_total_bytes \(limits.maxTotalBytes)", key: "max_total_bytes") }
            try checkRatio()
        }
    }

    /// Streams the current entry to `output` as `.chunk` items of up to 1 MiB (single-file reads:
    /// the entry is never held whole). False when the consumer went away.
    private func streamData(_ a: OpaquePointer, mode: UInt32) throws -> Bool {
        let limits = config.limits
        let block = 64 << 10, piece = 1 << 20
        var chunk = [UInt8](repeating: 0, count: piece)
        var filled = 0
        while true {
            let r = chunk.withUnsafeMutableBytes { archive_read_data(a, $0.baseAddress! + filled, min(block, piece - filled)) }
            if r < 0 { throw failure(a, "cannot read the entry's data") }
            filled += r; decompressed += r; acceptedBytes += r
            if acceptedBytes > limits.maxTotalBytes { throw limit("total size exceeds max_total_bytes \(limits.maxTotalBytes)", key: "max_total_bytes") }
            try checkRatio()
            if filled == piece || (r == 0 && filled > 0) {
                let out = filled == piece ? chunk : Array(chunk[..<filled])
                guard output.pushBlocking([ArchiveItem(path: currentEntry ?? "", kind: .chunk(out), mode: mode)]) else { return false }
                filled = 0
            }
            if r == 0 { return true }
        }
    }

    /// The error for a single-file read that met a second accepted file: lists the accepted
    /// files (reading the remaining headers, not their data).
    private func severalEntries(_ a: OpaquePointer, _ first: String, _ second: String) -> ArchiveError {
        var names = [first, second]
        var more = 0
        var entry: OpaquePointer?
        var headers = 0
        while headers < 100_000, case let rc = archive_read_next_header(a, &entry), rc == ARCHIVE_OK || rc == ARCHIVE_WARN, let entry {
            headers += 1
            guard UInt32(archive_entry_filetype(entry)) == 0o100000, archive_entry_hardlink(entry) == nil,
                  let raw = archive_entry_pathname(entry) ?? archive_entry_pathname_utf8(entry) else { continue }
            let path = EntryPath.normalize(String(cString: raw))
            if path.isEmpty || !config.filter.accepts(path) { continue }
            if names.count < 10 { names.append(path) } else { more += 1 }
            if archive_entry_size_is_set(entry) != 0 { decompressed += max(0, Int(archive_entry_size(entry))) }
            if (try? checkRatio()) == nil { break }
        }
        let list = names.map { "'\($0)'" }.joined(separator: ", ") + (more > 0 ? " and \(more) more" : "")
        let pick = config.filter.acceptsAll ? "" : " (now \(config.filter))"
        return ArchiveError(.severalEntries, source: config.source, entry: nil,
                            message: "\(names.count + more) files match where one is read: \(list); set source.include to the one to read"
                            + "\(pick), e.g. include: [\"\(first)\"]")
    }

    private func checkRatio() throws {
        let limits = config.limits
        guard decompressed > limits.ratioGraceBytes, bytesConsumed > 0 else { return }
        let ratio = Double(decompressed) / Double(bytesConsumed)
        if ratio > limits.maxCompressionRatio {
            throw limit("compression ratio \(Int(ratio)):1 exceeds max_compression_ratio \(Int(limits.maxCompressionRatio)):1 "
                        + "(\(decompressed) bytes from \(bytesConsumed))", key: "max_compression_ratio")
        }
    }

    private func limit(_ message: String, key: String) -> ArchiveError {
        ArchiveError(.limitExceeded, source: config.source, entry: currentEntry,
                     message: message + " (possible decompression bomb; if the archive is trusted, raise source.\(key))")
    }

    private func failure(_ a: OpaquePointer, _ what: String) -> ArchiveError {
        if let inputError {
            return ArchiveError(.input, source: config.source, entry: currentEntry, message: "the input failed", underlying: inputError)
        }
        let detail = archive_error_string(a).map { String(cString: $0) } ?? "unknown libarchive error"
        let truncated = detail.lowercased().contains("truncat") || (inputEnded && currentEntry != nil)
        return ArchiveError(truncated ? .truncated : .corrupt, source: config.source, entry: currentEntry,
                            message: "\(truncated ? "truncated archive" : "corrupt or unsupported archive"): \(what): \(detail)")
    }

    /// libarchive's read callback: the next input chunk, 0 at the end, -1 on failure or cancel.
    fileprivate func nextBlock(_ out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        while pendingOffset >= pending.count {
            switch input.popBlocking() {
            case .item(let chunk):
                pending = chunk; pendingOffset = 0   // an empty chunk is skipped: 0 would mean end of input
            case .end:
                if input.isCancelled { return -1 }
                inputEnded = true
                return 0
            case .failed(let error):
                inputError = error
                return -1
            case .wait:
                continue
            }
        }
        let n = min(ArchiveWorker.blockSize, pending.count - pendingOffset)
        pending.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + pendingOffset, byteCount: n) }
        pendingOffset += n
        bytesConsumed += n
        out.pointee = UnsafeRawPointer(buffer)
        return n
    }
}

private func archiveWorkerRead(_ a: OpaquePointer?, _ client: UnsafeMutableRawPointer?,
                               _ buffer: UnsafeMutablePointer<UnsafeRawPointer?>?) -> la_ssize_t {
    let worker = Unmanaged<ArchiveWorker>.fromOpaque(client!).takeUnretainedValue()
    return la_ssize_t(worker.nextBlock(buffer!))
}
