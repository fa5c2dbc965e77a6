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
    private var buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 16, alignment: 16)
    private var bufferCapacity = 1 << 16
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
        while true {
            let rc = archive_read_next_header(a, &entry)
            if rc == ARCHIVE_EOF { break }
            if rc < ARCHIVE_WARN { throw failure(a, lastEntry.map { "cannot read the header after '\($0)'" } ?? "cannot read the first header") }
            guard let entry, let raw = archive_entry_pathname(entry) ?? archive_entry_pathname_utf8(entry) else { continue }
            let path = EntryPath.normalize(String(cString: raw))
            seen += 1
            lastEntry = path
            currentEntry = path
            let mode = UInt32(archive_entry_perm(entry))
            let type = UInt32(archive_entry_filetype(entry))
            let declared = archive_entry_size_is_set(entry) != 0 ? Int(archive_entry_size(entry)) : nil
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
                let data = try readData(a, declared: declared)
                acceptedBytes += data.count
                batchBytes += data.count
                item = ArchiveItem(path: path, kind: .file(data), mode: mode)
            } else {
                decompressed += declared ?? 0   // skipped: libarchive still decompresses it
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

    /// Reads the current entry's bytes in blocks of at most 1 MiB, enforcing the limits.
    private func readData(_ a: OpaquePointer, declared: Int?) throws -> [UInt8] {
        let limits = config.limits
        if let declared {
            if declared > limits.maxEntryBytes { throw limit("entry size \(declared) bytes exceeds max_entry_bytes \(limits.maxEntryBytes)") }
            if acceptedBytes + declared > limits.maxTotalBytes {
                throw limit("total size \(acceptedBytes + declared) bytes exceeds max_total_bytes \(limits.maxTotalBytes)")
            }
            let data = try [UInt8](unsafeUninitializedCapacity: declared) { buf, count in
                count = 0
                while count < declared {
                    let r = archive_read_data(a, buf.baseAddress! + count, min(1 << 20, declared - count))
                    if r < 0 { throw failure(a, "cannot read the entry's data") }
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
            let start = data.count, want = 1 << 16
            data.append(contentsOf: repeatElement(0, count: want))
            let r = data.withUnsafeMutableBytes { archive_read_data(a, $0.baseAddress! + start, want) }
            data.removeLast(want - max(r, 0))
            if r < 0 { throw failure(a, "cannot read the entry's data") }
            if r == 0 { return data }
            decompressed += r
            if data.count > limits.maxEntryBytes { throw limit("entry size exceeds max_entry_bytes \(limits.maxEntryBytes)") }
            if acceptedBytes + data.count > limits.maxTotalBytes { throw limit("total size exceeds max_total_bytes \(limits.maxTotalBytes)") }
            try checkRatio()
        }
    }

    private func checkRatio() throws {
        let limits = config.limits
        guard decompressed > limits.ratioGraceBytes, bytesConsumed > 0 else { return }
        let ratio = Double(decompressed) / Double(bytesConsumed)
        if ratio > limits.maxCompressionRatio {
            throw limit("compression ratio \(Int(ratio)):1 exceeds max_compression_ratio \(Int(limits.maxCompressionRatio)):1 "
                        + "(\(decompressed) bytes from \(bytesConsumed))")
        }
    }

    private func limit(_ message: String) -> ArchiveError {
        ArchiveError(.limitExceeded, source: config.source, entry: currentEntry, message: message + " (possible decompression bomb; raise the limit if the archive is trusted)")
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
        while true {
            switch input.popBlocking() {
            case .item(let chunk):
                if chunk.isEmpty { continue }   // 0 would mean end of input to libarchive
                if chunk.count > bufferCapacity {
                    buffer.deallocate()
                    bufferCapacity = chunk.count
                    buffer = .allocate(byteCount: bufferCapacity, alignment: 16)
                }
                chunk.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                bytesConsumed += chunk.count
                out.pointee = UnsafeRawPointer(buffer)
                return chunk.count
            case .end:
                if input.cancelled { return -1 }
                inputEnded = true
                return 0
            case .failed(let error):
                inputError = error
                return -1
            case .wait:
                continue
            }
        }
    }
}

private func archiveWorkerRead(_ a: OpaquePointer?, _ client: UnsafeMutableRawPointer?,
                               _ buffer: UnsafeMutablePointer<UnsafeRawPointer?>?) -> la_ssize_t {
    let worker = Unmanaged<ArchiveWorker>.fromOpaque(client!).takeUnretainedValue()
    return la_ssize_t(worker.nextBlock(buffer!))
}
