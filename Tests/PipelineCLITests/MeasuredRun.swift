import Foundation

/// A child process whose peak resident memory is known: the memory tests' runner.
///
/// The child is started by a small `python3` parent that reaps it and reports
/// `getrusage(RUSAGE_CHILDREN).ru_maxrss`. Measuring from the test process itself would be wrong
/// on Linux: `posix_spawn` starts the child with `vfork`, and at `execve` the kernel folds the
/// *parent's* high-water mark into the child's `ru_maxrss`, so every child would report the test
/// runner's own peak (hundreds of MB while other tests run). The python parent's own peak
/// (≈ 10 MB) is the floor of what is reported.
///
/// The child is killed (and `killed` set) when it runs past `timeout` seconds or its resident set
/// (`/proc/PID/status` VmRSS) passes `killAboveKB`. `code` is the exit status, or minus the signal.
struct MeasuredRun {
    var code: Int32 = -1
    var killed = false
    var maxRSSKB = 0
    var seconds = 0.0
    var stdout = "", stderr = ""

    static let parent = #"""
    import json, resource, subprocess, sys, time
    timeout, kill_kb, out, err, argv = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
    def rss(pid):
        try:
            for line in open('/proc/%d/status' % pid):
                if line.startswith('VmRSS:'): return int(line.split()[1])
        except OSError: pass
        return 0
    start, killed = time.time(), False
    with open(out, 'wb') as o, open(err, 'wb') as e:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=o, stderr=e)
        while p.poll() is None:
            if time.time() - start > timeout or rss(p.pid) > kill_kb:
                p.kill(); p.wait(); killed = True; break
            time.sleep(0.01)
    print(json.dumps({'code': p.returncode, 'killed': killed, 'seconds': time.time() - start,
                      'maxrss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
    """#

    static func run(_ argv: [String], timeout: Double, killAboveKB: Int) throws -> MeasuredRun {
        let dir = NSTemporaryDirectory() + "measured-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", parent, String(timeout), String(killAboveKB), dir + "/out", dir + "/err"] + argv
        let report = Pipe()
        p.standardOutput = report
        p.standardError = FileHandle.standardError
        try p.run()
        let data = report.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0,
              let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let code = json["code"] as? Int, let rss = json["maxrss_kb"] as? Int else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "the python3 parent failed: \(String(decoding: data, as: UTF8.self))"])
        }
        var r = MeasuredRun()
        r.code = Int32(code)
        r.killed = json["killed"] as? Bool ?? false
        r.seconds = json["seconds"] as? Double ?? 0
        r.maxRSSKB = rss
        r.stdout = (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? ""
        r.stderr = (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? ""
        return r
    }
}
