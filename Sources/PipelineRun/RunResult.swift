import PipelineCore
import PipelineSpec
/// What a `prepare` or `run` produced: a JSON object for scripts (`--json`) and a short
/// human summary for the terminal.
public struct RunResult: Sendable {
    public var json: JSONValue
    public var summary: String
    public init(json: JSONValue, summary: String) { self.json = json; self.summary = summary }
}
