import Testing
@testable import PipelineText

@Suite struct UnicodeLowercaseTests {
    static func claimed(_ c: UInt32) -> Bool {
        (0xC0...0x17F).contains(c) || (0x386...0x3AB).contains(c) || (0x400...0x42F).contains(c)
    }

    /// tf.strings.lower(x, encoding="utf-8") on U+0080..U+04FF (scripts/goldens/text_vectorization.py):
    /// equal on the ranges we claim, identity elsewhere.
    @Test func matchesTensorFlowOnClaimedRanges() throws {
        let g = try TestSupport.golden("text_vectorization.json")
        let table = g["lower_utf8"] as! [String: [Int]]
        let std = TextStandardization(standardize: .lower, lowercase: .utf8)
        var checked = 0
        for c in UInt32(0x80)..<0x500 where !(0xD800..<0xE000).contains(c) {
            let s = String(Unicode.Scalar(c)!)
            let tf = table[String(c)].map { String(String.UnicodeScalarView($0.map { Unicode.Scalar(UInt32($0))! })) } ?? s
            if Self.claimed(c) {
                #expect(std.tokens(s) == [tf], "U+\(String(c, radix: 16))")
                checked += tf != s ? 1 : 0
            } else {
                #expect(UnicodeLowercase.map(c) == c, "U+\(String(c, radix: 16)) is outside the claimed ranges")
            }
        }
        #expect(checked > 150)
    }
}
