import AsyncHTTPClient
import Logging
import NIOCore
import PipelineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One download into the cache, as a pull-based state machine owned by one iterator:
/// cache hit → (verify) → cached file; otherwise replay `NAME.part` (hashing it), then the
/// network from where the part ends (`Range`), appending to the part; at the end verify and
/// rename. Every yielded byte is in the part file and in the hash, so a retry resumes at
/// exactly the next byte whatever the server does (a 200 answer to a `Range` request is
/// skipped up to that point). Not thread-safe; one consumer.
final class DownloadEngine {
    enum Phase { case start, cached(FileChunks.Iterator), replay, network, finishing, done }

    let url: String
    let options: SourceOptions
    let finalPath: String
    let partPath: String
    let yieldCachedFile: Bool
    private var phase = Phase.start
    private var fd: Int32 = -1
    private var hasher: ChecksumHasher
    /// Bytes hashed and yielded so far; equals the part file's length once replayed.
    private var offset = 0
    private(set) var partBytesAtStart = 0
    private var body: HTTPClientResponse.Body.AsyncIterator?
    private var skip = 0
    private var expectedTotal: Int?
    private var attempts = 0
    private var offsetAtLastReset = 0
    private var progress: ProgressReporter?
    /// A failure met after some bytes of a chunk arrived: handled on the next call, once
    /// those bytes have been yielded.
    private var pendingFailure: (any Error)?
    /// Whether the server keeps up with `minBytesPerSecond` (a drip resets a read timeout).
    private var stall: StallDetector
    private(set) var cacheHit = false
    /// An attempt that brought at least this many bytes gives the retry budget back.
    static let productiveAttemptBytes = 1 << 20

    init(url: String, options: SourceOptions, yieldCachedFile: Bool) throws {
        self.url = url; self.options = options; self.yieldCachedFile = yieldCachedFile
        finalPath = try CacheLocation.path(for: url, cacheDirectory: options.cacheDirectory)
        partPath = finalPath + ".part"
        hasher = options.checksums.hasher()
        stall = StallDetector(window: Double(HTTPClients.nanoseconds(options.readTimeout)) * 1e-9,
                              minBytesPerSecond: options.minBytesPerSecond)
    }

    deinit { if fd >= 0 { close(fd) } }

    func next() async throws -> [UInt8]? {
        do {
            while true {
                switch phase {
                case .start: try start()
                case .cached(var files):
                    let chunk = try await files.next()
                    phase = chunk == nil ? .done : .cached(files)
                    return chunk
                case .replay:
                    if let chunk = try replayChunk() { return chunk }
                    phase = .network
                case .network:
                    if let chunk = try await networkChunk() { return chunk }
                case .finishing:
                    try finish()
                    phase = .done
                case .done:
                    return nil
                }
            }
        } catch {
            phase = .done
            body = nil
            if fd >= 0 { close(fd); fd = -1 }
            throw error
        }
    }

