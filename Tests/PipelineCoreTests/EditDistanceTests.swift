import Testing
import PipelineCore

@Suite struct EditDistanceTests {
    @Test(arguments: [
        ("kitten", "sitting", 3), ("", "", 0), ("", "abc", 3), ("abc", "", 3), ("abc", "abc", 0),
        ("epocs", "epochs", 1), ("Date", "date", 1), ("µm", "um", 1), ("flaw", "lawn", 2),
    ])
    func levenshtein(a: String, b: String, expected: Int) {
        #expect(EditDistance.levenshtein(a, b) == expected)
        #expect(EditDistance.levenshtein(b, a) == expected)
    }
}
