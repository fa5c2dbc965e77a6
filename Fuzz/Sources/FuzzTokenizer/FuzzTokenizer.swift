import CLibFuzzer
import FuzzSupport
import PipelineText

/// The executable's entry point: libFuzzer's driver on `one`.
@_cdecl("FuzzTokenizer_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, one)
}

/// libFuzzer's callback symbol (its driver refers to it by name).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { one(data, size) }

/// The text standardiser and tokenizer: the byte-level fast path on raw (possibly invalid
/// UTF-8) bytes under every setting, and, on ASCII input, a differential check against the
/// String-level `TextStandardization.tokens` that defines the semantics.
func one(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let settings: [TextStandardization] = [
        TextStandardization(), TextStandardization(standardize: .none), TextStandardization(lowercase: .utf8),
        TextStandardization(html: .keep),
    ]
    for s in settings {
        var tokenizer = ByteTokenizer(s)
        var fast: [String] = []
        bytes.withUnsafeBufferPointer { b in
            tokenizer.forEachToken(in: b) { word in
                precondition(!word.isEmpty, "empty token")
                fast.append(String(decoding: word, as: UTF8.self))
            }
        }
        if bytes.allSatisfy({ $0 < 0x80 }) {
            let slow = s.tokens(String(decoding: bytes, as: UTF8.self))
            precondition(slow == fast, "byte tokenizer \(fast) != tokens() \(slow) for \(bytes)")
        }
    }
    return 0
}
