import Foundation
import Dispatch
import Pipeline

/// Ctrl-C (SIGINT) and SIGTERM for `run` and `prepare`. The library never touches signals;
/// this raises its ``StopRequest`` and, outside training, stops the process itself.
///
/// - First signal while training (``StopRequest/isWatched``): the request is raised; `fit`
///   stops at the next step boundary, the run writes its checkpoint, history and report and
///   throws ``RunInterrupted``; `run` prints it with the exact `--resume` command and exits
///   130 (SIGINT) or 143 (SIGTERM).
/// - First signal anywhere else (download, data preparation, writing the results), or a second
///   signal: this process's temporary files (`NAME.tmp-PID-…`) in the output folder are
///   removed, a message says what is left and how to go on, and the process exits at once
///   with 130 / 143. Files under their final names are always whole (``AtomicFile``); a
///   partial download stays in the cache as `NAME.part` and continues next time.
enum Interrupt {
    /// The sources must outlive `run()`; kept here for the life of the process.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// Installs the handlers. `outputDir` is the folder the command writes; `resumeCommand` is
    /// printed after an interruption of a `run` (nil for `prepare`).
    static func install(stop: StopRequest, outputDir: String, resumeCommand: String?) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: DispatchQueue(label: "pipeline.signal.\(sig)"))
            source.setEventHandler {
                // Two signals that arrived before this handler ran count as a second Ctrl-C.
                let first = stop.request(signal: sig) && source.data < 2
                if first && stop.isWatched {
                    Console.error("\n\(name(sig)): stopping at the next step boundary to write the checkpoint, history.json and report.html "
                                  + "(press Ctrl-C again to quit at once)\n")
                    return
                }
                AtomicFile.closeForExit()                  // no new temporary file from here on
                let removed = removeTemporaries(in: outputDir)
                var message = "\n\(name(sig)): " + (first ? "stopped" : "quitting at once")
                message += removed > 0 ? "; removed \(removed) unfinished temporary file\(removed == 1 ? "" : "s") in \(outputDir)" : ""
                message += "; files under their final names are complete, a partial download is kept in the cache and continues next time\n"
                if let resumeCommand {
                    message += "continue with: \(resumeCommand)\n"
                } else {
                    message += "run the same command again with --overwrite to start over\n"
                }
                Console.error(message)
                _exit(exitCode(sig))
            }
            source.resume()
            sources.append(source)
        }
    }

    /// 128 + the signal number: 130 for SIGINT, 143 for SIGTERM (what shells report).
    static func exitCode(_ sig: Int32) -> Int32 { 128 + sig }

    static func name(_ sig: Int32) -> String { sig == SIGINT ? "interrupted (Ctrl-C)" : sig == SIGTERM ? "terminated (SIGTERM)" : "signal \(sig)" }

    /// Removes `NAME.tmp-PID-N` (and the manifest's `NAME.tmp-PID`) files of this process under
    /// `dir`, at most three levels deep (a run folder: `data/`, `checkpoint/`). Returns the count.
    static func removeTemporaries(in dir: String) -> Int {
        let marker = ".tmp-\(getpid())"
        var removed = 0
        func walk(_ path: String, depth: Int) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            for name in names {
                let full = path + "/" + name
                if let r = name.range(of: marker), r.upperBound == name.endIndex || name[r.upperBound] == "-" {
                    if unlink(full) == 0 { removed += 1 }
                } else if name.hasPrefix(".write-test-\(getpid())") {
                    unlink(full)
                } else if depth > 0 {
                    var isDir: ObjCBool = false
                    if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), isDir.boolValue { walk(full, depth: depth - 1) }
                }
            }
        }
        walk(dir, depth: 2)
        return removed
    }

    /// The command line that continues this run: the same arguments (without `--resume X` and
    /// `--overwrite`) followed by `--resume runDir`, quoted for a POSIX shell.
    static func resumeCommand(arguments: [String], runDir: String) -> String {
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--resume" { i += 2; continue }
            if a.hasPrefix("--resume=") || a == "--overwrite" { i += 1; continue }
            out.append(a); i += 1
        }
        return (out + ["--resume", runDir]).map(shellQuoted).joined(separator: " ")
    }

    static func shellQuoted(_ s: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        if !s.isEmpty && s.allSatisfy({ safe.contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
