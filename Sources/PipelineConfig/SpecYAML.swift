import Yams

/// Building blocks for writing a resolved spec back as YAML (`pipeline describe`), keys in order.
enum Y {
    static func map(_ pairs: [(String, Node)]) -> Node {
        .mapping(Node.Mapping(pairs.map { (Node($0.0), $0.1) }))
    }
    static func str(_ s: String) -> Node { Node(s, .implicit, needsQuotes(s) ? .doubleQuoted : .plain) }
    static func int(_ i: Int) -> Node { Node(String(i)) }
    static func num(_ d: Double) -> Node { Node(d == d.rounded() && abs(d) < 1e15 ? String(format1(d)) : String(d)) }
    static func bool(_ b: Bool) -> Node { Node(b ? "true" : "false") }
    static var null: Node { Node("null") }
    static func list(_ items: [Node]) -> Node { .sequence(Node.Sequence(items, .implicit, .flow)) }
    static func strs(_ items: [String]) -> Node { list(items.map(str)) }
    static func opt<T>(_ v: T?, _ f: (T) -> Node) -> Node { v.map(f) ?? null }

    static func format1(_ d: Double) -> String { String(Int(d)) + ".0" }
    static func needsQuotes(_ s: String) -> Bool {
        s.isEmpty || ["null", "~", "true", "false", "yes", "no"].contains(s.lowercased()) || Double(s) != nil
            || s.contains(": ") || s.contains("#") || s.first.map { "{[*&!|>'\"%@`-?,".contains($0) } == true
    }
}
