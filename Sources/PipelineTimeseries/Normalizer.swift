import Foundation
import PipelineCore

/// Per-column standardisation `(x - mean) / std`, fitted on the training rows only and saved
/// as JSON beside the prepared data, to be reused unchanged at prediction time.
///
/// ```swift
/// let norm = Normalizer.fit(values, columns: names, rows: 0..<200_000)   // the book's train rows
/// norm.apply(to: &values)                                                  // every row
/// try norm.save(to: "out/normalization.json")
/// let again = try Normalizer.load(from: "out/normalization.json")
/// ```
///
/// Semantics: `std` is the population standard deviation (ddof = 0), as `numpy.std` in the
/// book. Statistics are accumulated in `Double` with Welford's update (merged per chunk, so a
/// stream can be fitted piecewise with ``Accumulator``); NaN cells are an error of the caller
/// (handle missing values first; precondition). A column with `std == 0` is divided by 1.
/// Cost: one pass to fit, one to apply. Failures: ``IOFailure`` (path) on save and load, plus
/// ``InputError`` when the JSON does not decode.
public struct Normalizer: Codable, Sendable, Equatable {
    public var columns: [String]
    public var mean: [Double]
    public var std: [Double]
    /// Number of rows the statistics were computed on.
    public var rows: Int

    public init(columns: [String], mean: [Double], std: [Double], rows: Int) {
        precondition(columns.count == mean.count && mean.count == std.count, "one mean and one std per column")
        self.columns = columns; self.mean = mean; self.std = std; self.rows = rows
    }

    /// Streaming Welford accumulation over rows of a row-major `[rows, F]` matrix.
    public struct Accumulator: Sendable {
        public private(set) var count = 0
        var mean: [Double], m2: [Double]
        public init(features: Int) { mean = Array(repeating: 0, count: features); m2 = mean }

        public mutating func add(_ values: ArraySlice<Float>) {
            let f = mean.count
            precondition(f > 0 && values.count % f == 0, "values are not whole rows")
            var i = values.startIndex
            while i < values.endIndex {
                count += 1
                let n = Double(count)
                for c in 0..<f {
                    let x = Double(values[i + c])
                    precondition(!x.isNaN, "NaN in the training rows: handle missing values before fitting")
                    let d = x - mean[c]
                    mean[c] += d / n
                    m2[c] += d * (x - mean[c])
                }
                i += f
            }
        }

        public func normalizer(columns: [String]) -> Normalizer {
            Normalizer(columns: columns, mean: mean, std: m2.map { count > 0 ? ($0 / Double(count)).squareRoot() : 0 },
                       rows: count)
        }
    }

    /// Fits on rows `rows` of the row-major matrix `values` (`columns.count` features).
    public static func fit(_ values: [Float], columns: [String], rows: Range<Int>) -> Normalizer {
        var acc = Accumulator(features: columns.count)
        acc.add(values[(rows.lowerBound * columns.count)..<(rows.upperBound * columns.count)])
        return acc.normalizer(columns: columns)
    }

    /// Standardises every row in place.
    public func apply(to values: inout [Float]) {
        let f = columns.count
        let scale = std.map { $0 == 0 ? 1 : 1 / $0 }
        values.withUnsafeMutableBufferPointer { v in
            var i = 0
            while i < v.count {
                for c in 0..<f { v[i + c] = Float((Double(v[i + c]) - mean[c]) * scale[c]) }
                i += f
            }
        }
    }

    /// A normalised value of column `column` back in the column's units.
    public func denormalize(_ x: Double, column: Int) -> Double { x * (std[column] == 0 ? 1 : std[column]) + mean[column] }

    public func save(to path: String) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(Array(try enc.encode(self)), to: path)
    }

    public static func load(from path: String) throws -> Normalizer {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IOFailure("cannot read normalization file", path: path, hint: "run `pipeline prepare` first")
        }
        do { return try JSONDecoder().decode(Normalizer.self, from: data) } catch {
            throw InputError("not a normalization file: \(error)", at: SourceLocation(file: path))
        }
    }
}
