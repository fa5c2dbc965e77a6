import Foundation
import Logging
import PipelineCore
import PipelineSpec

/// Output folders are never overwritten silently, and `--overwrite` only ever removes what this
/// tool wrote there.
///
/// ```swift
/// try OutputFolder.prepare("runs/jena", overwrite: true, source: "/data/jena.csv", cacheDir: "~/.cache/pipeline")
/// ```
///
/// Semantics:
/// - The folder must be apart from the data: it may not be, contain or lie inside a local source
///   (a file or folder, `file://` URLs included), nor be or contain the download cache. Paths are
///   compared as real paths, symlinks resolved. Refused with ``InputError`` (exit 2).
/// - A folder that exists and is not empty is refused unless `overwrite` (or `resuming`).
/// - With `overwrite`, the folder must hold a ``OutputManifest`` (`.pipeline-manifest.json`): only
///   the files it lists (and their leftover `NAME.tmp-PID-N` temporaries) are removed, then the
///   sub-folders that became empty. Everything else stays, and `warn` names it (by default a
///   `warning` on the swift-log `Logger` labelled `pipeline.run`). A non-empty folder
///   without a manifest was not written by this tool and is refused (exit 2).
/// - Then the folder is adopted: every ``AtomicFile`` written into it is recorded in its manifest
///   (kept, and extended, when resuming).
/// Cost: one listing of the folder and one `stat` per manifest entry.
public enum OutputFolder {
    public static func prepare(_ path: String, overwrite: Bool, resuming: Bool = false,
                               source: String? = nil, cacheDir: String? = nil,
                               warn: (String) -> Void = { Logger(label: "pipeline.run").warning("\($0)") }) throws {
        try checkApart(output: path, source: source, cacheDir: cacheDir)
        let fm = FileManager.default
        var isDir: ObjCBool = false
        var keep: [String] = []
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw IOFailure("exists and is not a folder", path: path, hint: "choose another --output")
            }
            // The manifest alone (a run that failed before writing anything) counts as empty.
            let contents = ((try? fm.contentsOfDirectory(atPath: path)) ?? [])
                .filter { $0 != OutputManifest.fileName && !$0.hasPrefix(OutputManifest.fileName + ".tmp-") }
            let listed = try readManifest(path)
            if resuming {
                removeStaleTemporaries(in: path)
                keep = listed ?? []
            } else if !contents.isEmpty {
                guard overwrite else {
                    throw InputError("the output folder \(path) already holds \(contents.count) files",
                                     at: SourceLocation(file: "--output"), field: "output.dir", value: path,
                                     hint: "pass --overwrite to replace it, --resume \(path) to continue it, or choose another --output")
                }
                guard let listed else {
                    throw InputError("the output folder \(path) was not written by pipeline (it holds \(contents.count) files and no \(OutputManifest.fileName)); --overwrite only replaces a folder pipeline wrote",
                                     at: SourceLocation(file: "--output"), field: "output.dir", value: path,
                                     hint: "choose another --output, or empty the folder yourself")
                }
                let foreign = try removeListed(listed, in: path)
                if !foreign.isEmpty {
                    let names = foreign.prefix(5).joined(separator: ", ") + (foreign.count > 5 ? ", …" : "")
                    warn("--overwrite kept \(foreign.count) \(foreign.count == 1 ? "entry" : "entries") in \(path) that pipeline did not write: \(names)")
                }
            }
        }
        do {
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw IOFailure("cannot create the output folder: \(error.localizedDescription)", path: path,
                            hint: "check the permissions of its parent folder")
        }
        // Fail before any work when the folder is not writable.
        let probe = path + "/.write-test-\(getpid())"
        guard fm.createFile(atPath: probe, contents: Data()) else {
            throw IOFailure("the output folder is not writable", path: path, hint: "check its permissions or choose another --output")
        }
        try? fm.removeItem(atPath: probe)
        try OutputManifest.adopt(root: path, files: keep)
    }

    /// Refuses an output folder that is, contains or lies inside the local `source`, or that is
    /// or contains `cacheDir` (``InputError``, exit 2). URLs other than `file://` are not paths.
    public static func checkApart(output: String, source: String?, cacheDir: String?) throws {
        let out = resolved(output)
        func refuse(_ what: String, _ other: String) -> InputError {
            InputError("the output folder \(output) \(what) \(other); writing there could destroy the data",
                       at: SourceLocation(file: "--output"), field: "output.dir", value: output,
                       hint: "choose an --output apart from the source and the cache")
        }
        if let source, !PathResolution.isURL(source) || source.hasPrefix("file://") {
            let local = source.hasPrefix("file://") ? String(source.dropFirst("file://".count)) : source
            let src = resolved(local)
            if src == out { throw refuse("is the data source", source) }
            if within(src, out) { throw refuse("contains the data source", source) }
            if within(out, src) { throw refuse("lies inside the data source", source) }
        }
        if let cacheDir {
            let cache = resolved(HomeDirectory.expandingTilde(cacheDir))
            if cache == out { throw refuse("is the download cache", cacheDir) }
            if within(cache, out) { throw refuse("contains the download cache", cacheDir) }
        }
    }

    /// Whether `inner` lies strictly inside `outer` (both resolved).
    static func within(_ inner: String, _ outer: String) -> Bool {
        outer == "/" ? inner != "/" : inner.hasPrefix(outer + "/")
    }

    /// The real path of `path`: its longest existing ancestor through `realpath`, the rest appended
    /// (so a folder that does not exist yet still compares correctly).
    static func resolved(_ path: String) -> String {
        var absolute = PathResolution.absoluteIfLocal(path)
        absolute = (absolute as NSString).standardizingPath
        var rest: [String] = []
        var head = absolute
        while true {
            if let real = OutputManifest.realPath(head) {
                let joined = ([real == "/" ? "" : real] + rest.reversed()).joined(separator: "/")
                return joined.isEmpty ? "/" : joined
            }
            let parent = (head as NSString).deletingLastPathComponent
            if parent == head || parent.isEmpty { return absolute }
            rest.append((head as NSString).lastPathComponent)
            head = parent
        }
    }

    /// The files `path`'s manifest lists, or nil when it has none. A manifest that cannot be read
    /// is an ``IOFailure``: better to stop than to guess what may be removed.
    public static func readManifest(_ path: String) throws -> [String]? {
        let file = path + "/" + OutputManifest.fileName
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        guard let data = FileManager.default.contents(atPath: file),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let files = object["files"] as? [String] else {
            throw IOFailure("unreadable output manifest", path: file,
                            hint: "it lists the files pipeline wrote here; remove the folder yourself or choose another --output")
        }
        return files
    }

    /// Removes the files of `listed` (relative paths inside `root`, never `..` or absolute, never
    /// through a symlink out of `root`), their temporaries, the manifest, and the sub-folders that
    /// became empty. Returns what is left in `root` (top-level names, sorted).
    static func removeListed(_ listed: [String], in root: String) throws -> [String] {
        let fm = FileManager.default
        guard let realRoot = OutputManifest.realPath(root) else { return [] }
        var dirs = Set<String>()
        var byDir: [String: Set<String>] = [:]
        for entry in listed {
            let parts = entry.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            guard !entry.hasPrefix("/"), !parts.isEmpty, !parts.contains(".."), !parts.contains(".") else { continue }
            let dirParts = parts.dropLast()
            let dir = ([root] + dirParts).joined(separator: "/")
            // The entry's folder must really be inside root (a symlinked sub-folder is skipped).
            guard let realDir = OutputManifest.realPath(dir), realDir == realRoot || within(realDir, realRoot) else { continue }
            byDir[dir, default: []].insert(parts.last!)
            for i in 1..<parts.count { dirs.insert(([root] + parts[0..<i]).joined(separator: "/")) }
        }
        byDir[root, default: []].insert(OutputManifest.fileName)
        for (dir, names) in byDir {
            for name in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] {
                let ours = names.contains(name) || names.contains { name.hasPrefix($0 + ".tmp-") }
                    || (dir == root && name.hasPrefix(".write-test-"))
                guard ours else { continue }
                let full = dir + "/" + name
                var isDir: ObjCBool = false
                // A listed name that is now a folder was not written by us as such: leave it.
                guard fm.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue || isSymlink(full) else { continue }
                if unlink(full) != 0 && errno != ENOENT {
                    let code = errno
                    throw IOFailure("cannot remove a file of the earlier run: \(String(cString: strerror(code)))", path: full,
                                    hint: "check the folder's permissions")
                }
            }
        }
        // Deepest first; rmdir only removes empty folders.
        for dir in dirs.sorted(by: { $0.count > $1.count }) { rmdir(dir) }
        return ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted()
    }

    static func isSymlink(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeSymbolicLink
    }

    /// Removes the `NAME.tmp-PID-N` files that an ``AtomicFile`` write of a killed process left
    /// in the run folder, its `checkpoint/` and `data/` (they never carry a final name; this only tidies).
    static func removeStaleTemporaries(in path: String) {
        let fm = FileManager.default
        for dir in [path, path + "/checkpoint", path + "/data"] {
            for name in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] where name.contains(".tmp-") {
                try? fm.removeItem(atPath: dir + "/" + name)
            }
        }
    }
}
