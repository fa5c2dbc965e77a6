#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The whole content of a (small) file as bytes, read with `fread` in 64 KiB pieces (no
/// Foundation `Data` bridging). The one copy of this loop: specs, vocabularies and shard
/// manifests read through it.
///
/// ```swift
/// let bytes = try WholeFile.read(path, limit: 64 << 20, what: "a shard manifest")
/// ```
///
/// Failure modes: ``IOFailure`` naming the path when the file cannot be opened (the system's
/// reason, e.g. "No such file or directory") or read, and when it is larger than `limit`
/// bytes ("larger than 67.1 MB: not a shard manifest"): the read stops there, so memory stays
/// bounded by `limit`. Cost: one pass over the file.
public enum WholeFile {
    public static func read(_ path: String, limit: Int = .max, what: String = "the file", hint: String? = nil) throws -> [UInt8] {
        guard let f = fopen(path, "rb") else {
            throw IOFailure("cannot open: \(String(cString: strerror(errno)))", path: path, hint: hint)
        }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n > 0 { out.append(contentsOf: buf[0..<n]) }
            if out.count > limit {
                throw IOFailure("larger than \(ProgressReporter.size(limit)): not \(what)", path: path, hint: hint)
            }
            if n < buf.count { break }
        }
        if ferror(f) != 0 { throw IOFailure("cannot read", path: path, hint: hint) }
        return out
    }
}
