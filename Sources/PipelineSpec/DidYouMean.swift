import PipelineCore

/// Suggestions for misspelt keys and values: the closest known names by edit distance
/// (``EditDistance/levenshtein(_:_:)``, case-insensitive).
///
/// `DidYouMean.suggest("epocs", in: ["epochs", "batch_size"])` → `"epochs"`.
/// A candidate is offered only when it is within a third of the word's length (at least 2 edits).
public enum DidYouMean {
    public static func suggest(_ word: String, in candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        var best: (String, Int)?
        for c in candidates {
            let d = EditDistance.levenshtein(word.lowercased(), c.lowercased())
            if d <= limit, best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }

    /// `" (did you mean 'epochs'?)"` or `""`.
    public static func hint(_ word: String, in candidates: [String]) -> String? {
        suggest(word, in: candidates).map { "did you mean '\($0)'?" }
    }
}
