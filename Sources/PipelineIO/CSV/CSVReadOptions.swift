import PipelineCore

/// How the bytes of a CSV file are decoded: header names and the text quoted in errors
/// (numbers are ASCII in every case). `auto`: UTF-8 when the header is valid UTF-8 (or starts
/// with a byte-order mark), else Latin-1 (ISO 8859-1), as in raw exports of the Jena station.
public enum CSVEncoding: String, Sendable, Codable {
    case auto, utf8 = "utf-8", latin1 = "latin-1"
}

/// Where each row's time comes from.
///
/// - `column(name, format:)`: one column, in a ``TimestampFormat`` pattern or named format;
///   `format: nil` detects it from the first data row (``TimestampFormat/detect(_:)``).
/// - `columns(_:)`: integer columns composed into one timestamp, as pandas' `to_datetime`
///   assembles `year, month, day, hour, minute, second` columns.
/// - `auto`: `Date Time` if the file has it; else the first column whose first cell parses as a
///   timestamp; else columns named year, month, day[, hour[, minute[, second]]] (any case); else
///   none. What was chosen is reported on every chunk (``TableChunk/timestampColumn``,
///   ``TableChunk/timestampFormat``).
/// - `none`: no time; rows are taken in file order.
///
/// The time columns are never features unless `columns` lists them (a part column such as `hour`
/// may be both; a timestamp text column cannot).
public enum CSVTime: Sendable, Equatable {
    case column(String, format: String?)
    case columns(TimeColumns)
    case auto
    case none
}

/// The columns a timestamp is assembled from (names as in the header).
public struct TimeColumns: Sendable, Equatable {
    public var year: String, month: String, day: String
    public var hour: String?, minute: String?, second: String?

    public init(year: String, month: String, day: String, hour: String? = nil, minute: String? = nil, second: String? = nil) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second
    }

    /// The parts in order year … second, nil where absent.
    public var parts: [String?] { [year, month, day, hour, minute, second] }
    public static let partNames = ["year", "month", "day", "hour", "minute", "second"]
}

/// Everything the CSV reader needs to know about one file.
///
/// ```swift
/// var o = CSVReadOptions.jena(source: "jena_climate_2009_2016.csv")  // "Date Time", dd.MM.yyyy HH:mm:ss
/// o.columns = ["p (mbar)", "T (degC)"]      // nil: every numeric column but the timestamp
/// o.missing = .interpolate                  // what to do with "-9999", "NA" and empty cells
/// ```
///
/// Semantics: the first record is the header (quoted or not); a leading UTF-8 byte-order mark
/// is skipped; records end with LF or CRLF; fields follow RFC 4180 (`"a ""quoted"" field"`,
/// delimiters and newlines allowed inside quotes). A cell whose text equals one of
/// `missingValues` exactly is missing and handled by `missing`. With `columns == nil` the
/// numeric columns are those whose first data row holds a number or a missing token.
/// Output chunks hold `chunkRows` rows (the last one fewer). Invalid values are reported by
/// the reader as ``InputError``s when it starts.
///
/// Limits: a record (one line, or several when a quoted field holds newlines) may hold at most
/// `maxLineBytes` bytes (default ``defaultMaxLineBytes``, 1 MiB; spec key
/// `timeseries.max_line_bytes`); a longer one is an error at its `file:line` as soon as that
/// many bytes have arrived without its end, so memory stays bounded whatever the input.
/// Numbers must be finite in Float32: `nan`, `inf` and values that overflow (`1e39`) are errors
/// at `file:line:column` naming the column and the text.
public struct CSVReadOptions: Sendable {
    public var source: String
    public var delimiter: UInt8
    public var encoding: CSVEncoding
    public var missingValues: [String]
    public var missing: MissingValuePolicy
    /// Where the time comes from (see ``CSVTime``).
    public var time: CSVTime
    private var defaultFormat: String
    public var columns: [String]?
    /// Columns of text values (e.g. a wind direction `NW`, `SE`, `cv`) read as categories: each
    /// cell becomes the index of its value in ``TableChunk/levels`` (order of first appearance).
    /// They are features even when `columns` is nil; a missing token is NaN.
    public var categorical: [String] = []
    /// The most distinct values one categorical column may take (default 1000, spec key
    /// `timeseries.max_categories`): more is an error at the line that crosses it, so a free-text
    /// column cannot grow the level table without bound.
    public var maxCategories = CSVReadOptions.defaultMaxCategories
    public static let defaultMaxCategories = 1000
    public var chunkRows: Int
    /// The longest record accepted, in bytes (see Limits above).
    public var maxLineBytes: Int

    /// 1 MiB: a Jena record is about 120 bytes.
    public static let defaultMaxLineBytes = 1 << 20

    public init(source: String, delimiter: UInt8 = UInt8(ascii: ","), encoding: CSVEncoding = .auto,
                missingValues: [String] = ["-9999", "NA", ""], missing: MissingValuePolicy = .error,
                timestampColumn: String? = nil, timestampFormat: String = "dd.MM.yyyy HH:mm:ss", time: CSVTime? = nil,
                columns: [String]? = nil, categorical: [String] = [], maxCategories: Int = CSVReadOptions.defaultMaxCategories,
                chunkRows: Int = 4096, maxLineBytes: Int = CSVReadOptions.defaultMaxLineBytes) {
        self.categorical = categorical; self.maxCategories = maxCategories
        self.source = source; self.delimiter = delimiter; self.encoding = encoding
        self.missingValues = missingValues; self.missing = missing
        self.defaultFormat = timestampFormat
        self.time = time ?? timestampColumn.map { .column($0, format: timestampFormat) } ?? .none
        self.columns = columns; self.chunkRows = chunkRows; self.maxLineBytes = maxLineBytes
    }

    /// The single timestamp column, if the time is read from one (`time = .column`).
    public var timestampColumn: String? {
        get { if case .column(let name, _) = time { return name }; return nil }
        set { time = newValue.map { .column($0, format: defaultFormat) } ?? .none }
    }

    /// The format of the single timestamp column (Jena's `dd.MM.yyyy HH:mm:ss` unless set).
    public var timestampFormat: String {
        get { if case .column(_, let f?) = time { return f }; return defaultFormat }
        set {
            defaultFormat = newValue
            if case .column(let name, _) = time { time = .column(name, format: newValue) }
        }
    }

    /// The Jena climate layout: timestamp column `Date Time` in `dd.MM.yyyy HH:mm:ss`, all
    /// other (numeric) columns, `-9999`/`NA`/empty missing, policy `error`.
    public static func jena(source: String) -> CSVReadOptions {
        CSVReadOptions(source: source, timestampColumn: "Date Time")
    }

    /// A copy with another missing-value policy.
    public func with(missing policy: MissingValuePolicy) -> CSVReadOptions {
        var o = self; o.missing = policy; return o
    }
}
