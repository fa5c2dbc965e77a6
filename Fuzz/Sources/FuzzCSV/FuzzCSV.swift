import CLibFuzzer
import FuzzSupport
import PipelineCore
import PipelineIO

/// The executable's entry point: libFuzzer's driver on `one`.
@_cdecl("FuzzCSV_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, one)
}

/// libFuzzer's callback symbol (its driver refers to it by name).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { one(data, size) }

/// The streaming CSV reader on arbitrary bytes, under the Jena layout (timestamp column) and
/// a plain layout, with each missing-value policy, cut into chunks at fuzzed positions.
func one(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let selector = bytes.last ?? 0
    var options = selector & 1 == 0 ? CSVReadOptions.jena(source: "fuzz.csv") : CSVReadOptions(source: "fuzz.csv")
    let policies = MissingValuePolicy.allCases
    options.missing = policies[Int(selector >> 1) % policies.count]
    if selector & 0x40 != 0 { options.delimiter = UInt8(ascii: ";") }
    options.chunkRows = 1 + Int(selector >> 4) % 5
    let chunks = fuzzChunks(bytes), settings = options
    runBlocking {
        for try await chunk in ChunkSequence(chunks).csvTable(settings) {
            precondition(chunk.values.count == chunk.rowCount * chunk.columns.count, "chunk shape")
        }
    }
    return 0
}
