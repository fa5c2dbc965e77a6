import PipelineCore

/// The layouts a labelled text set can come in (`text.format`).
///
/// - `aclimdb`: `train|test/pos|neg/ID_RATING.txt` (the chapter's IMDB archive);
/// - `directory`: one sub-folder per class, as Keras' `text_dataset_from_directory` (in a folder,
///   a tar/tar.gz or a zip);
/// - `csv`, `tsv`, `jsonl`: one record per row/line with a text and a label column (plain or gzip,
///   or the one file of an archive that `source.include` selects);
/// - `auto`: `csv`/`tsv`/`jsonl` from the source's extension (`.csv`, `.tsv`/`.tab`, `.jsonl`/`.ndjson`,
///   each optionally `.gz`), otherwise `aclimdb` (the chapter's default; with a `source.include` of
///   your own, the first `.txt` entry decides between `aclimdb` and `directory`).
public enum TextFormat: String, Sendable, CaseIterable, Equatable {
    case auto, aclimdb, directory, csv, tsv, jsonl

    /// The format `auto` means for a source at `location` (a path or URL); `nil` for an archive or
    /// folder, whose entries decide.
    public static func fromExtension(_ location: String) -> TextFormat? {
        var lower = location.lowercased()
        if lower.hasSuffix(".gz") && !lower.hasSuffix(".tar.gz") { lower.removeLast(3) }
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return .tsv }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        return nil
    }

    /// Whether records come from one file (csv, tsv, jsonl) rather than archive entries.
    public var isRecordFile: Bool { self == .csv || self == .tsv || self == .jsonl }
}

/// How labels reach the trainer (`text.label_mode`, Keras' `label_mode`). The prepared `y_*.npy`
/// always hold int32 class ids; `categorical` makes one-hot rows per batch for
/// `categorical_crossentropy`, `binary` requires exactly two classes (ids 0 and 1, for a sigmoid
/// unit and `binary_crossentropy`).
public enum LabelMode: String, Sendable, CaseIterable, Equatable { case int, binary, categorical }

/// Whether the first row of a CSV/TSV is a header (`text.header`). `auto`: a header when the text
/// or label column is given by name, none when both are 0-based indices.
public enum HeaderMode: String, Sendable, CaseIterable, Equatable { case auto, `true`, `false` }

/// What a malformed record does (`text.on_bad_row`): `error` (default) fails naming file:line,
/// `skip` drops it, counts it (`meta.json`'s `bad_rows`) and warns with the first few locations.
public enum BadRowPolicy: String, Sendable, CaseIterable, Equatable { case error, skip }

/// Which label an aclImdb review gets (`text.label_from`): `folder` (pos = 1, neg = 0, the
/// chapter's) or `rating` (the star rating of `ID_RATING.txt`, one class per rating present).
public enum AclImdbLabel: String, Sendable, CaseIterable, Equatable { case folder, rating }

/// A column by header name or 0-based index (`text.text_column`, `text.label_column`; a JSONL
/// record's key, or index when the line is an array).
public enum ColumnRef: Sendable, Equatable, CustomStringConvertible {
    case name(String)
    case index(Int)

    public var description: String {
        switch self {
        case .name(let n): n
        case .index(let i): String(i)
        }
    }
}

/// The options of the labelled-text reader (``LabelledTextTokenizer``), with their spec keys.
public struct LabelledTextOptions: Sendable, Equatable {
    public var format: TextFormat = .auto
    public var textColumn: ColumnRef = .name("text")
    public var labelColumn: ColumnRef = .name("label")
    public var header: HeaderMode = .auto
    /// Label values (folder names for `directory`) in class-id order; `nil`: every value seen,
    /// sorted (numerically when every value is a decimal integer, else byte-wise).
    public var classNames: [String]? = nil
    public var labelMode: LabelMode = .int
    public var onBadRow: BadRowPolicy = .error
    public var labelFrom: AclImdbLabel = .folder
    /// `text.max_text_bytes`: a text longer than this is cut to it (at a UTF-8 boundary) and
    /// counted (`texts_cut`), so one record never holds more. Default 1 MiB.
    public var maxTextBytes = LabelledTextOptions.defaultMaxTextBytes
    /// `text.max_classes`: more distinct labels than this is an error (default 1000).
    public var maxClasses = LabelledTextOptions.defaultMaxClasses

    public static let defaultMaxTextBytes = 1 << 20
    public static let defaultMaxClasses = 1000
    /// A label longer than this is a bad row (a text column mistaken for the label).
    public static let maxLabelBytes = 1024
    /// A CSV/TSV row with more fields than this is a bad row.
    public static let maxFields = 10_000

    public init() {}

    /// Whether the first CSV/TSV row is a header.
    public var hasHeader: Bool {
        switch header {
        case .true: true
        case .false: false
        case .auto: { if case .name = textColumn { return true }; if case .name = labelColumn { return true }; return false }()
        }
    }
}
