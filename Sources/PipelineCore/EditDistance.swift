/// Edit distance between names, for "did you mean" hints (spec keys and values, CSV columns).
///
/// ```swift
/// EditDistance.levenshtein("kitten", "sitting")   // 3
/// EditDistance.levenshtein("epocs", "epochs")     // 1
/// ```
/// Semantics: Levenshtein distance (insertions, deletions and substitutions each cost 1) over
/// Unicode scalars, case-sensitive (callers lowercase both sides for a case-insensitive match).
/// Cost: O(|a|·|b|) time, two rows of |b|+1 integers; meant for names, not documents.
public enum EditDistance {
    public static func levenshtein(_ a: some StringProtocol, _ b: some StringProtocol) -> Int {
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
}
