import PipelineCore
import Testing
@testable import PipelineIO

@Suite struct GlobPatternTests {
    @Test(arguments: [
        ("*.txt", "a.txt", true), ("*.txt", "dir/a.txt", false), ("*.txt", ".txt", true),
        ("a?c", "abc", true), ("a?c", "a/c", false), ("a?c", "ac", false),
        ("**", "a/b/c", true), ("**/x", "x", true), ("**/x", "a/b/x", true), ("**/x", "ax", false),
        ("a/**", "a/b/c.txt", true), ("a/**", "b/a/c", false),
        ("**/unsup/**", "aclImdb/train/unsup/1_0.txt", true), ("**/unsup/**", "aclImdb/train/unsupervised/1", false),
        ("**/unsup/**", "unsup/1_0.txt", true),
        ("aclImdb/train/{pos,neg}/*.txt", "aclImdb/train/pos/0_9.txt", true),
        ("aclImdb/train/{pos,neg}/*.txt", "aclImdb/train/neg/12_1.txt", true),
        ("aclImdb/train/{pos,neg}/*.txt", "aclImdb/train/unsup/0_0.txt", false),
        ("aclImdb/train/{pos,neg}/*.txt", "aclImdb/train/pos/sub/0_9.txt", false),
        ("{a,b{c,d}}/x", "bd/x", true), ("{a,b{c,d}}/x", "b/x", false), ("{,pre}fix", "fix", true),
        ("a/**/b", "a/b", true), ("a/**/b", "a/x/y/b", true), ("a**b", "a/x/b", true),
        ("\\*", "*", true), ("\\*", "a", false), ("data.csv", "data.csv", true), ("data.csv", "data.csvx", false),
    ])
    func matching(pattern: String, path: String, expected: Bool) throws {
        #expect(try GlobPattern(pattern).matches(path) == expected, "\(pattern) vs \(path)")
    }

    @Test func unbalancedBracesAreInputErrors() {
        for bad in ["{a,b", "a}", "{{a}"] {
            let error = #expect(throws: InputError.self) { try GlobPattern(bad) }
            #expect(error?.value == bad)
        }
    }

    @Test func explosiveAlternativesAreRefused() {
        let p = String(repeating: "{a,b,c}", count: 8)   // 3^8 = 6561 alternatives
        #expect(throws: InputError.self) { try GlobPattern(p) }
    }

    @Test func longPathsStayFast() throws {
        let g = try GlobPattern("**/*a*b*c*d*e*/**")
        let path = String(repeating: "x/", count: 200) + "nothing"
        #expect(!g.matches(path))
    }
}
