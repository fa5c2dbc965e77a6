import Testing
import PipelineCore
@testable import PipelineRun

/// `--json`: one object on one line, keys sorted, strings escaped, numbers as JSON numbers.
@Suite struct JSONOutputTests {
    @Test func oneSortedLine() throws {
        let text = JSONOutput.object(["b": .int(2), "a": .string("x\ny"), "c": .array([.number(0.5), .null])])
        #expect(text == #"{"a": "x\ny", "b": 2, "c": [0.5, null]}"#)
        #expect(!text.contains("\n"))
        #expect(try JSONValue.parse(Array(text.utf8))["a"]?.string == "x\ny")
    }
}
