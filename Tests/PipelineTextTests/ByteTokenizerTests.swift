import Testing
@testable import PipelineText

@Suite struct ByteTokenizerTests {
    func words(_ s: TextStandardization, _ bytes: [UInt8]) -> [[UInt8]] {
        var t = ByteTokenizer(s)
        var out: [[UInt8]] = []
        bytes.withUnsafeBufferPointer { b in t.forEachToken(in: b) { out.append(Array($0)) } }
        return out
    }

    @Test func invalidUTF8IsCopied() {
        #expect(words(.init(lowercase: .utf8), [0x41, 0xC3, 0x20, 0xFF, 0xC3]) == [[0x61, 0xC3], [0xFF, 0xC3]])
    }

    @Test func brAtTheEdges() {
        let s = TextStandardization(standardize: .none)
        #expect(words(s, Array("<br />".utf8)).isEmpty)
        #expect(words(s, Array("<br /".utf8)) == [Array("<br".utf8), Array("/".utf8)])
        #expect(words(s, Array("x<br /><br />y<br".utf8)) == [Array("x".utf8), Array("y<br".utf8)])
    }

    @Test func scratchGrowsAcrossCalls() {
        var t = ByteTokenizer(TextStandardization(maxTokenBytes: 1 << 20))   // no word is cut here
        var n = 0
        for len in [3, 100_000, 10] {
            let s = [UInt8](repeating: 0x41, count: len)
            s.withUnsafeBufferPointer { b in t.forEachToken(in: b) { n += $0.count; #expect($0.allSatisfy { $0 == 0x61 }) } }
        }
        #expect(n == 100_013)
    }
}
