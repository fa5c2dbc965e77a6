import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PipelineCore
import PipelineTraining
@testable import PipelineRun

/// The repository root, found from this file's path (Tests/PipelineRunTests/…).
let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A fresh path under the temporary folder (not created).
func scratch(_ name: String) -> String {
    let d = NSTemporaryDirectory() + "runner-\(name)-\(UUID().uuidString)"
    return d
}

/// Counts `<path>` elements and checks the document is well-formed XML.
final class SVGCounter: NSObject, XMLParserDelegate {
    var paths = 0
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "path" { paths += 1 }
    }
    static func count(_ path: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let p = XMLParser(data: data)
        let c = SVGCounter()
        p.delegate = c
        return p.parse() ? c.paths : nil
    }
}

/// A history of `epochs` epochs with the given keys' values (seconds 1, 2, …).
func makeHistory(_ series: [(String, [Double])]) -> History {
    var h = History()
    let n = series.first?.1.count ?? 0
    for e in 0..<n {
        var logs = Logs()
        for (k, v) in series { logs[k] = v[e] }
        h.append(epoch: e, logs: logs, seconds: Double(e + 1))
    }
    return h
}

/// A run folder holding what `compare` reads: `history.json` (and `.csv`) and, when given, `run.json`.
func fakeRunFolder(_ name: String, history: [(String, [Double])], run: [String: JSONValue]? = nil) throws -> String {
    let dir = scratch(name)
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try RunArtifacts.write(makeHistory(history), into: dir)
    if let run { try JSONValue.object(run).text.write(toFile: dir + "/run.json", atomically: true, encoding: .utf8) }
    return dir
}
