import Foundation
import PipelineCore

/// `scripts/io_test_server.py` running on 127.0.0.1 for one test: serves the files of a fresh
/// temporary folder with the misbehaviours the script documents (drop, short, stall, 500…).
/// The script exits when its standard input closes, so it never outlives the test process.
final class HTTPTestServer {
    let root: String
    let port: Int
    private let process: Process
    private let stdin: Pipe

    /// Starts the server; waiting for its port happens off the cooperative pool.
    static func start() async throws -> HTTPTestServer {
        let box = try await offPool { try UncheckedBox(HTTPTestServer()) }
        return box.value
    }

    private init() throws {
        root = try TestFiles.temporaryDirectory("http")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestFiles.repoRoot.appendingPathComponent("scripts/io_test_server.py").path, root]
        stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        var line: [UInt8] = []
        while true {
            let byte = stdout.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte.first == UInt8(ascii: "\n") { break }
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            throw IOFailure("the test server did not print its port", path: "scripts/io_test_server.py", hint: "is python3 installed?")
        }
        self.port = port
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        process.terminate()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Puts `bytes` under `name` in the served folder.
    func serve(_ name: String, _ bytes: [UInt8]) throws { try TestFiles.write(bytes, to: root + "/" + name) }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Requests received so far: (path with query, Range header or nil).
    func requests() -> [(path: String, range: String?)] {
        guard let text = try? String(contentsOfFile: root + "/requests.log", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 && parts[1] != "-" ? parts[1] : nil)
        }
    }
}

struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
