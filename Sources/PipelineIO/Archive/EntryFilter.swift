import PipelineCore

/// Which archive or folder entries to keep: include and exclude lists of ``GlobPattern``s.
///
/// ```swift
/// let filter = try EntryFilter(include: ["aclImdb/train/{pos,neg}/*.txt"], exclude: ["**/unsup/**"])
/// filter.accepts("aclImdb/train/neg/10_2.txt")   // true
/// filter.accepts("aclImdb/README")               // false: not included
/// ```
///
/// Semantics: a path is accepted when the include list is empty or any include pattern
/// matches it, and no exclude pattern matches it (exclude wins). Paths are relative, with `/`
/// separators and no leading `./` (archive readers normalize them before asking).
/// Cost: each pattern's match, O(pattern × path). Bad patterns throw ``InputError``.
public struct EntryFilter: Sendable, Equatable, CustomStringConvertible {
    public var include: [GlobPattern]
    public var exclude: [GlobPattern]

    public init(include: [String] = [], exclude: [String] = []) throws {
        self.include = try include.map(GlobPattern.init)
        self.exclude = try exclude.map(GlobPattern.init)
    }

    /// Accepts every path.
    public static var all: EntryFilter { EntryFilter(uncheckedInclude: [], exclude: []) }

    private init(uncheckedInclude: [GlobPattern], exclude: [GlobPattern]) {
        include = uncheckedInclude; self.exclude = exclude
    }

    /// True when nothing is filtered out.
    public var acceptsAll: Bool { include.isEmpty && exclude.isEmpty }

    public func accepts(_ path: String) -> Bool {
        (include.isEmpty || include.contains { $0.matches(path) }) && !exclude.contains { $0.matches(path) }
    }

    /// `include [a, b] exclude [c]`, for error messages.
    public var description: String {
        var parts: [String] = []
        if !include.isEmpty { parts.append("include [" + include.map(\.pattern).joined(separator: ", ") + "]") }
        if !exclude.isEmpty { parts.append("exclude [" + exclude.map(\.pattern).joined(separator: ", ") + "]") }
        return parts.isEmpty ? "all entries" : parts.joined(separator: " ")
    }
}
