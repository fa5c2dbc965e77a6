import Logging
import PipelineCore
import Testing
@testable import PipelineTraining

/// The "no weights checksum" warning goes through swift-log, so a library user can redirect or
/// silence it; before, it was written to standard error with no way around it.
@Suite struct SafetensorsLoggingTests {
    /// A swift-log handler that keeps every message with its level.
    struct Capture: LogHandler {
        let entries: Locked<[(level: Logger.Level, message: String)]>
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?,
                 source: String, file: String, function: String, line: UInt) {
            entries.withLock { $0.append((level, message.description)) }
        }
    }

    /// A file as an earlier version wrote it: one tensor, no `weights_sha256` in the metadata.
    static func fileWithoutChecksum() -> [UInt8] {
        var header = Array(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#.utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var out: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out += $0 }
        out += header
        for v: Float in [1.5, -2] { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        return out
    }

    @Test func missingChecksumWarningReachesTheInjectedLogger() throws {
        let entries = Locked<[(level: Logger.Level, message: String)]>([])
        let logger = Logger(label: "test.training") { _ in Capture(entries: entries) }
        let (tensors, _) = try Safetensors.decode(Self.fileWithoutChecksum(), path: "old/model.safetensors", logger: logger)
        #expect(tensors.count == 1 && tensors[0].name == "w")
        let got = entries.withLock { $0 }
        #expect(got.count == 1, "\(got)")
        #expect(got.first?.level == .warning)
        #expect(got.first?.message == "old/model.safetensors: no weights checksum (written by an earlier version); its integrity cannot be checked")
    }

    @Test func aFileWithItsChecksumLogsNothing() throws {
        let entries = Locked<[(level: Logger.Level, message: String)]>([])
        let logger = Logger(label: "test.training") { _ in Capture(entries: entries) }
        let bytes = Safetensors.encode([(name: "w", tensor: Tensor(shape: [2], data: [1.5, -2]))])
        _ = try Safetensors.decode(bytes, path: "new/model.safetensors", logger: logger)
        #expect(entries.withLock { $0 }.isEmpty)
    }
}
