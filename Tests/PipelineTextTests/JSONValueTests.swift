import PipelineCore
import Testing
@testable import PipelineText

@Suite struct JSONValueTests {
    @Test func parsesAndEscapes() throws {
        let v = try JSONValue.parse(Array(#"{"a": [1, -2.5e3, true, null], "s": "x\"\\\n\u00e9\ud83d\ude00", "o": {}}"#.utf8))
        #expect(v["a"]?.array == [.number("1"), .number("-2.5e3"), .bool(true), .null])
        #expect(v["s"]?.string == "x\"\\\né😀")
        #expect(v["o"] == .object([:]))
        var out: [UInt8] = []
        JSONString.append("q\"b\\n\n\u{1}", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #""q\"b\\n\n\u0001""#)
        #expect(try JSONValue.parse(out).string == "q\"b\\n\n\u{1}")
    }

    @Test func errorsGiveTheOffset() {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array("[1, 2".utf8)) }
        do { _ = try JSONValue.parse(Array("{} x".utf8)) } catch { #expect("\(error)".contains("byte 3")) }
    }
}
