import PipelineCore

/// `--json` output: one object per line, keys sorted (``JSONValue/text``).
public enum JSONOutput {
    public static func object(_ o: [String: JSONValue]) -> String { JSONValue.object(o).text }

    /// A value shown as text in reports (`"48"`, `"0.25"`, `"imdb.tar.gz"`, `"0.52 s"`) as a JSON value
    /// for scripts: a plain integer or decimal number becomes a number (`48`, `0.25`); anything else,
    /// units included, stays a string. So `--json` never prints `"maxlen": "48"`.
    public static func typed(_ text: String) -> JSONValue {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 40, let parsed = try? JSONValue.parse(bytes), case .number = parsed else { return .string(text) }
        return parsed
    }

    /// `value` with every string of its `data` object (the stats table of a run) passed through ``typed(_:)``.
    public static func typingStats(_ value: JSONValue) -> JSONValue {
        guard case .object(var o) = value, case .object(let data)? = o["data"] else { return value }
        o["data"] = .object(data.mapValues { v in v.string.map(typed) ?? v })
        return .object(o)
    }
}
