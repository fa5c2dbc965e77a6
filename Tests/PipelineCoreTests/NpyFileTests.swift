import Testing
import Foundation
@testable import PipelineCore

@Suite struct NpyFileTests {
    func tempPath(_ name: String) -> String { NSTemporaryDirectory() + "npy-\(UUID().uuidString)-\(name)" }

    @Test func headerIsAlignedTo64() {
        for shape in [[3], [25_000, 500], [], [1, 2, 3, 4]] {
            #expect(NpyFile.header(dtype: .int32, shape: shape).count % 64 == 0)
        }
    }

    @Test func roundTripInt32() throws {
        let p = tempPath("a.npy")
        let values: [Int32] = (0..<12).map { Int32($0 * 3 - 7) }
        try NpyFile.write(values, shape: [3, 4], to: p)
        let (shape, back): ([Int], [Int32]) = try NpyFile.read(p)
        #expect(shape == [3, 4] && back == values)
    }

    @Test func streamWriterPatchesShape() throws {
        let p = tempPath("s.npy")
        let w = try NpyStreamWriter<Float>(path: p, rowShape: [2])
        try w.append([1, 2, 3, 4])
        try w.append([5, 6])
        #expect(!FileManager.default.fileExists(atPath: p))
        try w.finish()
        let (shape, back): ([Int], [Float]) = try NpyFile.read(p)
        #expect(shape == [3, 2] && back == [1, 2, 3, 4, 5, 6])
    }

    @Test func wrongDTypeIsRefusedWithPath() throws {
        let p = tempPath("f.npy")
        try NpyFile.write([Float(1)], shape: [1], to: p)
        #expect(throws: IOFailure.self) { let _: ([Int], [Int32]) = try NpyFile.read(p) }
    }

    @Test func numpyReadsOurFiles() throws {
        let p = tempPath("n.npy")
        try NpyFile.write((0..<6).map { Int32($0) }, shape: [2, 3], to: p)
        let proc = Process()
        proc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        proc.arguments = ["python3", "-c", "import numpy as n; a = n.load('\(p)'); print(a.dtype, a.shape, int(a.sum()))"]
        let pipe = Pipe()
        proc.standardOutput = pipe
        try proc.run()
        proc.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "int32 (2, 3) 15")
    }
}
