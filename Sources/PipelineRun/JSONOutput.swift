import PipelineCore

/// `--json` output: one object per line, keys sorted (``JSONValue/text``).
public enum JSONOutput {
    public static func object(_ o: [String: JSONValue]) -> String { JSONValue.object(o).text }
}
