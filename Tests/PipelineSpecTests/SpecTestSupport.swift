import Foundation
import Testing
import PipelineCore
@testable import PipelineSpec

/// The repository root, found from this file's path (Tests/PipelineSpecTests/…).
let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// Parses a spec and returns the error it throws (or nil).
func specError(_ yaml: String, overrides: PipelineSpec.Overrides = .init()) -> InputError? {
    do {
        _ = try PipelineSpec.parse(yaml, file: "bad.yaml", overrides: overrides)
        return nil
    } catch let e as InputError {
        return e
    } catch {
        return InputError("unexpected \(error)")
    }
}

let minimalText = """
name: t
source: {url: data.tar.gz}
text: {num_words: 100, maxlen: 20}
model:
  - embedding: {input_dim: 100, output_dim: 8}
  - lstm: {units: 4}
  - dense: {units: 1, activation: sigmoid}
train: {epochs: 2}
"""

/// A small timeseries spec (no `train:`): 12 rows back, one in 2, 3 ahead.
let minimalSeries = """
name: w
source: {url: weather.csv}
timeseries: {lookback: 12, step: 2, delay: 3}
model:
  - flatten
  - dense: {units: 1}
"""

/// A broken spec and the pieces its error must contain (location, field, value, hint).
struct InvalidSpec: CustomTestStringConvertible, Sendable {
    let label: String
    let yaml: String
    let expected: [String]
    var testDescription: String { label }
}

/// Records an issue unless `c.yaml` is refused with an error containing every expected piece.
func expectRejected(_ c: InvalidSpec, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    guard let e = specError(c.yaml) else { Issue.record("\(c.label): accepted", sourceLocation: sourceLocation); return }
    let text = e.description
    for piece in c.expected {
        #expect(text.contains(piece), "\(c.label): '\(text)' lacks '\(piece)'", sourceLocation: sourceLocation)
    }
}
