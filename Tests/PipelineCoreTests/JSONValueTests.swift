import Foundation
import PipelineCore
import Testing

@Suite struct JSONValueTests {
    @Test func parsesAndEscapes() throws {
        let v = try JSONValue.parse(Array(#"{"a": [1, -2.5e3, true, null], "s": "x\"\\\n\u00e9\ud83d\ude00\/", "o": {}}"#.utf8))
        #expect(v["a"]?.array == [.number("1"), .number("-2.5e3"), .bool(true), .null])
        #expect(v["s"]?.string == "x\"\\\né😀/")
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

    /// Text written with sorted keys and `, `/`: ` separators comes back byte for byte: numbers keep
    /// their text (a 64-bit integer, an exponent, `2.0`), strings their escapes.
    @Test func roundTripIsByteExact() throws {
        let text = #"{"a": [1, -0.0, 2.0, 1e-05, 1.5E+300, 9223372036854775807], "b": {"c": null, "d": false}, "s": "tab\there \"q\" \\ \u0001 é"}"#
        let v = try JSONValue.parse(Array(text.utf8))
        #expect(v.text == text)
        #expect(v["a"]?.array?.last?.int == Int.max)
        #expect(try JSONValue.parse(Array(v.text.utf8)) == v)
    }

    /// The constructors render as `run.json`, `history.json` and `--json` always have.
    @Test func constructorsRenderAsTheRunFiles() {
        #expect(JSONValue.int(-12).text == "-12")
        #expect(JSONValue.number(2).text == "2.0")
        #expect(JSONValue.number(0.6931471805599453).text == "0.6931471805599453")
        #expect(JSONValue.number(1e-5).text == "1e-05")
        #expect(JSONValue.number(1e20).text == "1e+20")
        #expect(JSONValue.number(.nan) == .null)
        #expect(JSONValue.number(-.infinity).text == "null")
        let o = JSONValue.object(["z": .int(1), "a": .array([.string("x\ny"), .bool(true)]), "m": .number(0.5)])
        #expect(o.text == #"{"a": ["x\ny", true], "m": 0.5, "z": 1}"#)
        #expect(JSONValue.int(3).isIntegerNumber && !JSONValue.number(3).isIntegerNumber)
        #expect(JSONValue.number(0.25).double == 0.25 && JSONValue.int(7).int == 7)
    }

    /// RFC 8259's grammar: what Foundation's parser (the run side's former reader) refuses is
    /// refused here too, and a trailing comma (which Linux Foundation lets through) as well.
    @Test func strictGrammar() {
        for bad in ["01", "1.", "-", ".5", "1e", "+1", "\"a\u{1}b\"", #""\x""#, "[1,]", "{\"a\" 1}", "nul", "[1] 2"] {
            #expect(throws: JSONValue.ParseError.self, "\(bad)") { try JSONValue.parse(Array(bad.utf8)) }
            if bad != "[1,]" {
                #expect((try? JSONSerialization.jsonObject(with: Data(bad.utf8), options: [.fragmentsAllowed])) == nil, "\(bad)")
            }
        }
    }

    /// A hostile file of nested brackets is an error, not a stack overflow.
    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: 100_000)
        do { _ = try JSONValue.parse(Array(deep.utf8)); Issue.record("parsed") } catch {
            #expect("\(error)".contains("nested deeper than \(JSONValue.maxDepth)"))
        }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONValue.parse(Array(ok.utf8))) != nil)
    }
}
