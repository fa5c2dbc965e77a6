/// Row ranges of the train, validation and test generators, as the book's `min_index` and
/// `max_index` (`maxIndex == nil`: up to the end, `N - delay - 1`).
///
/// ```swift
/// WindowRanges.book                                          // 0–200,000 / 200,001–300,000 / 300,001–end
/// WindowRanges.fractions(train: 0.5, validation: 0.25, rows: 1_000)   // 0–500 / 501–750 / 751–end
/// ```
///
/// Semantics: the normaliser is fitted on rows `train.minIndex ..< train.maxIndex` (the book's
/// `float_data[:200000]`). `fractions` takes `Int(rows × fraction)` as each `maxIndex` and the
/// next row as the next `minIndex`, like the book's layout. Never fails (validate the generator).
public struct WindowRanges: Codable, Sendable, Equatable {
    /// One generator's rows: `minIndex` (first row that windows may read) and `maxIndex`
    /// (exclusive bound of the rows that are window ends; nil: `N - delay - 1`).
    public struct Range: Codable, Sendable, Equatable {
        public var minIndex: Int
        public var maxIndex: Int?
        public init(minIndex: Int, maxIndex: Int?) { self.minIndex = minIndex; self.maxIndex = maxIndex }
    }
    public var train: Range
    public var validation: Range
    public var test: Range

    public init(train: Range, validation: Range, test: Range) {
        self.train = train; self.validation = validation; self.test = test
    }

    public static let book = WindowRanges(train: Range(minIndex: 0, maxIndex: 200_000),
                                          validation: Range(minIndex: 200_001, maxIndex: 300_000),
                                          test: Range(minIndex: 300_001, maxIndex: nil))

    public static func fractions(train: Double, validation: Double, rows: Int) -> WindowRanges {
        let a = Int(Double(rows) * train), b = Int(Double(rows) * (train + validation))
        return WindowRanges(train: Range(minIndex: 0, maxIndex: a), validation: Range(minIndex: a + 1, maxIndex: b),
                            test: Range(minIndex: b + 1, maxIndex: nil))
    }
}
