import PipelineCore
import PipelineSpec
/// What a `prepare` or `run` produced: a JSON object for scripts (`--json`) and a short
/// human summary for the terminal. Numbers are JSON numbers: the `data` stats table (kept as
/// text for the report) is typed by ``JSONOutput/typingStats(_:)``.
public struct RunResult: Sendable {
    public var json: JSONValue
    public var summary: String
    public init(json: JSONValue, summary: String) { self.json = JSONOutput.typingStats(json); self.summary = summary }
}
