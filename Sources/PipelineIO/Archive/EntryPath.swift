/// Path rules shared by archive readers and the extractor.
enum EntryPath {
    /// `./a//b/` → `a/b`: the form filters match against and entries are reported with.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : joined
    }

    /// Why `path` may not be written below an extraction root, or nil when it is safe:
    /// absolute paths and any `..` component are refused.
    static func unsafeReason(_ path: String) -> String? {
        if path.hasPrefix("/") { return "absolute path" }
        if path.split(separator: "/").contains("..") { return "path contains '..'" }
        return nil
    }

    /// Resolves `target` relative to the directory of `link` (both relative to the root),
    /// lexically. Nil when the result would leave the root.
    static func resolve(linkTarget target: String, from link: String) -> String? {
        if target.hasPrefix("/") { return nil }
        var parts = link.split(separator: "/").dropLast().map(String.init)
        for part in target.split(separator: "/") where part != "." {
            if part == ".." {
                if parts.isEmpty { return nil }
                parts.removeLast()
            } else {
                parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }
}
