import CLibFuzzer
import FuzzSupport
import PipelineCore
import PipelineIO

/// The executable's entry point: libFuzzer's driver on `one`.
@_cdecl("FuzzArchive_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, one)
}

/// libFuzzer's callback symbol (its driver refers to it by name).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { one(data, size) }

/// The archive entry reader (libarchive fed from an async byte stream: tar, tar.gz, zip, …) on
/// arbitrary bytes, with small limits so bombs are cut short, and the gunzip stage alone.
func one(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let chunks = fuzzChunks(fuzzBytes(data, size))
    let limits = ArchiveLimits(maxEntryBytes: 1 << 20, maxTotalBytes: 4 << 20, maxCompressionRatio: 100, ratioGraceBytes: 64 << 10)
    let filter = try! EntryFilter(include: ["**/*.txt", "*"], exclude: ["**/unsup/**"])
    runBlocking {
        var total = 0
        for try await entry in ChunkSequence(chunks).archiveEntries(source: "fuzz.tar", filter: filter, limits: limits, onEmpty: .finish) {
            precondition(!entry.path.hasPrefix("/") && !entry.path.split(separator: "/").contains(".."), "unsafe path \(entry.path)")
            total += entry.size
        }
        precondition(total <= 4 << 20, "total limit crossed")
    }
    runBlocking {
        var total = 0
        for try await chunk in ChunkSequence(chunks).gunzipped(source: "fuzz.gz") {
            total += chunk.count
            if total > 8 << 20 { break }
        }
    }
    return 0
}
