import AsyncHTTPClient
import NIOCore
import PipelineCore

/// Process-wide HTTP clients, one per distinct (timeouts, redirects) setting. They live for
/// the whole process, like `HTTPClient.shared`, so no code path has to shut them down.
enum HTTPClients {
    struct Key: Hashable { var connect: Int64; var read: Int64; var redirects: Int }

    private static let clients = Locked<[Key: HTTPClient]>([:])

    static func client(for options: SourceOptions) -> HTTPClient {
        let key = Key(connect: nanoseconds(options.connectTimeout), read: nanoseconds(options.readTimeout),
                      redirects: options.maxRedirects)
        return clients.withLock { table in
            if let c = table[key] { return c }
            var config = HTTPClient.Configuration(
                redirectConfiguration: key.redirects == 0 ? .disallow : .follow(max: key.redirects, allowCycles: false),
                timeout: .init(connect: .nanoseconds(key.connect), read: .nanoseconds(key.read)))
            config.decompression = .disabled   // bytes must be stored exactly as served
            let c = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
            table[key] = c
            return c
        }
    }

    static func nanoseconds(_ d: Duration) -> Int64 {
        let (s, atto) = d.components
        return s * 1_000_000_000 + atto / 1_000_000_000
    }
}
