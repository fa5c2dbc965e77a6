import Foundation
import PipelineCore

/// Output folders are never overwritten silently: a folder that exists and is not empty is
/// refused unless the user asked to overwrite it (or resumes the run that lives there).
public enum OutputFolder {
    public static func prepare(_ path: String, overwrite: Bool, resuming: Bool = false) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw IOFailure("exists and is not a folder", path: path, hint: "choose another --output")
            }
            let contents = (try? fm.contentsOfDirectory(atPath: path)) ?? []
            if resuming { removeStaleTemporaries(in: path) }
            if !contents.isEmpty && !resuming {
                guard overwrite else {
                    throw InputError("the output folder \(path) already holds \(contents.count) files",
                                     at: SourceLocation(file: "--output"), field: "output.dir", value: path,
                                     hint: "pass --overwrite to replace it, --resume \(path) to continue it, or choose another --output")
                }
                try fm.removeItem(atPath: path)
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
