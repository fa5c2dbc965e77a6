import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PipelineCore

extension DownloadEngine {
    /// Sends the GET (with `Range` when resuming) and installs the response body; retries
    /// per ``SourceOptions`` on connection errors and 5xx.
    func openResponse() async throws {
        while true {
            _ = countAttempt()
            let offset = currentOffset
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "User-Agent", value: "swift-rnn-pipeline")
            request.headers.add(name: "Accept-Encoding", value: "identity")
            if offset > 0 { request.headers.add(name: "Range", value: "bytes=\(offset)-") }
            do {
                let response = try await client.execute(request, deadline: .distantFuture)
                let code = Int(response.status.code)
                let length = response.headers.first(name: "Content-Length").flatMap { Int($0) }
                switch code {
                case 200:
                    setResponse(body: response.body, skip: offset, expectedTotal: length)   // Range ignored: skip what we have
                case 206:
                    let range = ContentRange(response.headers.first(name: "Content-Range") ?? "")
                    guard let start = range?.start, start <= offset else {
                        throw DownloadError(.protocolError, url: url,
                            message: "asked for bytes from \(offset), the server sent Content-Range '\(response.headers.first(name: "Content-Range") ?? "")'",
                            hint: "delete \(partPath) and run again")
                    }
                    setResponse(body: response.body, skip: offset - start,
                                expectedTotal: range?.total ?? length.map { start + $0 })
                case 416:
                    if let total = ContentRange(response.headers.first(name: "Content-Range") ?? "")?.total, total == offset {
                        setResponse(body: response.body, skip: 0, expectedTotal: total)
                        dropBody()
                        markComplete()   // the partial file already holds everything
                        return
                    }
                    throw DownloadError(.protocolError, url: url,
                        message: "the server cannot serve bytes from \(offset) (HTTP 416): the partial file is longer than the remote file",
                        hint: "delete \(partPath) and run again")
                case 400..<500:
                    throw DownloadError(.httpStatus(code), url: url, message: "HTTP \(code) \(response.status.reasonPhrase)",
                                        hint: code == 404 || code == 410 ? "check the URL" : code == 401 || code == 403 ? "the server refuses access to this URL" : nil)
                case 500..<600:
                    throw DownloadError(.httpStatus(code), url: url, message: "HTTP \(code) \(response.status.reasonPhrase)",
                                        hint: "the server failed; try again later")
                default:
                    throw DownloadError(.protocolError, url: url, message: "unexpected HTTP status \(code) \(response.status.reasonPhrase)")
                }
                return
            } catch {
                try await handleFailure(error)
            }
        }
    }

    /// Sleeps before the next attempt when `error` is worth retrying and retries are left,
    /// after a one-line warning (`URL: attempt 1 of 4 failed: REASON; retrying in 0.5 s`);
    /// otherwise throws the error, described for the user.
    func handleFailure(_ error: any Error) async throws {
        dropBody()
        if error is CancellationError || Task.isCancelled { throw CancellationError() }
        let (retryable, described) = describe(error)
        let attempts = attemptsSoFar
        if retryable && attempts <= options.retries {
            let delay = min(options.retryDelay * (1 << min(attempts - 1, 16)), .seconds(30))
            let reason = (described as? DownloadError).map { $0.message + ($0.underlying.map { " [\($0)]" } ?? "") } ?? "\(described)"
            say("\(url): attempt \(attempts) of \(options.retries + 1) failed: \(reason); retrying in \(Self.seconds(delay))")
            try await Task.sleep(for: delay)
            return
        }
        guard var failure = described as? DownloadError else { throw described }
        if attempts > 1 { failure.message += "; gave up after \(attempts) attempts" }
        let resume = currentOffset > 0 && failure.kind != .tooManyRedirects
            ? "run again to resume from the \(currentOffset) bytes kept in \(partPath)" : nil
        if failure.kind == .timeout {
            failure.hint = "raise source.timeout_seconds (now \(Self.seconds(options.readTimeout)))"
                + (options.minBytesPerSecond > 0 ? " or lower source.min_bytes_per_second (now \(Self.number(options.minBytesPerSecond)))" : "")
                + ", or source.retries (now \(options.retries))" + (resume.map { "; " + $0 } ?? "")
        } else if failure.hint == nil {
            failure.hint = resume
        }
        throw failure
    }

    /// The error for a response slower than `minBytesPerSecond` over a whole stall window.
    func stalled(_ slow: StallDetector.Stall) -> DownloadError {
        let received = total.map { "\(currentOffset) of \($0) bytes" } ?? "\(currentOffset) bytes"
        return DownloadError(.timeout, url: url,
            message: "stalled: \(slow.bytes) bytes in \(Self.seconds(.milliseconds(Int(slow.seconds * 1000)))), under \(Self.number(options.minBytesPerSecond)) bytes/s (received \(received) in all)")
    }

    /// `0.5 s`, `60 s`.
    static func seconds(_ d: Duration) -> String {
        number(Double(HTTPClients.nanoseconds(d)) * 1e-9) + " s"
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String((x * 1000).rounded() / 1000)
    }

    /// Whether `error` is transient, and the error to show if we give up.
    func describe(_ error: any Error) -> (Bool, any Error) {
        let received = total.map { "after \(currentOffset) of \($0) bytes" } ?? "after \(currentOffset) bytes"
        if let e = error as? DownloadError {
            switch e.kind {
            case .httpStatus(let code): return (code >= 500, e)
            case .incomplete, .connection, .timeout: return (true, e)
            default: return (false, e)
            }
        }
        if error is ChecksumMismatch || error is IOFailure { return (false, error) }
        if let e = error as? HTTPClientError {
            switch e {
            case .readTimeout:
                // A silent server, or (in stream mode) a consumer that left the connection idle
                // for longer than the timeout: either way reconnecting and resuming is the cure.
                return (true, DownloadError(.timeout, url: url,
                    message: "stalled: no data for \(Self.seconds(options.readTimeout)) \(received)"))
            case .redirectLimitReached, .redirectCycleDetected:
                return (false, DownloadError(.tooManyRedirects, url: url,
                    message: e == .redirectCycleDetected ? "redirect loop (a URL redirects back to itself)"
                                                         : "more than \(options.maxRedirects) redirects",
                    hint: "check the URL", underlying: e))
            case .invalidURL, .emptyHost, .emptyScheme:
                return (false, DownloadError(.badURL, url: url, message: "invalid URL", underlying: e))
            case .connectTimeout:
                return (true, DownloadError(.connection, url: url, message: "connection timed out", underlying: e))
            case .remoteConnectionClosed:
                return (true, DownloadError(.incomplete, url: url, message: "connection closed \(received)", underlying: e))
            default:
                break
            }
        }
        let kind: DownloadError.Kind = currentOffset > 0 || total != nil ? .incomplete : .connection
        return (true, DownloadError(kind, url: url, message: kind == .incomplete ? "connection lost \(received)" : "cannot connect",
                                    underlying: error))
    }
}

/// `bytes START-END/TOTAL` or `bytes */TOTAL` (RFC 9110 §14.4).
struct ContentRange {
    var start: Int?
    var total: Int?
    init?(_ header: String) {
        let h = header.trimmingCharacters(in: .whitespaces)
        guard h.hasPrefix("bytes ") else { return nil }
        let spec = h.dropFirst(6).split(separator: "/", maxSplits: 1)
        guard spec.count == 2 else { return nil }
        total = Int(spec[1])
        if spec[0] != "*" {
            guard let dash = spec[0].firstIndex(of: "-"), let s = Int(spec[0][..<dash]) else { return nil }
            start = s
        }
    }
}
