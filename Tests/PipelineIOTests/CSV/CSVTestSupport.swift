import Foundation
import PipelineCore
@testable import PipelineIO

/// Shared data directory: the nearest ancestor of this file holding `shared/data`
/// (the repo's `../shared/data`, also from a development slice that symlinks the tests),
/// or `$PIPELINE_SHARED_DATA` when set (see `sharedDataOverride` in Support/TestFiles.swift).
func sharedData(_ name: String, file: String = #filePath) -> String {
    if let dir = sharedDataOverride { return URL(fileURLWithPath: dir).appendingPathComponent(name).path }
    var dir = URL(fileURLWithPath: file).deletingLastPathComponent()
    while dir.path != "/" {
        let candidate = dir.appendingPathComponent("shared/data")
        if FileManager.default.fileExists(atPath: candidate.path) { return candidate.appendingPathComponent(name).path }
        dir = dir.deletingLastPathComponent()
    }
    return "../shared/data/" + name
}

/// Fixed byte chunks as an async sequence: to cut records anywhere.
struct ByteChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let chunks: [[UInt8]]
    init(_ bytes: [UInt8], size: Int) {
        chunks = stride(from: 0, to: bytes.count, by: Swift.max(1, size)).map { Array(bytes[$0..<Swift.min($0 + size, bytes.count)]) }
    }
    init(_ text: String, size: Int = 1 << 20) { self.init(Array(text.utf8), size: size) }
    struct Iterator: AsyncIteratorProtocol {
        var i = 0
        let chunks: [[UInt8]]
        mutating func next() async throws -> [UInt8]? {
            defer { i += 1 }
            return i < chunks.count ? chunks[i] : nil
        }
    }
    func makeAsyncIterator() -> Iterator { Iterator(chunks: chunks) }
}

func table(_ text: String, _ options: CSVReadOptions, size: Int = 1 << 20) async throws -> TableChunk {
    try await CSVFile.collect(ByteChunks(text, size: size).csvTable(options))
}

func table(bytes: [UInt8], _ options: CSVReadOptions, size: Int = 1 << 20) async throws -> TableChunk {
    try await CSVFile.collect(ByteChunks(bytes, size: size).csvTable(options))
}

/// The InputError a CSV throws (or nil when it loads).
func csvError(_ text: String, _ options: CSVReadOptions) async -> InputError? {
    do { _ = try await table(text, options); return nil } catch let e as InputError { return e } catch { return nil }
}
