/// Deterministic train/validation splits.
///
/// Two rules, both reproducible without any random state:
/// - ``lastFraction(count:fraction:)``: Keras' `validation_split`: the **last** `fraction` of the
///   samples, taken before any shuffling, is the validation set. Keras computes
///   `split_at = int(count * (1 - fraction))`; so do we.
/// - ``byHash(key:fraction:salt:)``: an element goes to validation when the stable hash of its key
///   falls in the lowest `fraction` of the hash space: membership never changes when the data
///   grows or is reordered, so a record stays on its side across runs.
public enum Split {
    /// The index ranges `(train, validation)` of Keras' `validation_split`.
    ///
    /// `lastFraction(count: 25_000, fraction: 0.2)` → `(0..<20_000, 20_000..<25_000)`.
    /// Fails (precondition) unless `0 < fraction < 1`: validate user input before calling.
    public static func lastFraction(count: Int, fraction: Double) -> (train: Range<Int>, validation: Range<Int>) {
        precondition(fraction > 0 && fraction < 1, "validation fraction must be in (0, 1)")
        let splitAt = Int(Double(count) * (1 - fraction))
        return (0..<splitAt, splitAt..<count)
    }

    /// True when `key` falls in the validation side for `fraction` of the hash space.
    public static func byHash(key: String, fraction: Double, salt: String = "") -> Bool {
        let h = SeededRandom.stableHash(salt + "\u{1F}" + key)
        // Mix the FNV result so nearby keys spread evenly.
        var z = h
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / 9_007_199_254_740_992.0 < fraction
    }
}

/// Which side of a split a stage keeps.
public enum SplitSide: String, Sendable, Codable, CaseIterable {
    case train, validation
}

extension AsyncSequence {
    /// Keeps the elements on one side of a hash split of their key. See ``Split/byHash(key:fraction:salt:)``.
    ///
    /// ```swift
    /// let validation = reviews.splitByHash(.validation, fraction: 0.2) { $0.id }
    /// ```
    public func splitByHash(_ side: SplitSide, fraction: Double, salt: String = "",
                            key: @escaping @Sendable (Element) -> String) -> AsyncFilterSequence<Self> {
        precondition(fraction >= 0 && fraction <= 1, "fraction must be in [0, 1]")
        return filter { Split.byHash(key: key($0), fraction: fraction, salt: salt) == (side == .validation) }
    }
}
