import Foundation
import PipelineCore

/// The body of `pipeline prepare` for the Jena weather task: time axis, missing values,
/// normalisation, window definition, written to a directory.
///
/// ```swift
/// var csv = CSVReadOptions.jena(source: path); csv.missing = .keep       // PipelineIO
/// let chunks = CSVFile.bytes(path: path).csvTable(csv)
/// let meta = try await WeatherPreparation.prepare(chunks, options: WeatherPreparation.Options(), to: "out/jena")
/// ```
///
/// Steps: ``TimeAxisChecker`` (`timeStep`, `timePolicy`) → ``MissingValueFiller`` (`missing`)
/// → one `[rows, F]` matrix → ``Normalizer`` fitted on the train rows and applied to all →
/// files, each through `AtomicFile`/`NpyFile` (complete or absent): `data.npy` float32
/// `[rows, F]`, `timestamps.npy` int64 `[rows]`, `normalization.json`, `windows.json`
/// (``Windows``), `meta.json` (``Meta``, also returned). Memory: the matrix (4·rows·F bytes).
/// Failures: the stream's errors; ``InputError`` for an unknown target column, ranges that do
/// not fit the data; ``IOFailure`` when the directory cannot be written.
public enum WeatherPreparation {
    /// The book's defaults: lookback 1440 (10 days), step 6 (hourly), delay 144 (24 h),
    /// batch 128, 500 steps per epoch, target `T (degC)`, the book's ranges, 600 s time step,
    /// time policy `error`, missing values `interpolate`.
    public struct Options: Codable, Sendable, Equatable {
        public var lookback = 1440, step = 6, delay = 144, batchSize = 128, stepsPerEpoch = 500
        public var targetColumn = "T (degC)"
        public var ranges = WindowRanges.book
        public var timeStep: Int64 = 600
        public var timePolicy = TimeAxisPolicy.error
        public var missing = MissingValuePolicy.interpolate
        /// When set, replaces `ranges` by ``WindowRanges/fractions(train:validation:rows:)`` of the
        /// rows actually read (after missing values and the time axis were handled).
        public var fractions: Fractions?
        public init() {}
    }

    /// Train and validation shares of the rows; the test range is the rest.
    public struct Fractions: Codable, Sendable, Equatable {
        public var train: Double
        public var validation: Double
        public init(train: Double, validation: Double) { self.train = train; self.validation = validation }
    }

    /// `windows.json`: what a trainer needs to rebuild the generators.
    public struct Windows: Codable, Sendable, Equatable {
        public var lookback, step, delay, batchSize, timesteps: Int
        public var targetColumn: String
        public var targetIndex: Int
        public var ranges: WindowRanges
        public var stepsPerEpoch, validationSteps, testSteps: Int
    }

    /// `meta.json`: what was read and repaired, plus the naive baseline.
    public struct Meta: Codable, Sendable, Equatable {
        public var source: String
        public var rows, features: Int
        public var columns: [String]
        public var missingPolicy: MissingValuePolicy
        public var timePolicy: TimeAxisPolicy
        public var counts: TableCounts
        public var firstTimestamp, lastTimestamp: Int64?
        public var baselineMAE, baselineMAEAllWindows, baselineMAECelsius: Double
    }

    public static func prepare<S: AsyncSequence>(_ chunks: S, options o: Options, to directory: String) async throws -> Meta
    where S.Element == TableChunk {
        var table: TableChunk?
        var axis = TimeAxisChecker(step: o.timeStep, policy: o.timePolicy)
        var filler = MissingValueFiller(policy: o.missing)
        func add(_ c: TableChunk?) {
            guard let c else { return }
            if table == nil { table = c.emptyCopy() }
            table!.append(c)
        }
        for try await chunk in chunks {
            let checked = chunk.timestamps.isEmpty ? chunk : try axis.push(chunk)
            add(try filler.push(checked))
        }
        add(try filler.finish())
        guard var t = table, t.rowCount > 0 else { throw InputError("no rows to prepare") }
        guard let target = t.columns.firstIndex(of: o.targetColumn) else {
            throw InputError("unknown target column", at: SourceLocation(file: t.source), field: "target_column",
                             value: o.targetColumn, hint: "columns are " + t.columns.map { "'\($0)'" }.joined(separator: ", "))
        }
        var o = o
        if let f = o.fractions { o.ranges = .fractions(train: f.train, validation: f.validation, rows: t.rowCount) }
        let trainEnd = min(o.ranges.train.maxIndex ?? t.rowCount, t.rowCount)
        let norm = Normalizer.fit(t.values, columns: t.columns, rows: o.ranges.train.minIndex..<trainEnd)
        norm.apply(to: &t.values)
        func generator(_ r: WindowRanges.Range) throws -> BookGenerator {
            try BookGenerator(data: t.values, features: t.featureCount, lookback: o.lookback, delay: o.delay,
                              minIndex: r.minIndex, maxIndex: r.maxIndex, batchSize: o.batchSize, step: o.step,
                              targetColumn: target)
        }
        var val = try generator(o.ranges.validation)
        let test = try generator(o.ranges.test)
        let windows = Windows(lookback: o.lookback, step: o.step, delay: o.delay, batchSize: o.batchSize,
                              timesteps: o.lookback / o.step, targetColumn: o.targetColumn, targetIndex: target,
                              ranges: o.ranges, stepsPerEpoch: o.stepsPerEpoch,
                              validationSteps: val.stepsPerPass, testSteps: test.stepsPerPass)
        let allWindows = NaiveBaseline.allWindowsMAE(val)
        let mae = NaiveBaseline.bookMAE(&val, steps: windows.validationSteps)
        let meta = Meta(source: t.source, rows: t.rowCount, features: t.featureCount, columns: t.columns,
                        missingPolicy: o.missing, timePolicy: o.timePolicy, counts: t.counts,
                        firstTimestamp: t.timestamps.first, lastTimestamp: t.timestamps.last,
                        baselineMAE: mae, baselineMAEAllWindows: allWindows, baselineMAECelsius: mae * norm.std[target])
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw IOFailure("cannot create the output directory", path: directory, hint: "check permissions")
        }
        let dir = directory.hasSuffix("/") ? directory : directory + "/"
        try NpyFile.write(t.values, shape: [t.rowCount, t.featureCount], to: dir + "data.npy")
        if !t.timestamps.isEmpty { try NpyFile.write(t.timestamps, shape: [t.rowCount], to: dir + "timestamps.npy") }
        try norm.save(to: dir + "normalization.json")
        try writeJSON(windows, to: dir + "windows.json")
        try writeJSON(meta, to: dir + "meta.json")
        return meta
    }

    static func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        enc.keyEncodingStrategy = .convertToSnakeCase
        try AtomicFile.write(Array(try enc.encode(value)), to: path)
    }
}
