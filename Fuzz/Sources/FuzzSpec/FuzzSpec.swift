import CLibFuzzer
import FuzzSupport
import PipelineSpec

/// The executable's entry point: libFuzzer's driver on `one`.
@_cdecl("FuzzSpec_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, one)
}

/// libFuzzer's callback symbol (its driver refers to it by name).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { one(data, size) }

/// The YAML spec decoder (Yams + the strict spec layer + the static shape check) on arbitrary
/// text; a spec that parses must also print (`describe`) and parse back.
func one(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: data == nil ? 0 : size), as: UTF8.self)
    guard let spec = try? PipelineSpec.parse(text, file: "fuzz.yaml") else { return 0 }
    do {
        _ = try PipelineSpec.parse(spec.yaml, file: "fuzz-describe.yaml")
    } catch {
        preconditionFailure("describe output does not parse back: \(error)\n--- input\n\(text)\n--- describe\n\(spec.yaml)")
    }
    return 0
}
