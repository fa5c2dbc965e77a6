#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The list of files this tool wrote into an output folder, kept in the folder itself as
/// `.pipeline-manifest.json`, so that `--overwrite` can remove exactly those and nothing else.
///
/// ```swift
/// try OutputManifest.adopt(root: "runs/imdb", files: [])   // writes runs/imdb/.pipeline-manifest.json
/// try AtomicFile.write(bytes, to: "runs/imdb/data/x_train.npy")
/// // the manifest now lists "data/x_train.npy"
/// ```
///
/// File: `{"written_by": "pipeline", "files": ["spec.yaml", "data/x_train.npy", …]}`, paths
/// relative to the folder, in the order they were first written.
///
/// Semantics: once a folder is adopted, every ``AtomicFile`` whose final path lies under it
/// records its name here *before* it creates its temporary file, and the manifest is rewritten
/// atomically (temporary file, fsync, rename) whenever a new name appears. So a SIGKILL at any
/// moment leaves a manifest that lists every final file (and the `NAME.tmp-PID-N` files) of the
/// folder: at worst it names a file that never got written. Files written by other means are
/// not recorded. Matching is by real path (symlinks resolved), so `runs/../runs/x` and a symlinked
/// folder are recognised. Several folders may be adopted at once (tests run in parallel); a file
/// belongs to the innermost one.
/// Cost: one `realpath` per ``AtomicFile`` while some folder is adopted, and one small rewrite per
/// new name. Fails with ``IOFailure`` naming the folder when the manifest cannot be written.
public enum OutputManifest {
    /// The manifest's file name inside an output folder.
    public static let fileName = ".pipeline-manifest.json"

    struct Root { var files: [String]; var known: Set<String> }
    /// Adopted folders by real path.
    static let roots = Locked([String: Root]())

    /// Starts recording the files written under `root` (an existing folder), beginning with
    /// `files` (what its manifest already lists, or nothing for a fresh folder), and writes the
    /// manifest at once so that the folder is marked as the tool's before anything else lands in it.
    public static func adopt(root: String, files: [String]) throws {
        guard let real = realPath(root) else {
            throw IOFailure("cannot resolve the output folder: \(String(cString: strerror(errno)))", path: root)
        }
        var unique: [String] = []
        var known = Set<String>()
        for f in files where known.insert(f).inserted { unique.append(f) }
        try roots.withLock { rs in
            try write(unique, root: real)
            rs[real] = Root(files: unique, known: known)
        }
    }

    /// Stops recording for `root` (the manifest file stays).
    public static func release(root: String) {
        guard let real = realPath(root) else { return }
        _ = roots.withLock { $0.removeValue(forKey: real) }
    }

    /// Records `path` in the manifest of the adopted folder that holds it, if any.
    /// Called by ``AtomicFile`` before it creates its temporary file.
    static func record(_ path: String) throws {
        guard roots.withLock({ !$0.isEmpty }) else { return }
        let slash = path.lastIndex(of: "/")
        let parent = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        // A parent that does not exist: the open that follows fails and names the path.
        guard let realParent = realPath(parent) else { return }
        let full = (realParent == "/" ? "" : realParent) + "/" + base
        try roots.withLock { rs in
            guard let key = rs.keys.filter({ full.hasPrefix($0 == "/" ? "/" : $0 + "/") }).max(by: { $0.count < $1.count }),
                  var r = rs[key] else { return }
            let rel = String(full.dropFirst(key == "/" ? 1 : key.count + 1))
            guard rel != fileName, !rel.hasPrefix(fileName + ".tmp-"), !r.known.contains(rel) else { return }
            r.files.append(rel); r.known.insert(rel)
            try write(r.files, root: key)
            rs[key] = r
        }
    }

    /// The manifest's text for `files`.
    public static func text(_ files: [String]) -> String {
        "{\"written_by\": \"pipeline\", \"note\": \"files written here by pipeline; --overwrite removes only these\",\n \"files\": [\n"
            + files.map { "  " + JSONString.quote($0) }.joined(separator: ",\n") + "\n]}\n"
    }

    /// Replaces the manifest atomically (an ``AtomicFile`` that is not itself recorded: the
    /// manifest never lists itself, and recording it would re-enter the lock `record` holds).
    static func write(_ files: [String], root: String) throws {
        let path = root + "/" + fileName
        do {
            let f = try AtomicFile(path: path, recordInManifest: false)
            try f.write(text(files))
            try f.commit()
        } catch var e as IOFailure {
            e.message = "cannot write the output manifest: " + e.message
            throw e
        }
    }

    /// `realpath(3)`, or nil when the path does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
