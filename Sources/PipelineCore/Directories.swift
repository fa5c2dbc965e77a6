#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mkdir -p`: the one way the library creates folders with their missing parents.
///
/// ```swift
/// try Directories.make("runs/imdb/data")             // runs, runs/imdb, runs/imdb/data
/// try Directories.make(parentOf: "cache/x.tar.gz")   // cache
/// ```
/// Semantics: each component is created with mode 0755 (less the umask); one that exists
/// already is fine, whatever it is (a file there makes the next component fail with
/// `ENOTDIR`). Symbolic links are followed: extraction into an untrusted tree checks its
/// parents itself. Failures: ``IOFailure`` naming the component that could not be created.
public enum Directories {
    /// `mkdir -p` of the folder holding `path`.
    public static func make(parentOf path: String) throws {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        try make(String(path[..<slash]))
    }

    /// `mkdir -p path`.
    public static func make(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw IOFailure("cannot create folder: \(String(cString: strerror(errno)))", path: current,
                                hint: "check the permissions of the parent folder")
            }
        }
    }
}
