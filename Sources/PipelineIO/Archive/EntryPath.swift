/// Path rules shared by archive readers and the extractor.
enum EntryPath {
    /// `./a//b/` → `a/b`: the form filters match against and entries are reported with.
    static func normalize(_ path: String) -> String {
        isNormal(path) ? path : normalizeComponents(path)
    }

    /// `normalize` the long way: split, drop empty and `.` components, join.
    static func normalizeComponents(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : joined
    }

    /// Whether `path` is already in normal form (no empty or `.` component, no trailing `/`
    /// except as the whole path): one scan of its bytes, the case of almost every entry.
    static func isNormal(_ path: String) -> Bool {
        var previous: UInt8 = 0x2F, beforePrevious: UInt8 = 0x2F, first = true, count = 0
        for c in path.utf8 {
            if c == 0x2F && previous == 0x2F && !first { return false }           // "//"
            if c == 0x2F && previous == 0x2E && beforePrevious == 0x2F { return false }   // "/./" or leading "./"
            beforePrevious = previous; previous = c; first = false; count += 1
        }
        if count == 0 { return true }
        if previous == 0x2F { return count == 1 }                                 // trailing "/"
        return !(previous == 0x2E && beforePrevious == 0x2F)                       // trailing "/." or "."
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