    private func start() throws {
        try Directories.make(parentOf: finalPath)
        if access(finalPath, F_OK) == 0 {
            do {
                try options.checksums.verify(file: finalPath)
                cacheHit = true
                phase = yieldCachedFile ? .cached(FileChunks(path: finalPath, chunkSize: options.chunkSize).makeAsyncIterator()) : .done
                return
            } catch let mismatch as ChecksumMismatch {
                unlink(finalPath)
                options.logger.notice("\(finalPath): cached file has the wrong \(mismatch.algorithm) (got \(mismatch.actual)); downloading again")
            }
        }
        fd = open(partPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw IOFailure("cannot create: \(String(cString: strerror(errno)))", path: partPath,
                            hint: "check that the cache directory is writable, or set source.cache_dir (--cache-dir)")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd); fd = -1
            throw IOFailure("another process is downloading this file", path: partPath,
                            hint: "wait for it to finish, or delete the .part file if no download is running")
        }
        partBytesAtStart = Int(lseek(fd, 0, SEEK_END))
        phase = .replay
    }

    /// The next piece of the partial file left by an earlier run (hashed, yielded again).
    private func replayChunk() throws -> [UInt8]? {
        guard offset < partBytesAtStart else { return nil }
        let want = min(options.chunkSize, partBytesAtStart - offset)
        var failure: Int32 = 0
        let chunk = [UInt8](unsafeUninitializedCapacity: want) { buf, count in
            count = 0
            while count < want {
                let n = pread(fd, buf.baseAddress! + count, want - count, off_t(offset + count))
                if n < 0 { if errno == EINTR { continue }; failure = errno; return }
                if n == 0 { break }
                count += n
            }
        }
        if failure != 0 || chunk.count < want {
            throw IOFailure("cannot read the partial download: \(failure != 0 ? String(cString: strerror(failure)) : "file shrank")", path: partPath)
        }
        hasher.update(chunk)
        offset += chunk.count
        return chunk
    }

    /// Up to `chunkSize` new bytes from the network; nil when there is nothing to yield yet
    /// (a retry happened, or the download is complete: `phase` says which). Each network
    /// buffer is written to the part file, hashed and counted in the progress line as soon as
    /// it arrives, so a slow server shows progress before a whole chunk has gathered.
    private func networkChunk() async throws -> [UInt8]? {
        if let failure = pendingFailure {
            pendingFailure = nil
            try await handleFailure(failure)
            return nil
        }
        if body == nil {
            try await openResponse()
            guard phase == .network else { return nil }
        }
        var out = [UInt8]()
        out.reserveCapacity(options.chunkSize)
        var ended = false
        do {
            while out.count < options.chunkSize {
                let waitStart = ProgressReporter.now()
                guard let buffer = try await body!.next() else { ended = true; break }
                let start = out.count
                buffer.withUnsafeReadableBytes { raw in
                    var bytes = raw
                    if skip > 0 {
                        let s = min(skip, bytes.count)
                        skip -= s
                        bytes = UnsafeRawBufferPointer(rebasing: bytes[s...])
                    }
                    out.append(contentsOf: bytes)
                }
                try commit(out[start...])
                if let slow = stall.record(bytes: buffer.readableBytes, waited: ProgressReporter.now() - waitStart) {
                    throw stalled(slow)
                }
            }
        } catch let failure as IOFailure {
            throw failure   // the part file cannot be written: no retry helps
        } catch {
            // Keep what arrived before the failure; the retry resumes right after it.
            dropBody()
            pendingFailure = error
        }
        if ended {
            body = nil
            if let total = expectedTotal, offset < total {
                pendingFailure = DownloadError(.incomplete, url: url,
                    message: "the body ended after \(offset) of \(total) bytes (Content-Length)")
            } else {
                phase = .finishing
            }
        }
        return out.isEmpty ? nil : out
    }

    private func commit(_ bytes: ArraySlice<UInt8>) throws {
        guard !bytes.isEmpty else { return }
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = pwrite(fd, raw.baseAddress! + done, raw.count - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw IOFailure("write failed: \(String(cString: strerror(errno)))", path: partPath, hint: "is the disk full?")
                }
                done += n
            }
            hasher.update(raw)
        }
        offset += bytes.count
        progress?.advance(bytes: bytes.count)
    }

    private func finish() throws {
        if let total = expectedTotal, offset > total {
            unlink(partPath)
            throw DownloadError(.protocolError, url: url, message: "the partial file (\(offset) bytes) is longer than the remote file (\(total) bytes)",
                                hint: "it was deleted; run again")
        }
        do {
            try hasher.verify(source: url)
        } catch {
            unlink(partPath)
            throw error
        }
        fsync(fd)
        close(fd); fd = -1
        guard rename(partPath, finalPath) == 0 else {
            throw IOFailure("cannot rename the finished download into place: \(String(cString: strerror(errno)))", path: finalPath)
        }
        progress?.finish()   // "done" only once the file is verified and in place
    }

    // MARK: requests and retries (DownloadEngine+Requests.swift)

    var client: HTTPClient { HTTPClients.client(for: options) }
    var currentOffset: Int { offset }
    var total: Int? { expectedTotal }

    func setResponse(body: HTTPClientResponse.Body, skip: Int, expectedTotal: Int?) {
        self.body = body.makeAsyncIterator()
        self.stall.reset()
        self.skip = skip
        self.expectedTotal = expectedTotal
        if progress == nil {
            let name = CacheLocation.displayName(for: url)
            let label = partBytesAtStart > 0 ? "\(name) (resuming at \(ProgressReporter.size(partBytesAtStart)))" : name
            progress = ProgressReporter(label: label, totalBytes: expectedTotal.map { max($0 - offset, 0) },
                                        style: options.progress, sink: options.messages ?? { Console.error($0) })
        }
    }

    /// Reports one line at `notice` on `options.logger` (or on `options.messages` when set),
    /// first clearing a progress bar drawn in place.
    func say(_ line: String) {
        let clear = progress?.style == .bar ? "\r\u{1B}[K" : ""
        if let messages = options.messages { return messages(clear + line + "\n") }
        if !clear.isEmpty { Console.error(clear) }
        options.logger.notice("\(line)")
    }

    func markComplete() { phase = .finishing }
    func dropBody() { body = nil }
    func countAttempt() -> Int {
        if offset - offsetAtLastReset >= Self.productiveAttemptBytes {   // real progress gives the budget back
            attempts = 0; offsetAtLastReset = offset
        }
        attempts += 1
        return attempts
    }
    var attemptsSoFar: Int { attempts }
}

extension DownloadEngine.Phase: Equatable {
    static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.start, .start), (.replay, .replay), (.network, .network), (.finishing, .finishing), (.done, .done), (.cached, .cached): true
        default: false
        }
    }
}
