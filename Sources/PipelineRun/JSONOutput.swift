import PipelineCore
import PipelineSpec
import Foundation

/// A JSON value with keys kept in a stable (sorted) order, for `--json` output and metadata files.
public indirect enum JSONValue: Sendable, Equatable {
    case string(String), number(Double), int(Int), bool(Bool), null
    case array([JSONValue]), object([String: JSONValue])

    public var text: String {
        switch self {
        case .string(let s): return JSONOutput.quote(s)
        case .number(let d): return d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) + ".0" : "\(d)") : "null"
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let a): return "[" + a.map(\.text).joined(separator: ", ") + "]"
        case .object(let o): return "{" + o.keys.sorted().map { JSONOutput.quote($0) + ": " + o[$0]!.text }.joined(separator: ", ") + "}"
        }
    }

    /// Decodes any JSON document (via Foundation) into a value.
    public static func parse(_ data: Data) throws -> JSONValue {
        from(try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    static func from(_ any: Any) -> JSONValue {
        switch any {
        case let s as String: return .string(s)
        case let b as Bool where type(of: any) == Bool.self: return .bool(b)
        case let i as Int where type(of: any) == Int.self: return .int(i)
        case let n as NSNumber:
            let d = n.doubleValue
            if "\(n)" == "true" || "\(n)" == "false" { return .bool(n.boolValue) }
            return .number(d)
        case let a as [Any]: return .array(a.map(from))
        case let o as [String: Any]: return .object(o.mapValues(from))
        default: return .null
        }
    }

    public subscript(key: String) -> JSONValue? { if case .object(let o) = self { return o[key] } else { return nil } }
    public var double: Double? {
        switch self { case .number(let d): d; case .int(let i): Double(i); default: nil }
    }
    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
}

public enum JSONOutput {
    public static func object(_ o: [String: JSONValue]) -> String { JSONValue.object(o).text }

    public static func quote(_ s: String) -> String { JSONString.quote(s) }
}
