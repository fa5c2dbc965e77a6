import Testing
import PipelineCore

@Suite struct JSONStringTests {
    /// The escapes RFC 8259 requires and nothing else; `quote` and `append` give the same bytes.
    @Test func escapesQuoteBackslashAndControlsOnly() {
        let text = "a\"b\\c\nd\re\tf\u{0}\u{1f}\u{7f}é€😀/"
        let expected = #""a\"b\\c\nd\re\tf\u0000\u001f"# + "\u{7f}é€😀/\""
        #expect(JSONString.quote(text) == expected)
        var bytes: [UInt8] = [0x2C]
        JSONString.append(text, to: &bytes)
        #expect(bytes == [0x2C] + Array(expected.utf8))
    }
}
