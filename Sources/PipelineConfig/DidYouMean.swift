/// Suggestions for misspelt keys and values: the closest known names by edit distance.
///
/// `DidYouMean.suggest("epocs", in: ["epochs", "batch_size"])` → `"epochs"`.
/// A candidate is offered only when it is within a third of the word's length (at least 2 edits).
public enum DidYouMean {
    public static func suggest(_ word: String, in candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        var best: (String, Int)?
        for c in candidates {
            let d = distance(word.lowercased(), c.lowercased())
            if d <= limit, best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }

    /// Levenshtein distance over Unicode scalars.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }

    /// `" (did you mean 'epochs'?)"` or `""`.
    public static func hint(_ word: String, in candidates: [String]) -> String? {
        suggest(word, in: candidates).map { "did you mean '\($0)'?" }
    }
}
