import Foundation
import Testing
import PipelineCore
@testable import PipelineTraining

/// Weights files carry a SHA-256 of their data; an altered byte or a non-finite value is refused
/// on load, naming the file (and the tensor and index), instead of predicting NaN (issue 13, item 3).
@Suite struct ModelStoreIntegrityTests {
    /// A saved model's file split into its header JSON and its data section.
    struct Parts {
        var header: String
        var data: [UInt8]
        init(_ bytes: [UInt8]) {
            var n = 0
            for i in 0..<8 { n |= Int(bytes[i]) << (8 * i) }
            header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self)
            data = Array(bytes[(8 + n)...])
        }
        var bytes: [UInt8] {
            var h = Array(header.utf8)
            while h.count % 8 != 0 { h.append(0x20) }
            var out: [UInt8] = []
            withUnsafeBytes(of: UInt64(h.count).littleEndian) { out += $0 }
            return out + h + data
        }
        /// Replaces the stored checksum by the SHA-256 of the current data (same length).
        mutating func resign() {
            let hex = data.withUnsafeBytes { Safetensors.checksum(of: $0) }
            let r = header.range(of: #""weights_sha256":""#)!
            let start = r.upperBound, end = header.index(start, offsetBy: 64)
            header.replaceSubrange(start..<end, with: hex)
        }
        /// The byte range of tensor `name` in `data`.
        func range(of name: String) throws -> Range<Int> {
            let json = try JSONSerialization.jsonObject(with: Data(header.utf8)) as! [String: Any]
            let offsets = (json[name] as! [String: Any])["data_offsets"] as! [Int]
            return offsets[0]..<offsets[1]
        }
    }

    static func savedModel() throws -> (dir: String, path: String, model: Sequential) {
        let dir = try ModelStoreTests.tempDir()
        let model = try ModelStoreTests.convModel(seed: 5)
        try ModelStore.save(model, to: dir + "/model.safetensors")
        return (dir, dir + "/model.safetensors", model)
    }

    static func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path)!) }
    static func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    @Test func aSavedFileCarriesTheChecksumAndLoads() throws {
        let (dir, path, model) = try Self.savedModel(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let parts = Parts(Self.bytes(path))
        let hex = parts.data.withUnsafeBytes { Safetensors.checksum(of: $0) }
        #expect(parts.header.contains(#""weights_sha256":"\#(hex)""#))
        let twin = try ModelStoreTests.convModel(seed: 9)
        try ModelStore.restore(twin, from: path)
        #expect(twin.weights() == model.weights())
    }

    @Test func oneAlteredByteIsAChecksumError() throws {
        let (dir, path, model) = try Self.savedModel(); defer { try? FileManager.default.removeItem(atPath: dir) }
        var parts = Parts(Self.bytes(path))
        parts.data[parts.data.count / 2] ^= 0x01      // a mantissa bit: still a finite number
        try Self.write(parts.bytes, path)
        do {
            try ModelStore.restore(model, from: path)
            Issue.record("an altered weights file was loaded")
        } catch let e as IOFailure {
            #expect(e.path == path)
            #expect(e.message.contains("weights checksum mismatch: the file was altered or corrupted"), "\(e)")
        }
    }

    @Test func nonFiniteWeightsAreRefusedEvenWithAValidChecksum() throws {
        let (dir, path, model) = try Self.savedModel(); defer { try? FileManager.default.removeItem(atPath: dir) }
        for (value, shown) in [(Float.nan, "nan"), (-Float.infinity, "-inf")] {
            var parts = Parts(Self.bytes(path))
            let r = try parts.range(of: "dense/kernel")
            let index = 3
            withUnsafeBytes(of: value.bitPattern.littleEndian) { b in
                for i in 0..<4 { parts.data[r.lowerBound + 4 * index + i] = b[i] }
            }
            parts.resign()
            try Self.write(parts.bytes, dir + "/bad.safetensors")
            do {
                try ModelStore.restore(model, from: dir + "/bad.safetensors")
                Issue.record("non-finite weights were loaded")
            } catch let e as IOFailure {
                #expect(e.message.contains("tensor 'dense/kernel'") && e.message.contains("non-finite value (\(shown)) at index 3"), "\(e)")
            }
        }
    }

    @Test func aFileWithoutChecksumStillLoads() throws {
        let (dir, path, model) = try Self.savedModel(); defer { try? FileManager.default.removeItem(atPath: dir) }
        var parts = Parts(Self.bytes(path))
        // An earlier version's file: the same header without the key (blanked, so offsets stay).
        let r = parts.header.range(of: #","weights_sha256":"[0-9a-f]{64}""#, options: .regularExpression)!
        parts.header.replaceSubrange(r, with: String(repeating: " ", count: parts.header.distance(from: r.lowerBound, to: r.upperBound)))
        try Self.write(parts.bytes, path)
        let twin = try ModelStoreTests.convModel(seed: 9)
        let (metadata, _) = try ModelStore.restore(twin, from: path)
        #expect(twin.weights() == model.weights())
        #expect(metadata[Safetensors.checksumKey] == nil && metadata["format"] != nil)
    }

    @Test func theBadIndexIsNamedByCoordinates() {
        #expect(Safetensors.coordinates(7, shape: [3, 4]) == "[1, 3]")
        #expect(Safetensors.coordinates(0, shape: [2]) == "[0]")
    }
}
