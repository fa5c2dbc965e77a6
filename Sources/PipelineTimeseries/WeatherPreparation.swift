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
/// files: `data.npy` float32 `[rows, F]`, `timestamps.npy` int64 `[rows]`,
/// `normalization.json`, `windows.json` (``Windows``), `meta.json` (``Meta``, also returned).
/// Every file is computed and written to a temporary name first and renamed into place only
/// when all of them are complete (`meta.json` last), so a failure leaves none of them behind.
/// Memory: the matrix (4·rows·F bytes), bounded by `maxTableBytes`. The rows inserted and dropped by the repairs are
/// limited by ``RepairLimit`` (`maxRepairedFraction`, default 1 %) and reported in ``Meta``
/// (`counts`, `rowsRead`, `gridGaps`).
/// Failures: the stream's errors; ``InputError`` for an unknown target column, ranges that do
/// not fit the data, repairs beyond the limit, a value that normalisation takes out of the
/// range of Float32 (`file:line:column`); ``IOFailure`` when the directory cannot be written.
public enum WeatherPreparation {
    /// The book's defaults: lookback 1440 (10 days), step 6 (hourly), delay 144 (24 h),
    /// batch 128, 500 steps per epoch, target `T (degC)`, the book's ranges, 600 s time step
    /// (``TimeStep/auto`` takes the most common gap of the first rows instead),
    /// time policy `error`, missing values `interpolate`.
    public struct Options: Codable, Sendable, Equatable {
        public var lookback = 1440, step = 6, delay = 144, batchSize = 128, stepsPerEpoch = 500
        public var targetColumn = "T (degC)"
        public var ranges = WindowRanges.book
        public var timeStep = TimeStep.seconds(600)
        public var timePolicy = TimeAxisPolicy.error
        public var missing = MissingValuePolicy.interpolate
        /// Rows inserted plus dropped by the repairs, as a share of the rows read (``RepairLimit``).
        public var maxRepairedFraction = RepairLimit.defaultMaxFraction
        /// Bound on the table held in memory (``TableChunk/memoryBytes``: 4 bytes per cell, 16 per
        /// row); spec key `timeseries.max_table_bytes`, default 64 MiB (the whole 2009–2016 Jena
        /// file is 30 MB). Peak memory of a prepare is about 2.5× this plus ≈ 40 MB.
        public var maxTableBytes = WeatherPreparation.defaultMaxTableBytes
        /// `lookback`, `step`, `delay` as durations, converted with the time step (``WindowDurations``).
        public var durations = WindowDurations()
        /// Categorical columns to one-hot encode and calendar features to add (``FeatureExpansion``).
        public var categorical: [String] = []
        /// The target's unit when the column name does not give it (``TargetUnit``).
        public var targetUnit: String?
        public var calendar: [FeatureExpansion.Calendar] = []
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
        /// The common-sense baseline's MAE in normalised units, over all validation windows, and
        /// in the target's units (`baselineMAECelsius`: the name dates from the Jena-only days; it
        /// is °C only when ``targetUnit`` is).
        public var baselineMAE, baselineMAEAllWindows, baselineMAECelsius: Double
        /// Data rows read from the source, before rows were inserted or dropped.
        public var rowsRead: Int?
        /// Places where consecutive rows are not one time step apart after the repairs.
        public var gridGaps: Int?
        /// The time step in seconds, and whether it was detected (`step_seconds: auto`); nil without timestamps.
        public var timeStepSeconds: Int64?
        public var timeStepDetected: Bool?
        /// Where the time came from (a column, or part columns joined by `+`) and how it was
        /// read (a pattern, a named format, or `columns`); nil in row order.
        public var timeColumn: String?
        public var timeFormat: String?
        /// Categorical cells whose value the training rows never had (one-hot all zeros), or missing.
        public var unknownCategories: Int?
        /// The target's unit (``TargetUnit``); `baselineMAECelsius` is in this unit, whatever it is.
        public var targetUnit: String?
    }

    /// 64 MiB: see ``Options/maxTableBytes``.
    public static let defaultMaxTableBytes = 64 << 20
    /// The spec key that raises ``Options/maxTableBytes``, named in the error.
    public static let maxTableBytesKey = "timeseries.max_table_bytes"

