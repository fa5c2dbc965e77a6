import Foundation
import Testing
import PipelineCore
@testable import PipelineText

/// Helpers shared by the PipelineText tests: goldens, temp dirs, async sources, the real archive.
enum TestSupport {
    /// Parsed JSON of `Golden/<name>`.
    static func golden(_ name: String) throws -> [String: Any] {
        let url = try #require(Bundle.module.url(forResource: "Golden/\(name)", withExtension: nil))
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// `/work/main` (the repository root), from this file's path.
    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `../shared/data` next to the repository, or the folder named by the environment variable
    /// `PIPELINE_SHARED_DATA` when it is set and not empty (`PIPELINE_SHARED_DATA=/nonexistent
    /// swift test` skips every test marked ``Trait/requiresSharedData(_:sourceLocation:)``).
    static var sharedData: URL {
        if let dir = ProcessInfo.processInfo.environment["PIPELINE_SHARED_DATA"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        return repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }

    /// The real IMDB training archive under ``sharedData``.
    static var archivePath: String { sharedData.appendingPathComponent("aclImdb-train.tar.gz").path }

    static func temporaryDirectory(_ tag: String = #function) throws -> String {
        let safe = tag.filter { $0.isLetter || $0.isNumber }
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("pipelinetext-\(safe)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func entry(_ path: String, _ text: String) -> DataEntry { DataEntry(path: path, data: Array(text.utf8)) }

    /// The real training archive (``archivePath``) extracted with tar into a new temporary directory;
    /// throws when tar fails (a test that calls it is marked ``Trait/requiresSharedData(_:sourceLocation:)``).
    /// The caller removes it with ``remove(_:)``.
    static func extractArchive() throws -> String {
        let tgz = archivePath
        let dir = try temporaryDirectory("archive")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        p.arguments = ["-xzf", tgz, "-C", dir]
        try p.run(); p.waitUntilExit()
        if p.terminationStatus != 0 { remove(dir) }
        try #require(p.terminationStatus == 0, "tar -xzf \(tgz) exited with status \(p.terminationStatus)")
        return dir
    }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    /// Every file under `root`, as relative paths sorted by name.
    static func files(under root: String) -> [String] {
        let e = FileManager.default.enumerator(atPath: root)
        var out: [String] = []
        while let p = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + p, isDirectory: &isDir), !isDir.boolValue { out.append(p) }
        }
        return out.sorted()
    }

    /// Runs python3 with `script`; returns (status, stdout+stderr).
    static func python(_ script: String) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script]
        let pipe = Pipe()
        p.standardOutput = pipe; p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

extension Trait where Self == ConditionTrait {
    /// Skips the test (reported as skipped, naming the file) unless `path`, a file of the real data
    /// under `TestSupport.sharedData`, exists.
    static func requiresSharedData(_ path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Self {
        .enabled(if: FileManager.default.fileExists(atPath: path),
                 "needs ../shared/data/\((path as NSString).lastPathComponent) (absent: \(path))", sourceLocation: sourceLocation)
    }
}

/// DataEntry values read lazily from files under a root, in the given order (memory: one file).
struct FileEntries: AsyncSequence, Sendable {
    typealias Element = DataEntry
    let root: String
    let paths: [String]
    struct Iterator: AsyncIteratorProtocol {
        let root: String
        let paths: [String]
        var i = 0
        mutating func next() async throws -> DataEntry? {
            guard i < paths.count else { return nil }
            defer { i += 1 }
            let data = try Data(contentsOf: URL(fileURLWithPath: root + "/" + paths[i]))
            return DataEntry(path: paths[i], data: [UInt8](data))
        }
    }
    func makeAsyncIterator() -> Iterator { Iterator(root: root, paths: paths) }
}

/// An async sequence over an array (a test source).
struct ArraySource<T: Sendable>: AsyncSequence, Sendable {
    typealias Element = T
    let items: [T]
    struct Iterator: AsyncIteratorProtocol {
        let items: [T]
        var i = 0
        mutating func next() async throws -> T? {
            guard i < items.count else { return nil }
            defer { i += 1 }
            return items[i]
        }
    }
    func makeAsyncIterator() -> Iterator { Iterator(items: items) }
}
