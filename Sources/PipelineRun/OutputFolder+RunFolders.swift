import Foundation
import PipelineCore

/// Run folders that do not get in the way: numbered when the spec's folder holds an earlier run,
/// and removed when a run fails before it trained anything.
///
/// ```swift
/// let dir = try OutputFolder.nextFree("runs/imdb-lstm")   // "runs/imdb-lstm-2" when runs/imdb-lstm holds a run
/// ```
extension OutputFolder {
    /// Highest suffix tried by ``nextFree(_:)``.
    public static let maxNumberedFolders = 9_999

    /// `base` when it does not exist or holds nothing (or only a manifest), else the first such
    /// `base-2`, `base-3`, …. A folder that does not exist is claimed with `mkdir` when its
    /// parent exists, so two runs started at once get different folders. Only for the spec's
    /// `output.dir` (its default `runs/NAME`): an explicit `--output` keeps its strict meaning.
    /// Failure: ``IOFailure`` after ``maxNumberedFolders`` taken names.
    public static func nextFree(_ base: String) throws -> String {
        let trimmed = base.count > 1 && base.hasSuffix("/") ? String(base.dropLast()) : base
        let parent = parentFolder(trimmed) ?? "."
        for n in 1...maxNumberedFolders {
            let candidate = n == 1 ? trimmed : "\(trimmed)-\(n)"
            if !FileManager.default.fileExists(atPath: candidate) {
                guard FileManager.default.fileExists(atPath: parent) else { return candidate }
                if mkdir(candidate, 0o777) == 0 { return candidate }
                if errno != EEXIST { return candidate }   // prepare reports the real problem
            }
            if holdsNothing(candidate) { return candidate }
        }
        throw IOFailure("\(maxNumberedFolders) numbered run folders are taken", path: trimmed,
                        hint: "remove old runs or pass --output")
    }

    /// Whether `path` is absent or a folder holding nothing but a manifest (and its temporaries).
    public static func holdsNothing(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return true }
        guard isDir.boolValue else { return false }
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"])
            .allSatisfy { $0 == OutputManifest.fileName || $0.hasPrefix(OutputManifest.fileName + ".tmp-") }
    }

    /// `path` and its ancestors that do not exist yet, deepest first.
    public static func missingFolders(_ path: String) -> [String] {
        var out: [String] = []
        var p = path
        while !p.isEmpty, p != "/", p != ".", !FileManager.default.fileExists(atPath: p) {
            out.append(p)
            guard let parent = parentFolder(p) else { break }
            p = parent
        }
        return out
    }

    /// The text before the last `/` (`/` for a top-level path), nil for a bare name.
    /// (Foundation's `deletingLastPathComponent` traps on a bare relative name here.)
    static func parentFolder(_ path: String) -> String? {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return nil }
        return slash == p.startIndex ? "/" : String(p[..<slash])
    }

    /// After a run failed before its first checkpoint: removes what its manifest lists (nothing
    /// else), then `path` itself when `removeFolder` (it held nothing before the run) and it is
    /// empty, then the folders of `created` that are empty. A run with a checkpoint is kept
    /// (`--resume` continues it). Never throws: the run's own error is what the user must see.
    public static func discardFailedRun(_ path: String, removeFolder: Bool, created: [String]) {
        OutputManifest.release(root: path)
        guard let listed = try? readManifest(path), !listed.contains(where: { $0.hasPrefix("checkpoint/") }) else { return }
        _ = try? removeListed(listed, in: path)
        if removeFolder { rmdir(path) }
        for dir in created where dir != path { rmdir(dir) }
    }
}
