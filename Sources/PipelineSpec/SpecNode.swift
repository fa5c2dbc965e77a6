import PipelineCore
import Yams

/// Where a spec came from, for error messages: the file name and the `--set` overrides
/// (dotted path → the flag as typed), whose values have no line in the file.
public struct SpecOrigin: Sendable {
    public var file: String
    public var overrides: [String: String]
    public init(file: String, overrides: [String: String] = [:]) { self.file = file; self.overrides = overrides }
}

/// A YAML mapping being decoded strictly: every key must be known, every value typed and in range.
///
/// Each accessor throws ``InputError`` with `file:line:column`, the dotted field path and the
/// value received; unknown keys get a "did you mean" suggestion. Values set by `--set` are
/// reported as coming from that flag.
struct SpecMap {
    let mapping: Node.Mapping
    let path: String
    let origin: SpecOrigin
    let mark: Mark?

    init(_ node: Node, path: String, origin: SpecOrigin, allowed: [String]) throws {
        guard case .mapping(let m) = node else {
            throw SpecMap.error("must be a mapping of keys to values", node: node, path: path, origin: origin)
        }
        mapping = m; self.path = path; self.origin = origin; mark = node.mark
        for (k, v) in m {
            guard let key = k.scalar?.string else {
                throw SpecMap.error("keys must be plain strings", node: k, path: path, origin: origin)
            }
            if !allowed.contains(key) {
                let field = path.isEmpty ? key : "\(path).\(key)"
                throw InputError("unknown key", at: SpecMap.location(k.mark ?? v.mark, path: field, origin: origin),
                                 field: field, value: key,
                                 hint: DidYouMean.hint(key, in: allowed) ?? "known keys: " + allowed.joined(separator: ", "))
            }
        }
    }

    static func location(_ mark: Mark?, path: String, origin: SpecOrigin) -> SourceLocation {
        if let flag = origin.overrides[path] { return SourceLocation(file: flag) }
        return SourceLocation(file: origin.file, line: mark?.line, column: mark?.column)
    }

    static func error(_ message: String, node: Node, path: String, origin: SpecOrigin, hint: String? = nil) -> InputError {
        InputError(message, at: location(node.mark, path: path, origin: origin), field: path.isEmpty ? nil : path,
                   value: SpecMap.render(node), hint: hint)
    }

    static func render(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return s.string
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    func node(_ key: String) -> Node? { mapping[key] }
    func has(_ key: String) -> Bool { node(key) != nil && !isNull(node(key)!) }

    func isNull(_ n: Node) -> Bool {
        if case .scalar(let s) = n, s.style == .plain, ["null", "~", ""].contains(s.string) { return true }
        return false
    }

    func fail(_ key: String, _ message: String, hint: String? = nil) -> InputError {
        let n = node(key) ?? Node("")
        return SpecMap.error(message, node: n, path: field(key), origin: origin, hint: hint)
    }

    private func scalar(_ key: String, kind: String) throws -> String? {
        guard let n = node(key), !isNull(n) else { return nil }
        guard case .scalar(let s) = n else { throw fail(key, "must be \(kind)") }
        return s.string
    }

    func string(_ key: String) throws -> String? { try scalar(key, kind: "a string") }
    func string(_ key: String, default d: String) throws -> String { try string(key) ?? d }

    func int(_ key: String, min: Int? = nil, max: Int? = nil) throws -> Int? {
        guard let s = try scalar(key, kind: "an integer") else { return nil }
        guard let v = Int(s.replacingOccurrences(of: "_", with: "")) else { throw fail(key, "must be an integer") }
        if let min, v < min { throw fail(key, min == 1 ? "must be > 0" : "must be >= \(min)") }
        if let max, v > max { throw fail(key, "must be <= \(max)") }
        return v
    }
    func int(_ key: String, default d: Int, min: Int? = nil, max: Int? = nil) throws -> Int {
        try int(key, min: min, max: max) ?? d
    }

    func double(_ key: String, min: Double? = nil, max: Double? = nil,
                exclusiveMin: Bool = false, exclusiveMax: Bool = false) throws -> Double? {
        guard let s = try scalar(key, kind: "a number") else { return nil }
        guard let v = Double(s), v.isFinite else { throw fail(key, "must be a finite number") }
        if let min, exclusiveMin ? v <= min : v < min { throw fail(key, "must be \(exclusiveMin ? ">" : ">=") \(min)") }
        if let max, exclusiveMax ? v >= max : v > max { throw fail(key, "must be \(exclusiveMax ? "<" : "<=") \(max)") }
        return v
    }
    func double(_ key: String, default d: Double, min: Double? = nil, max: Double? = nil,
                exclusiveMin: Bool = false, exclusiveMax: Bool = false) throws -> Double {
        try double(key, min: min, max: max, exclusiveMin: exclusiveMin, exclusiveMax: exclusiveMax) ?? d
    }

    func bool(_ key: String, default d: Bool) throws -> Bool {
        guard let s = try scalar(key, kind: "true or false") else { return d }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(key, "must be true or false")
        }
    }

    /// A value from a fixed set (an enum with Keras' spelling).
    func choice<E: RawRepresentable & CaseIterable & Equatable>(_ key: String, default d: E) throws -> E where E.RawValue == String {
        try choice(key, default: d, among: Array(E.allCases))
    }

    /// A value among `cases`, in that order in the error message: for an engine enum whose
    /// cases the spec offers in another order or only in part (the raw value is the spelling).
    func choice<E: RawRepresentable & Equatable>(_ key: String, default d: E, among cases: [E]) throws -> E where E.RawValue == String {
        guard let s = try string(key) else { return d }
        if let v = E(rawValue: s), cases.contains(v) { return v }
        let names = cases.map(\.rawValue)
        throw fail(key, "must be one of " + names.joined(separator: ", "), hint: DidYouMean.hint(s, in: names))
    }

    func strings(_ key: String) throws -> [String]? {
        guard let n = node(key), !isNull(n) else { return nil }
        if case .scalar(let s) = n { return [s.string] }
        guard case .sequence(let seq) = n else { throw fail(key, "must be a list of strings") }
        return try seq.map { item in
            guard case .scalar(let s) = item else {
                throw SpecMap.error("must be a list of strings", node: item, path: field(key), origin: origin)
            }
            return s.string
        }
    }

    func map(_ key: String, allowed: [String]) throws -> SpecMap? {
        guard let n = node(key), !isNull(n) else { return nil }
        return try SpecMap(n, path: field(key), origin: origin, allowed: allowed)
    }

    func location(_ key: String) -> SourceLocation {
        SpecMap.location(node(key)?.mark ?? mark, path: field(key), origin: origin)
    }
}
