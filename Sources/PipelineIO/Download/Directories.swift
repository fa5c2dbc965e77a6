import PipelineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum Directories {
    /// `mkdir -p` of the folder holding `path`.
    static func make(parentOf path: String) throws {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        try make(String(path[..<slash]))
    }

    /// `mkdir -p path`.
    static func make(_ path: String) throws {
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
