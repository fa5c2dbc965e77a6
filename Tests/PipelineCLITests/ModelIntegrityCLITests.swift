import Testing
import Foundation

/// `predict` and `evaluate` refuse altered or non-finite weights (exit 1, the file named) instead
/// of printing `probability: -nan` with exit 0.
@Suite struct ModelIntegrityCLITests {
    /// `sha256sum` or `shasum -a 256` of `data` (hex), or nil when neither tool exists.
    static func sha256(_ data: [UInt8]) throws -> String? {
        for tool in [["/usr/bin/sha256sum"], ["/usr/bin/shasum", "-a", "256"]] where FileManager.default.isExecutableFile(atPath: tool[0]) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: tool[0])
            p.arguments = Array(tool.dropFirst())
            let input = Pipe(), output = Pipe()
            p.standardInput = input; p.standardOutput = output
            try p.run()
            input.fileHandleForWriting.write(Data(data)); try input.fileHandleForWriting.close()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return String(text.prefix(64))
        }
        return nil
    }

    /// Header JSON and data section of a safetensors file.
    static func split(_ bytes: [UInt8]) -> (header: String, data: [UInt8]) {
        var n = 0
        for i in 0..<8 { n |= Int(bytes[i]) << (8 * i) }
        return (String(decoding: bytes[8..<(8 + n)], as: UTF8.self), Array(bytes[(8 + n)...]))
    }
    static func join(_ header: String, _ data: [UInt8]) -> [UInt8] {
        let h = Array(header.utf8)
        var out: [UInt8] = []
        withUnsafeBytes(of: UInt64(h.count).littleEndian) { out += $0 }
        return out + h + data
    }

    @Test func alteredAndNonFiniteWeightsAreRefusedByPredictAndEvaluate() throws {
        let dir = NSTemporaryDirectory() + "cli-integrity-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try CLI.run(["run", "pipelines/fixtures/jena-dense.yaml", "--output", dir, "--set", "train.epochs=1", "--quiet"])
        try #require(run.code == 0, "\(run.stderr)")
        let csv = CLI.repoRoot + "/fixtures/jena-mini.csv"
        let weights = dir + "/model.safetensors"
        let original = Array(FileManager.default.contents(atPath: weights)!)
        let predict = ["predict", dir, "--csv", csv], evaluate = ["evaluate", dir, "--source", csv]
        #expect(try CLI.run(predict).code == 0)

        // One altered byte in the data: the checksum no longer matches.
        var (header, data) = Self.split(original)
        data[data.count - 3] ^= 0x01
        try Data(Self.join(header, data)).write(to: URL(fileURLWithPath: weights))
        for args in [predict, evaluate] {
            let r = try CLI.run(args)
            #expect(r.code == 1, "\(args[0]): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains(weights) && r.stderr.contains("weights checksum mismatch: the file was altered or corrupted"), "\(r.stderr)")
            #expect(!r.stdout.contains("nan"))
        }

        // A NaN with a recomputed checksum: refused as non-finite, tensor and index named.
        (header, data) = Self.split(original)
        let json = try JSONSerialization.jsonObject(with: Data(header.utf8)) as! [String: Any]
        let name = json.keys.filter { $0.hasSuffix("/kernel") && !$0.hasPrefix("optimizer/") }.sorted()[0]
        let start = ((json[name] as! [String: Any])["data_offsets"] as! [Int])[0]
        withUnsafeBytes(of: Float.nan.bitPattern.littleEndian) { b in for i in 0..<4 { data[start + 4 + i] = b[i] } }
        guard let hex = try Self.sha256(data) else { return }
        let r = header.range(of: #""weights_sha256":""#)!
        header.replaceSubrange(r.upperBound..<header.index(r.upperBound, offsetBy: 64), with: hex)
        try Data(Self.join(header, data)).write(to: URL(fileURLWithPath: weights))
        for args in [predict, evaluate] {
            let out = try CLI.run(args)
            #expect(out.code == 1, "\(args[0]): \(out.stdout) \(out.stderr)")
            #expect(out.stderr.contains("tensor '\(name)' holds a non-finite value (nan) at index 1"), "\(out.stderr)")
            #expect(!out.stdout.contains("nan"))
        }
    }
}
