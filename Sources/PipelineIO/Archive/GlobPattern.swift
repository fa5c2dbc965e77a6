import PipelineCore

/// A path glob as used by ``EntryFilter``: `*`, `?`, `**` and `{a,b}` alternatives.
///
/// ```swift
/// let g = try GlobPattern("aclImdb/train/{pos,neg}/*.txt")
/// g.matches("aclImdb/train/pos/0_9.txt")        // true
/// g.matches("aclImdb/train/unsup/0_0.txt")      // false
/// try GlobPattern("**/unsup/**").matches("aclImdb/train/unsup/1_0.txt")   // true
/// ```
///
/// Semantics (paths use `/`; the whole path must match):
/// - `*` matches any run of characters except `/` (possibly empty); `?` one character except `/`.
/// - `**` as a whole segment matches any number of segments, zero included: `**/x` matches
///   `x` and `a/b/x`; `a/**` matches everything under `a/`. Elsewhere `**` matches any run, `/` included.
/// - `{a,b,c}` matches any alternative; alternatives may nest and contain wildcards.
/// - `\` makes the next character literal. Matching is byte-wise and case-sensitive.
/// Cost: O(pattern × path) per alternative, no allocation. Invalid patterns (unbalanced
/// braces, more than 1,024 alternatives) throw ``InputError`` at construction.
public struct GlobPattern: Sendable, Equatable, CustomStringConvertible {
    enum Token: Sendable, Equatable { case literal(UInt8), one, star, globstar, globstarSlash }

    /// One brace alternative: its tokens plus the literal bytes every match starts and ends
    /// with, checked first (most paths are rejected there without running the matcher).
    struct Alternative: Sendable, Equatable {
        var tokens: [Token]
        var prefix: [UInt8]
        var suffix: [UInt8]

        init(_ tokens: [Token]) {
            self.tokens = tokens
            func literal(_ t: Token) -> UInt8? { if case .literal(let c) = t { c } else { nil } }
            prefix = Array(tokens.prefix { literal($0) != nil }.compactMap(literal))
            suffix = prefix.count == tokens.count ? [] : Array(tokens.reversed().prefix { literal($0) != nil }.compactMap(literal).reversed())
        }

        func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
            guard text.count >= prefix.count + suffix.count,
                  text.starts(with: prefix),
                  suffix.isEmpty || text[(text.count - suffix.count)...].elementsEqual(suffix) else { return false }
            return tokens.withUnsafeBufferPointer { GlobPattern.match($0, text) }
        }
    }

    public let pattern: String
    let alternatives: [Alternative]

    public init(_ pattern: String) throws {
        self.pattern = pattern
        alternatives = try GlobPattern.expandBraces(Array(pattern.utf8), whole: pattern)
            .map { Alternative(GlobPattern.tokenize($0)) }
    }

    public var description: String { pattern }

    /// True when `path` matches the pattern (any of its brace alternatives).
    public func matches(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { text in alternatives.contains { $0.matches(text) } }
    }

    static func tokenize(_ p: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        while i < p.count {
            switch p[i] {
            case UInt8(ascii: "\\") where i + 1 < p.count:
                tokens.append(.literal(p[i + 1])); i += 2; continue
            case UInt8(ascii: "?"): tokens.append(.one)
            case UInt8(ascii: "*"):
                if i + 1 < p.count && p[i + 1] == UInt8(ascii: "*") {
                    let segmentStart = i == 0 || p[i - 1] == UInt8(ascii: "/")
                    if segmentStart && i + 2 < p.count && p[i + 2] == UInt8(ascii: "/") {
                        tokens.append(.globstarSlash); i += 3; continue
                    }
                    tokens.append(.globstar); i += 2; continue
                }
                tokens.append(.star)
            default: tokens.append(.literal(p[i]))
            }
            i += 1
        }
        return tokens
    }

    /// Wildcard matching by dynamic programming over (token, byte) states, remembering failures.
    static func match(_ tokens: UnsafeBufferPointer<Token>, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let width = text.count + 1
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: (tokens.count + 1) * width) { failed in
            failed.initialize(repeating: false)
            return go(0, 0, tokens, text, failed, width)
        }
    }

    private static func go(_ p: Int, _ t: Int, _ tokens: UnsafeBufferPointer<Token>, _ text: UnsafeBufferPointer<UInt8>,
                           _ failed: UnsafeMutableBufferPointer<Bool>, _ width: Int) -> Bool {
        if p == tokens.count { return t == text.count }
        if failed[p * width + t] { return false }
        let slash = UInt8(ascii: "/")
        let ok: Bool
        switch tokens[p] {
        case .literal(let c): ok = t < text.count && text[t] == c && go(p + 1, t + 1, tokens, text, failed, width)
        case .one: ok = t < text.count && text[t] != slash && go(p + 1, t + 1, tokens, text, failed, width)
        case .star:
            ok = go(p + 1, t, tokens, text, failed, width)
                || (t < text.count && text[t] != slash && go(p, t + 1, tokens, text, failed, width))
        case .globstar:
            ok = go(p + 1, t, tokens, text, failed, width) || (t < text.count && go(p, t + 1, tokens, text, failed, width))
        case .globstarSlash:
            // Zero segments, or any run ending with '/'.
            var found = go(p + 1, t, tokens, text, failed, width)
            var k = t
            while !found && k < text.count {
                if text[k] == slash { found = go(p + 1, k + 1, tokens, text, failed, width) }
                k += 1
            }
            ok = found
        }
        if !ok { failed[p * width + t] = true }
        return ok
    }

    /// Expands the first top-level `{…}` group, recursively: `a{b,c}d` → `abd`, `acd`.
    static func expandBraces(_ p: [UInt8], whole: String) throws -> [[UInt8]] {
        var open: Int?
        var depth = 0
        var commas: [Int] = []
        var i = 0
        while i < p.count {
            let c = p[i]
            if c == UInt8(ascii: "\\") { i += 2; continue }
            if c == UInt8(ascii: "{") {
                if depth == 0 { open = i; commas = [] }
                depth += 1
            } else if c == UInt8(ascii: "}") {
                guard depth > 0 else { throw InputError("unbalanced '}' in glob pattern", value: whole) }
                depth -= 1
                if depth == 0, let o = open {
                    let prefix = Array(p[..<o]), suffix = Array(p[(i + 1)...])
                    var bounds = [o] + commas + [i]
                    var result: [[UInt8]] = []
                    for j in 0..<(bounds.count - 1) {
                        let alt = Array(p[(bounds[j] + 1)..<bounds[j + 1]])
                        result += try expandBraces(prefix + alt + suffix, whole: whole)
                        if result.count > 1024 { throw InputError("glob pattern expands to more than 1,024 alternatives", value: whole) }
                    }
                    bounds.removeAll()
                    return result
                }
            } else if c == UInt8(ascii: ","), depth == 1 {
                commas.append(i)
            }
            i += 1
        }
        if depth > 0 { throw InputError("unbalanced '{' in glob pattern", value: whole) }
        return [p]
    }
}