    public static func prepare<S: AsyncSequence>(_ chunks: S, options o: Options, to directory: String) async throws -> Meta
    where S.Element == TableChunk {
        var table: TableChunk?
        var axis: TimeAxisChecker?                         // made from the first chunk with timestamps
        var step: (step: Int64, detected: Bool)?
        var filler = MissingValueFiller(policy: o.missing)
        var fillerReady = false
        func add(_ c: TableChunk?) throws {
            guard let c else { return }
            if table == nil { table = c.emptyCopy() }
            try table!.append(c, maxBytes: o.maxTableBytes, key: maxTableBytesKey)
        }
        for try await chunk in chunks {
            if axis == nil && !chunk.timestamps.isEmpty {
                step = try o.timeStep.resolve(chunk, tolerance: o.maxRepairedFraction)
                axis = TimeAxisChecker(step: step!.step, policy: o.timePolicy, maxRepairedFraction: o.maxRepairedFraction)
            }
            if !fillerReady {                              // category ids are filled stepwise, never interpolated
                filler.stepwiseColumns = Set(chunk.columns.indices.filter { o.categorical.contains(chunk.columns[$0]) })
                fillerReady = true
            }
            let checked = chunk.timestamps.isEmpty ? chunk : try axis!.push(chunk)
            try add(try filler.push(checked))
        }
        try add(try filler.finish())
        guard var t = table, t.rowCount > 0 else { throw InputError("no rows to prepare") }
        if o.categorical.contains(o.targetColumn) {
            throw InputError("the target column cannot be categorical", at: SourceLocation(file: t.source), field: "categorical",
                             value: o.targetColumn, hint: "forecast a numeric column")
        }
        guard t.columns.contains(o.targetColumn) else {
            throw InputError("unknown target column", at: SourceLocation(file: t.source), field: "target_column",
                             value: o.targetColumn, hint: "columns are " + t.columns.map { "'\($0)'" }.joined(separator: ", "))
        }
        let limit = RepairLimit(maxFraction: o.maxRepairedFraction, step: step?.step ?? 0)
        try limit.check(t.counts, rows: t.rowCount, source: t.source)
        let gridGaps = step.map { RepairLimit.gridGaps(t.timestamps, step: $0.step) } ?? 0
        var o = o
        if !o.durations.isEmpty {
            guard let s = step?.step else {
                throw InputError("lookback, step or delay given as a duration needs a time axis", at: SourceLocation(file: t.source),
                                 field: "timeseries.time", hint: "give them as row counts, or set timeseries.time")
            }
            let rows = try o.durations.rows(timeStep: s)
            o.lookback = rows.lookback ?? o.lookback; o.step = rows.step ?? o.step; o.delay = rows.delay ?? o.delay
            guard o.step <= o.lookback else {
                throw InputError("step (\(o.step) rows) is longer than lookback (\(o.lookback) rows)", field: "timeseries.step")
            }
        }
        if let f = o.fractions { o.ranges = .fractions(train: f.train, validation: f.validation, rows: t.rowCount) }
        let trainEnd = min(o.ranges.train.maxIndex ?? t.rowCount, t.rowCount)
        guard o.ranges.train.minIndex < trainEnd else {
            throw InputError("the train range (rows \(o.ranges.train.minIndex) to \(o.ranges.train.maxIndex.map(String.init) ?? "end")) "
                             + "holds no row of the \(t.rowCount) rows of the data",
                             at: SourceLocation(file: t.source), field: "ranges",
                             hint: "use smaller ranges, fractions, or a longer file")
        }
        let expansion = try FeatureExpansion.fit(t, categorical: o.categorical, calendar: o.calendar,
                                                 trainRows: o.ranges.train.minIndex..<trainEnd)
        var unknownCategories: Int?
        if !expansion.isIdentity {
            let (values, unknown) = try expansion.apply(t, maxBytes: o.maxTableBytes, key: maxTableBytesKey)
            t.values = values; t.columns = expansion.columns
            t.columnNumbers = expansion.columns.map { name in
                t.columnNumbers[expansion.sourceColumns.firstIndex(of: name) ?? expansion.sourceColumns.firstIndex {
                    name.hasPrefix($0 + "=") } ?? 0] }
            unknownCategories = unknown
        }
        let target = t.columns.firstIndex(of: o.targetColumn)!
        var norm = Normalizer.fit(t.values, columns: t.columns, rows: o.ranges.train.minIndex..<trainEnd)
        for c in expansion.identityColumns { norm.mean[c] = 0; norm.std[c] = 1 }
        norm.apply(to: &t.values)
        if let i = t.values.firstIndex(where: { !$0.isFinite }) {
            let (r, c) = (i / t.featureCount, i % t.featureCount)
            throw InputError("value out of the range of float32 once normalised with the train rows' mean "
                             + "\(norm.mean[c]) and std \(norm.std[c])",
                             at: t.location(row: r, column: c), field: t.columns[c],
                             value: "\(Float(norm.denormalize(Double(t.values[i]), column: c)))",
                             hint: "check the column's values for outliers")
        }
        func generator(_ r: WindowRanges.Range, _ name: String) throws -> BookGenerator {
            do {
                return try BookGenerator(data: t.values, features: t.featureCount, lookback: o.lookback, delay: o.delay,
                                         minIndex: r.minIndex, maxIndex: r.maxIndex, batchSize: o.batchSize, step: o.step,
                                         targetColumn: target)
            } catch var e as InputError {          // the data is too short for the windows: say which file and split
                e.location = SourceLocation(file: t.source)
                e.message = "the \(name) windows do not fit the \(t.rowCount) rows of the data: " + e.message
                e.hint = e.hint ?? "use a smaller lookback or delay, other ranges, or a longer file"
                throw e
            }
        }
        var val = try generator(o.ranges.validation, "validation")
        let test = try generator(o.ranges.test, "test")
        let windows = Windows(lookback: o.lookback, step: o.step, delay: o.delay, batchSize: o.batchSize,
                              timesteps: o.lookback / o.step, targetColumn: o.targetColumn, targetIndex: target,
                              ranges: o.ranges, stepsPerEpoch: o.stepsPerEpoch,
                              validationSteps: val.stepsPerPass, testSteps: test.stepsPerPass)
        let allWindows = NaiveBaseline.allWindowsMAE(val)
        let mae = NaiveBaseline.bookMAE(&val, steps: windows.validationSteps)
        let meta = Meta(source: t.source, rows: t.rowCount, features: t.featureCount, columns: t.columns,
                        missingPolicy: o.missing, timePolicy: o.timePolicy, counts: t.counts,
                        firstTimestamp: t.timestamps.first, lastTimestamp: t.timestamps.last,
                        baselineMAE: mae, baselineMAEAllWindows: allWindows, baselineMAECelsius: mae * norm.std[target],
                        rowsRead: RepairLimit.rowsRead(t.counts, rows: t.rowCount), gridGaps: gridGaps,
                        timeStepSeconds: step?.step, timeStepDetected: step?.detected,
                        timeColumn: t.timestampColumn, timeFormat: t.timestampFormat, unknownCategories: unknownCategories,
                        targetUnit: TargetUnit.resolve(column: o.targetColumn, explicit: o.targetUnit))
        // Encode everything before the first byte is written: an encoding failure leaves nothing.
        let normJSON = try json(norm, snakeCase: false), windowsJSON = try json(windows), metaJSON = try json(meta)
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw IOFailure("cannot create the output directory", path: directory, hint: "check permissions")
        }
        let dir = directory.hasSuffix("/") ? directory : directory + "/"
        var staged: [AtomicFile] = []                  // dropped uncommitted on error: temporaries removed
        func stage(_ name: String, _ write: (AtomicFile) throws -> Void) throws {
            let f = try AtomicFile(path: dir + name)
            staged.append(f)
            try write(f)
        }
        try stage("data.npy") { f in
            try f.write(NpyFile.header(dtype: .float32, shape: [t.rowCount, t.featureCount]))
            try t.values.withUnsafeBytes { try f.write($0) }
        }
        if !t.timestamps.isEmpty {
            try stage("timestamps.npy") { f in
                try f.write(NpyFile.header(dtype: .int64, shape: [t.rowCount]))
                try t.timestamps.withUnsafeBytes { try f.write($0) }
            }
        }
        try stage("normalization.json") { try $0.write(normJSON) }
        if !expansion.isIdentity { try stage("features.json") { try $0.write(try json(expansion, snakeCase: false)) } }
        try stage("windows.json") { try $0.write(windowsJSON) }
        try stage("meta.json") { try $0.write(metaJSON) }
        for f in staged { try f.commit() }
        return meta
    }

    static func json<T: Encodable>(_ value: T, snakeCase: Bool = true) throws -> [UInt8] {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        if snakeCase { enc.keyEncodingStrategy = .convertToSnakeCase }
        return Array(try enc.encode(value))
    }
}
