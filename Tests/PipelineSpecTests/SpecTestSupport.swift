import Foundation
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
