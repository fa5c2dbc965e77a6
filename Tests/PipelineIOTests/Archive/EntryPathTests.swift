import Testing
@testable import PipelineIO

@Suite struct EntryPathTests {
    /// The byte-scan fast path agrees with the component normalisation on every path of up to
    /// six characters over `a`, `.` and `/` (1,092 paths: every mix of empty, `.`, `..` and
    /// leading/trailing slashes).
    @Test func fastPathAgreesWithComponentNormalisationExhaustively() {
        var paths = [""]
        var frontier = [""]
        for _ in 0..<6 {
            frontier = frontier.flatMap { p in ["a", ".", "/"].map { p + $0 } }
            paths += frontier
        }
        #expect(paths.count == 1_093)
        for p in paths {
            #expect(EntryPath.normalize(p) == EntryPath.normalizeComponents(p), "\(p)")
            if EntryPath.isNormal(p) { #expect(EntryPath.normalizeComponents(p) == p, "\(p) is not normal") }
        }
        #expect(EntryPath.normalize("./aclImdb//train/pos/1_2.txt") == "aclImdb/train/pos/1_2.txt")
        #expect(EntryPath.isNormal("aclImdb/train/pos/1_2.txt"))
    }
}
