#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PipelineCore
import Crypto
import Logging

/// The safetensors format (Hugging Face), float32 only: what ``ModelStore`` writes and reads.
///
/// Layout: an 8-byte little-endian header length `N`, `N` bytes of JSON
/// `{"__metadata__": {string: string}, name: {"dtype": "F32", "shape": […], "data_offsets": [begin, end]}, …}`
/// padded with spaces to a multiple of 8, then the raw little-endian data; offsets are relative
/// to the data start, tensors are stored back to back in the order given. Python reads it with
/// `safetensors.numpy.load_file` or a dozen lines of numpy (see `ModelStoreTests`).
///
/// Integrity: `encode` stores the SHA-256 of the data section (every tensor's bytes, in file
/// order) as `__metadata__.weights_sha256`; `decode` recomputes it and refuses a file whose bytes
/// were altered or cut, then refuses any non-finite value (NaN, ±inf), naming the tensor and the
/// first bad index. A file without the key (written before it existed) is read with a warning on
/// standard error. The key is not returned among the metadata.
/// Cost: one copy of every tensor and one SHA-256 pass (≈ 1 GB/s). `decode` throws ``IOFailure``
/// naming the path for a truncated file, a bad header, a dtype other than F32, offsets out of
/// range, a checksum mismatch or a non-finite value.
public enum Safetensors {
    /// The `__metadata__` key holding the hex SHA-256 of the data section.
    public static let checksumKey = "weights_sha256"

    public static func encode(_ tensors: [(name: String, tensor: Tensor)], metadata inputMetadata: [String: String] = [:]) -> [UInt8] {
        var hasher = SHA256()
        for (_, t) in tensors { t.data.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
        var metadata = inputMetadata
        metadata[checksumKey] = hasher.finalize().hex   // = checksum(of: the data section)
        var header = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            parts.append("\"__metadata__\":{" + metadata.sorted { $0.key < $1.key }
                .map { "\(jsonString($0.key)):\(jsonString($0.value))" }.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, t) in tensors {
            let end = offset + t.count * 4
            parts.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        header += parts.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out += $0 }
        out += headerBytes
        for (_, t) in tensors { t.data.withUnsafeBytes { out += $0 } }
        return out
    }

    /// A file without a recorded checksum (written by an earlier version) is read, with a
    /// `warning` on `logger` (label `pipeline.training`) saying its integrity cannot be checked.
    public static func decode(_ bytes: [UInt8], path: String,
                              logger: Logger = Logger(label: "pipeline.training")) throws -> (tensors: [(name: String, tensor: Tensor)], metadata: [String: String]) {
        guard bytes.count >= 8 else { throw IOFailure("not a safetensors file (shorter than 8 bytes)", path: path) }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(bytes.count - 8) else {
            throw IOFailure("truncated safetensors file: header of \(n) bytes in a \(bytes.count)-byte file", path: path)
        }
        let headerEnd = 8 + Int(n)
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(bytes[8..<headerEnd])) } catch {
            throw IOFailure("bad safetensors header: \(error)", path: path)
        }
        let dataCount = bytes.count - headerEnd
        var metadata = header.metadata
        if let stored = metadata.removeValue(forKey: checksumKey) {
            let actual = bytes.withUnsafeBytes { checksum(of: UnsafeRawBufferPointer(rebasing: $0[headerEnd...])) }
            guard actual == stored.lowercased() else {
                throw IOFailure("weights checksum mismatch: the file was altered or corrupted (SHA-256 \(actual), recorded \(stored))",
                                path: path, hint: "use an intact copy, or rerun the training that wrote it")
            }
        } else {
            logger.warning("\(path): no weights checksum (written by an earlier version); its integrity cannot be checked")
        }
        var tensors: [(name: String, tensor: Tensor)] = []
        for (name, e) in header.entries.sorted(by: { $0.value.data_offsets.first ?? 0 < $1.value.data_offsets.first ?? 0 }) {
            guard e.dtype == "F32" else { throw IOFailure("tensor '\(name)' has dtype \(e.dtype); only F32 is supported", path: path) }
            let count = e.shape.reduce(1, *)
            guard e.data_offsets.count == 2, e.data_offsets[0] >= 0, e.data_offsets[1] <= dataCount,
                  e.data_offsets[1] - e.data_offsets[0] == count * 4 else {
                throw IOFailure("tensor '\(name)': offsets \(e.data_offsets) do not fit shape \(e.shape) in \(dataCount) data bytes", path: path)
            }
            var values = [Float](repeating: 0, count: count)
            values.withUnsafeMutableBytes { dst in
                bytes.withUnsafeBytes { src in
                    dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[(headerEnd + e.data_offsets[0])..<(headerEnd + e.data_offsets[1])]))
                }
            }
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw IOFailure("tensor '\(name)' holds a non-finite value (\(values[bad])) at index \(bad) \(coordinates(bad, shape: e.shape)); "
                                + "these weights cannot give meaningful output", path: path,
                                hint: "the run that wrote it diverged, or the file was edited; use another checkpoint or retrain")
            }
            tensors.append((name, Tensor(shape: e.shape, data: values)))
        }
        return (tensors, metadata)
    }

    /// `[i, j, …]` of the flat index `flat` in a row-major tensor of `shape`.
    static func coordinates(_ flat: Int, shape: [Int]) -> String {
        var rest = flat
        var out = [Int](repeating: 0, count: shape.count)
        for (k, d) in shape.enumerated().reversed() where d > 0 { out[k] = rest % d; rest /= d }
        return "[" + out.map(String.init).joined(separator: ", ") + "]"
    }

    /// The hex SHA-256 of a data section, as stored under ``checksumKey``.
    static func checksum(of data: UnsafeRawBufferPointer) -> String { SHA256.hash(data: data).hex }

    struct Entry: Decodable { var dtype: String; var shape: [Int]; var data_offsets: [Int] }

    struct Header: Decodable {
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        struct Key: CodingKey {
            var stringValue: String; var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            for key in c.allKeys {
                if key.stringValue == "__metadata__" { metadata = try c.decode([String: String].self, forKey: key) }
                else { entries[key.stringValue] = try c.decode(Entry.self, forKey: key) }
            }
        }
    }

    /// A JSON string literal with the escapes JSON requires.
    static func jsonString(_ s: String) -> String { JSONString.quote(s) }

    /// The whole file, or ``IOFailure`` naming the path.
    static func readFile(_ path: String) throws -> [UInt8] {
        guard let fp = fopen(path, "rb") else {
            throw IOFailure("cannot open: \(String(cString: strerror(errno)))", path: path, hint: "check the checkpoint path")
        }
        defer { fclose(fp) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = fread(&chunk, 1, chunk.count, fp)
            if n > 0 { out += chunk[0..<n] }
            if n < chunk.count { break }
        }
        if ferror(fp) != 0 { throw IOFailure("read failed", path: path) }
        return out
    }
}
