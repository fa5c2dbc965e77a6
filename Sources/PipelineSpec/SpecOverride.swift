import PipelineCore
import Yams

/// One `--set KEY=VALUE` override: a dotted path into the spec (`train.epochs`, `model.1.lstm.units`;
/// numbers index lists) and a YAML value (`1`, `0.5`, `[a, b]`, `{units: 64}`).
///
/// The value replaces what the file says (or adds the key) before the spec is decoded, so it is
/// validated exactly like the file; errors about it name the flag instead of a line.
public struct SpecOverride: Sendable, Equatable {
    public var path: [String]
    public var value: String

    /// Parses `KEY=VALUE`. Throws ``InputError`` for a missing `=` or an empty key.
    public init(parsing text: String) throws {
        guard let eq = text.firstIndex(of: "=") else {
            throw InputError("expected KEY=VALUE", field: "--set", value: text, hint: "for example --set train.epochs=1")
        }
        let key = String(text[..<eq]), value = String(text[text.index(after: eq)...])
        let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !key.isEmpty, !parts.contains("") else {
            throw InputError("the key must be a dotted path", field: "--set", value: text, hint: "for example --set train.epochs=1")
        }
        path = parts; self.value = value
    }

    public init(path: [String], value: String) { self.path = path; self.value = value }

    public var dottedPath: String { path.joined(separator: ".") }

    /// Applies the override to a document, creating mappings on the way as needed.
    func apply(to root: Node) throws -> Node {
        let parsed: Node
        do {
            parsed = try Yams.compose(yaml: value) ?? Node("", Tag(.null), .plain)   // an empty value is YAML's null
        } catch {
            throw InputError("the value is not valid YAML", field: "--set \(dottedPath)", value: value)
        }
        return try set(parsed, at: path[...], in: root)
    }

    private func set(_ value: Node, at path: ArraySlice<String>, in node: Node) throws -> Node {
        guard let head = path.first else { return value }
        switch node {
        case .sequence(var seq):
            guard let i = Int(head), i >= 0, i < seq.count else {
                throw InputError("no list item \(head) (the list has \(seq.count) items)", field: "--set \(dottedPath)", value: value.scalar?.string ?? "")
            }
            seq[i] = try set(value, at: path.dropFirst(), in: seq[i])
            return .sequence(seq)
        case .mapping(var m):
            let child = m[head] ?? Node([(Node, Node)]())
            m[head] = try set(value, at: path.dropFirst(), in: child)
            return .mapping(m)
        default:
            // A null or scalar placeholder becomes a mapping.
            var m = Node.Mapping([])
            m[head] = try set(value, at: path.dropFirst(), in: Node([(Node, Node)]()))
            return .mapping(m)
        }
    }
}
