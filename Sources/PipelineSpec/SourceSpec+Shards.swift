import Foundation
import PipelineCore
import Yams
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SourceSpec {
    /// `source.shards`: a list (each item a URL or path, or a mapping `{url, sha256, md5}`), or
    /// one string, a glob of local files (`*`, `?`, `[…]`, as glob(3)) relative to the spec's
    /// folder, expanded now and sorted by name; the matches are kept as written (relative paths
    /// stay relative), so the resolved spec lists the shards it read. Errors (``InputError`` at
    /// the key): an empty list, a glob that matches no file, a bad item, URL scheme or checksum.
    static func parseShards(_ m: SpecMap) throws -> [Shard] {
        guard let node = m.node("shards") else { return [] }
        var shards: [Shard] = []
        switch node {
        case .scalar(let s):
            let pattern = s.string
            guard !PathResolution.isURL(pattern) else {
                throw m.fail("shards", "a glob must name local files, not a URL", hint: "list URLs one by one: shards: [URL, URL, …]")
            }
            let matches = expandGlob(pattern, specFile: m.origin.file)
            guard !matches.isEmpty else {
                throw m.fail("shards", "the glob \(JSONString.quote(pattern)) matches no file (looked in \(PathResolution.resolve(pattern, relativeTo: m.origin.file)))",
                             hint: "paths are relative to the spec's folder; or list the shards: shards: [PATH, …]")
            }
            shards = matches.map { Shard(url: $0) }
        case .sequence(let seq):
            for (i, item) in seq.enumerated() {
                let at = "shards[\(i)]"
                switch item {
                case .scalar(let s): shards.append(Shard(url: s.string))
                case .mapping:
                    let im = try SpecMap(item, path: m.field(at), origin: m.origin, allowed: ["url", "sha256", "md5"])
                    guard let url = try im.string("url"), !url.isEmpty else { throw im.fail("url", "is required: a URL or a local path") }
                    var shard = Shard(url: url, sha256: try im.string("sha256")?.lowercased(), md5: try im.string("md5")?.lowercased())
                    if let h = shard.sha256, h.count != 64 || !h.allSatisfy(\.isHexDigit) { throw im.fail("sha256", "must be 64 hexadecimal digits") }
                    if let h = shard.md5, h.count != 32 || !h.allSatisfy(\.isHexDigit) { throw im.fail("md5", "must be 32 hexadecimal digits") }
                    shard.url = url
                    shards.append(shard)
                default:
                    throw SpecMap.error("must be a URL or path, or a mapping {url: …, sha256: …}", node: item, path: m.field(at), origin: m.origin)
                }
            }
        default:
            throw m.fail("shards", "must be a list of URLs or paths, or one glob of local files", hint: "shards: [data/part-0.csv, data/part-1.csv] or shards: \"data/part-*.csv\"")
        }
        guard !shards.isEmpty else { throw m.fail("shards", "must list at least one shard") }
        for (i, s) in shards.enumerated() {
            guard !s.url.isEmpty else { throw m.fail("shards", "shard \(i) is empty") }
            let lower = s.url.lowercased()
            if let colon = lower.range(of: "://"), !["http", "https", "file"].contains(String(lower[..<colon.lowerBound])) {
                throw m.fail("shards", "shard \(i) (\(s.url)): unsupported scheme: only http, https and file URLs or local paths")
            }
        }
        return shards
    }

    /// The files matching `pattern` (relative to `specFile`'s folder unless absolute), sorted by
    /// name, written the way `pattern` is (relative matches without the folder prefix).
    static func expandGlob(_ pattern: String, specFile: String) -> [String] {
        let resolved = PathResolution.resolve(pattern, relativeTo: specFile)
        var g = glob_t()
        defer { globfree(&g) }
        guard systemGlob(resolved, 0, nil, &g) == 0 else { return [] }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            guard let p = g.gl_pathv[i] else { continue }
            let path = String(cString: p)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
            out.append(path)
        }
        out.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        // Keep relative patterns relative: "data/part-*" → "data/part-0", not the spec folder's absolute path.
        if !pattern.hasPrefix("/") && !pattern.hasPrefix("~") {
            let base = PathResolution.resolve(".", relativeTo: specFile)
            let prefix = base.hasSuffix("/") ? base : base + "/"
            out = out.map { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 }
        }
        return out
    }
}

#if canImport(Glibc)
private let systemGlob = Glibc.glob
#elseif canImport(Darwin)
private let systemGlob = Darwin.glob
#endif
