import PipelineCore
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

/// The raw bytes of a spec file are checked before YAML sees them: Yams (like `String(decoding:)`)
/// would quietly turn an invalid UTF-8 byte into U+FFFD inside a value, a path or a column name.
enum SpecBytes {
    /// Throws ``InputError`` at `file:line:column` naming the first byte that is not valid UTF-8
    /// (its value and byte offset); returns the text otherwise. Cost: one pass over the bytes.
    static func text(_ bytes: [UInt8], file: String) throws -> String {
        var it = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0, line = 1, column = 1
        while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s):
                offset += UTF8.width(s)
                if s == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                return String(decoding: bytes, as: UTF8.self)
            case .error:
                // The decoder consumed at least one byte; report the first one of the bad sequence.
                let byte = bytes[min(offset, bytes.count - 1)]
                throw InputError("the spec is not valid UTF-8: byte 0x\(String(byte, radix: 16, uppercase: true)) at byte offset \(offset)",
                                 at: SourceLocation(file: file, line: line, column: column),
                                 hint: "save the file as UTF-8 (in a YAML value, write non-ASCII text as UTF-8 or as a \"\\u00E9\" escape)")
            }
        }
    }
}
