import Foundation
import PipelineCore
import Testing

/// Folders made by `TestFiles.temporaryDirectory`, removed when the test process exits.
private let createdDirectories = Locked<[String]>([])
private let cleanupAtExit: Void = {
    atexit {
        for dir in createdDirectories.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: dir) }
    }
}()

/// Paths and small file helpers shared by the PipelineIO tests.
enum TestFiles {
    /// The repository root (resolving the dev-slice symlinks), from this file's path.
    static let repoRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/data/NAME` next to the repository, or `$PIPELINE_SHARED_DATA/NAME` when that
    /// environment variable is set (`PIPELINE_SHARED_DATA=/nonexistent swift test` skips every
    /// test marked ``Trait/requiresSharedData(_:sourceLocation:)``).
    static func sharedData(_ name: String) -> String {
        if let dir = sharedDataOverride { return URL(fileURLWithPath: dir).appendingPathComponent(name).path }
        return repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/\(name)").path
    }

    /// A fresh empty folder under the system temporary directory.
    static func temporaryDirectory(_ label: String = "io") throws -> String {
        let path = NSTemporaryDirectory() + "pipelineio-\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        _ = cleanupAtExit
        createdDirectories.withLock { $0.append(path) }
        return path
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func read(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
    static func bytes(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var x = seed | 1
        return (0..<count).map { _ in
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            return UInt8(truncatingIfNeeded: x >> 24)
        }
    }

    /// Runs a command (found on PATH) on its own thread, so waiting for it never blocks the
    /// tasks of other tests (the cooperative pool has one thread per core), and returns its
    /// standard output; throws on a non-zero exit.
    @discardableResult
    static func run(_ arguments: [String], in directory: String? = nil) async throws -> [UInt8] {
        try await offPool { try runBlocking(arguments, in: directory) }
    }

    static func runBlocking(_ arguments: [String], in directory: String?) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw IOFailure("exit status \(p.terminationStatus)", path: arguments.joined(separator: " "))
        }
        return [UInt8](data)
    }

    /// `gzip -n` of `bytes`.
    static func gzip(_ bytes: [UInt8]) async throws -> [UInt8] {
        let dir = try temporaryDirectory("gz")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write(bytes, to: dir + "/x")
        return try await run(["gzip", "-n", "-c", dir + "/x"])
    }

    /// Splits `bytes` into chunks of `size` (the last one shorter) as an async sequence.
    static func chunked(_ bytes: [UInt8], size: Int) -> ChunkList {
        ChunkList(chunks: stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) })
    }
}

/// The shared data folder named by the environment variable `PIPELINE_SHARED_DATA` (nil when unset
/// or empty); both `TestFiles.sharedData(_:)` and the CSV tests' `sharedData(_:)` honour it.
let sharedDataOverride: String? = ProcessInfo.processInfo.environment["PIPELINE_SHARED_DATA"].flatMap { $0.isEmpty ? nil : $0 }

extension Trait where Self == ConditionTrait {
    /// Skips the test (reported as skipped, naming the file) unless `path`, a file of the real data
    /// resolved by `TestFiles.sharedData(_:)` or `sharedData(_:)`, exists.
    static func requiresSharedData(_ path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Self {
        .enabled(if: FileManager.default.fileExists(atPath: path),
                 "needs ../shared/data/\((path as NSString).lastPathComponent) (absent: \(path))", sourceLocation: sourceLocation)
    }
}

/// A fixed list of chunks as an async sequence, optionally failing at the end.
struct ChunkList: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    var chunks: [[UInt8]]
    var failure: IOFailure?

    struct Iterator: AsyncIteratorProtocol {
        var chunks: [[UInt8]]
        var index = 0
        var failure: IOFailure?
        mutating func next() async throws -> [UInt8]? {
            if index < chunks.count { index += 1; return chunks[index - 1] }
            if let failure { self.failure = nil; throw failure }
            return nil
        }
    }

    func makeAsyncIterator() -> Iterator { Iterator(chunks: chunks, failure: failure) }
}

extension AsyncSequence {
    /// All elements, in order.
    func collect() async throws -> [Element] {
        var out: [Element] = []
        for try await x in self { out.append(x) }
        return out
    }
}

/// The error thrown by `body`, or nil.
func errorOf(_ body: () async throws -> Void) async -> (any Error)? {
    do { try await body(); return nil } catch { return error }
}

/// Runs blocking work on a dedicated thread and awaits its result.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
