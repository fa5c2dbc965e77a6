import Foundation
import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct ModelStoreSafetensorsTests {
    @Test func encodeDecodeRoundTripWithAlignedHeader() throws {
        let a = GradientCheck.random([3, 2], seed: 1), b = GradientCheck.random([4], seed: 2)
        let bytes = Safetensors.encode([("w/a", a), ("b\"q", b)], metadata: ["k": "v"])
        var n = 0
        for i in 0..<8 { n |= Int(bytes[i]) << (8 * i) }
        #expect(n % 8 == 0 && bytes.count == 8 + n + 40)
        let (tensors, metadata) = try Safetensors.decode(bytes, path: "mem")
        #expect(tensors.map(\.name) == ["w/a", "b\"q"] && tensors[0].tensor == a && tensors[1].tensor == b)
        #expect(metadata == ["k": "v"])
        #expect(throws: IOFailure.self) { try Safetensors.decode(Array(bytes.prefix(20)), path: "mem") }
    }

    /// Runs `python3` from PATH (the one with numpy) and returns its exit status and output.
    static func python(_ arguments: [String]) throws -> (status: Int32, output: Data) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, output)
    }

    static let hasNumpy: Bool = (try? python(["-c", "import numpy"]).status) == 0

    @Test(.enabled(if: hasNumpy, "needs python3 with numpy"))
    func pythonReadsTheFileWithNumpyOnly() throws {
        let dir = try ModelStoreTests.tempDir(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try ModelStoreTests.convModel(seed: 3)
        let (x, y) = ToyData.make(samples: 8, seed: 1)
        _ = try model.trainStep(Batch(x: x, xShape: [8, 10], y: y, yShape: [8, 1]))    // optimizer slots exist
        try ModelStore.save(model, to: dir + "/model.safetensors")
        let script = """
        import json, struct, sys
        import numpy as np
        raw = open(sys.argv[1], "rb").read()
        (n,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8:8 + n])
        meta = header.pop("__metadata__")
        data = raw[8 + n:]
        out = {}
        for name, e in header.items():
            assert e["dtype"] == "F32"
            a, b = e["data_offsets"]
            t = np.frombuffer(data[a:b], dtype="<f4").reshape(e["shape"])
            out[name] = [list(t.shape), float(t.astype(np.float64).sum())]
        out["__layers__"] = [l["class_name"] for l in json.loads(meta["model_config"])["config"]["layers"]]
        print(json.dumps(out))
        """
        let (status, output) = try Self.python(["-c", script, dir + "/model.safetensors"])
        #expect(status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        for param in model.parameters {
            let entry = try #require(json[param.name] as? [Any], "python did not see \(param.name)")
            #expect(entry[0] as? [Int] == param.value.shape)
            let sum = param.value.data.reduce(0.0) { $0 + Double($1) }
            #expect(abs((entry[1] as! Double) - sum) < 1e-9 * max(1, abs(sum)))
        }
        #expect(json["optimizer/velocity/dense/kernel"] != nil)
        // model_config is Keras 3's Sequential config, which starts with its InputLayer.
        #expect(json["__layers__"] as? [String] == ["InputLayer", "Embedding", "Conv1D", "MaxPooling1D", "GlobalMaxPooling1D", "Dropout", "Dense"])
    }
}
