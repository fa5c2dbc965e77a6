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

    /// Sleeps before the next attempt when `error` is worth retrying and retries are left;
    /// otherwise throws the error, described for the user.
    func handleFailure(_ error: any Error) async throws {
        dropBody()
        if error is CancellationError || Task.isCancelled { throw CancellationError() }
        let (retryable, described) = describe(error)
        let attempts = attemptsSoFar
        if retryable && attempts <= options.retries {
            let delay = min(options.retryDelay * (1 << min(attempts - 1, 16)), .seconds(30))
            try await Task.sleep(for: delay)
            return
        }
        guard var failure = described as? DownloadError else { throw described }
        if attempts > 1 { failure.message += "; gave up after \(attempts) attempts" }
        if currentOffset > 0 && failure.hint == nil && failure.kind != .tooManyRedirects {
            failure.hint = "run again to resume from the \(currentOffset) bytes kept in \(partPath)"
        }
        throw failure
    }

    /// Whether `error` is transient, and the error to show if we give up.
    func describe(_ error: any Error) -> (Bool, any Error) {
        let received = total.map { "after \(currentOffset) of \($0) bytes" } ?? "after \(currentOffset) bytes"
        if let e = error as? DownloadError {
            switch e.kind {
            case .httpStatus(let code): return (code >= 500, e)
            case .incomplete, .connection: return (true, e)
            default: return (false, e)
            }
        }
        if error is ChecksumMismatch || error is IOFailure { return (false, error) }
        if let e = error as? HTTPClientError {
            switch e {
            case .readTimeout:
                // Retried when this response made progress before stalling, or when our
                // consumer (not the server) left the connection idle; final otherwise.
                return (consumerPaused || currentOffset > responseStart, DownloadError(.timeout, url: url,
                    message: "no data for \(options.readTimeout) \(received): the server stalled (read timeout)",
                    hint: "run again later, or raise read_timeout"))
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
