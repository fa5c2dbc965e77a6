import Foundation
import PipelineCore
import Testing

/// The nearest ancestor of this file holding `shared/data` (the repo's `../shared/data`), or the
/// folder named by the environment variable `PIPELINE_SHARED_DATA` when it is set and not empty
/// (`PIPELINE_SHARED_DATA=/nonexistent swift test` skips every test that needs the real data).
func sharedData(_ name: String, file: String = #filePath) -> String {
    if let dir = ProcessInfo.processInfo.environment["PIPELINE_SHARED_DATA"], !dir.isEmpty {
        return URL(fileURLWithPath: dir).appendingPathComponent(name).path
    }
    var dir = URL(fileURLWithPath: file).deletingLastPathComponent()
    while dir.path != "/" {
        let candidate = dir.appendingPathComponent("shared/data")
        if FileManager.default.fileExists(atPath: candidate.path) { return candidate.appendingPathComponent(name).path }
        dir = dir.deletingLastPathComponent()
    }
    return "../shared/data/" + name
}

extension Trait where Self == ConditionTrait {
    /// Skips the test (reported as skipped, naming the file) unless `path`, a file of the real data
    /// resolved by `sharedData(_:)`, exists.
    static func requiresSharedData(_ path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Self {
        .enabled(if: FileManager.default.fileExists(atPath: path),
                 "needs ../shared/data/\((path as NSString).lastPathComponent) (absent: \(path))", sourceLocation: sourceLocation)
    }
}

func goldenURL(_ name: String, file: String = #filePath) -> URL {
    URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Golden/" + name)
}

/// A fresh temporary directory.
func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ts-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// data[i, f] = i * 10 + f: every value names its row.
func indexMatrix(rows: Int, features: Int) -> [Float] {
    (0..<rows).flatMap { i in (0..<features).map { Float(i * 10 + $0) } }
}

/// The worst mismatches of two Float arrays, for messages.
func mismatches(_ a: [Float], _ b: [Float], tolerance: Float = 0) -> String? {
    guard a.count == b.count else { return "count \(a.count) vs \(b.count)" }
    let bad = zip(a, b).enumerated().filter { abs($0.element.0 - $0.element.1) > tolerance }
    return bad.isEmpty ? nil : "\(bad.count) mismatches, first: " + bad.prefix(3).map { "[\($0.offset)] \($0.element.0) vs \($0.element.1)" }.joined(separator: ", ")
}

/// A table of one column `x` with the given timestamps (line = row + 2, as after a header).
func timedChunk(_ timestamps: [Int64], values: [Float]? = nil, source: String = "t.csv") -> TableChunk {
    var c = TableChunk(source: source, columns: ["x"], columnNumbers: [2],
                       values: values ?? timestamps.indices.map { Float($0) },
                       timestamps: timestamps, lines: timestamps.indices.map { $0 + 2 })
    c.timestampColumn = "Date Time"; c.timestampColumnNumber = 1
    return c
}
