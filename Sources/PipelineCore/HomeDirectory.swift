#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The user's home directory and `~` expansion: the one place the library reads `$HOME`.
///
/// ```swift
/// HomeDirectory.path                              // "/home/ada"
/// HomeDirectory.expandingTilde("~/.cache/pipeline") // "/home/ada/.cache/pipeline"
/// HomeDirectory.expandingTilde("~ada/data.csv")    // "/home/ada/data.csv"
/// HomeDirectory.expandingTilde("data/~x")          // unchanged
/// ```
/// Semantics: ``path`` is `$HOME` when it is set and not empty, as a shell does; else the
/// home directory of the current user in the user database (`getpwuid_r`), else `/tmp`
/// (no home at all, as in some containers). `expandingTilde` replaces a leading `~` or `~/`
/// with ``path`` and a leading `~name` or `~name/` with that user's home directory (left as it
/// is when there is no such user); any other string is returned unchanged, so `~` inside a
/// path or a URL is never touched. Cost: an environment read, and a user-database lookup only
/// when `$HOME` is unset or for `~name`.
public enum HomeDirectory {
    public static var path: String {
        if let h = getenv("HOME"), h.pointee != 0 { return String(cString: h) }
        return userHome(uid: getuid()) ?? "/tmp"
    }

    public static func expandingTilde(_ path: String) -> String {
        guard path.hasPrefix("~") else { return path }
        let afterTilde = path.dropFirst()
        let name = afterTilde.prefix { $0 != "/" }
        let rest = afterTilde.dropFirst(name.count)          // "" or "/…"
        guard let home = name.isEmpty ? self.path : userHome(name: String(name)) else { return path }
        if rest.isEmpty { return home }
        var base = Substring(home)
        while base.hasSuffix("/") { base = base.dropLast() }   // "/" + "/x" is "/x", not "//x"
        return String(base + rest)
    }

    private static func userHome(uid: uid_t) -> String? {
        lookup { getpwuid_r(uid, &$0, $1, $2, &$3) }
    }

    private static func userHome(name: String) -> String? {
        lookup { getpwnam_r(name, &$0, $1, $2, &$3) }
    }

    /// Runs a reentrant `getpw*_r` call with a 16 KiB buffer and returns the entry's `pw_dir`.
    private static func lookup(_ call: (inout passwd, UnsafeMutablePointer<CChar>, Int,
                                        inout UnsafeMutablePointer<passwd>?) -> Int32) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        let size = 16 * 1024
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
        defer { buffer.deallocate() }
        guard call(&entry, buffer, size, &result) == 0, result != nil, let dir = entry.pw_dir, dir.pointee != 0 else {
            return nil
        }
        return String(cString: dir)
    }
}
