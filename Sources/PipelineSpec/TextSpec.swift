import PipelineCore
import PipelineText
import Yams

/// `text:` the IMDB path's preprocessing, with Keras' names and defaults.
///
/// ```yaml
/// text:
///   num_words: 10000        # top words kept, Keras imdb.load_data(num_words=…)
///   maxlen: 500             # pad_sequences(maxlen=…); null = longest
///   padding: pre            # pre | post
///   truncating: pre         # pre | post
///   index: imdb             # imdb (0 pad, 1 start, 2 OOV, words from index_from) | text_vectorization (0 pad, 1 OOV, words from 2)
///   max_token_bytes: 1024   # longer words are cut to this many bytes, counted as tokens_cut (4 … 1048576)
///   # Labelled text sets other than aclImdb (PipelineText's LabelledTextOptions):
///   format: auto            # auto | aclimdb | directory | csv | tsv | jsonl (auto: .csv/.tsv/.jsonl[.gz] by extension, else aclimdb)
///   text_column: text       # csv/tsv: header name or 0-based index; jsonl: key (or index of an array line)
///   label_column: label
///   header: auto            # auto (a header when a column is named) | true | false
///   class_names: null       # label values / class folders in id order; default: every label, sorted (numerically if all integers)
///   label_mode: null        # int | binary | categorical; default from train.loss (binary_crossentropy → binary, categorical_crossentropy → categorical, else int)
///   on_bad_row: error       # error (file:line) | skip (counted in meta.json's bad_rows, warned)
///   label_from: folder      # aclimdb: folder (pos/neg) | rating (the 8 star ratings of ID_RATING.txt)
///   max_text_bytes: 1048576 # a longer text is cut to this (at a UTF-8 boundary), counted as texts_cut (64 … 268435456)
///   max_classes: 1000       # more distinct labels is an error (2 … 1000000)
/// ```
public struct TextSpec: Sendable, Equatable {
    // `standardize`, `html`, `padding` and `truncating` are the engine's own option types
    // (``Standardize``, ``HTMLHandling``, ``SequencePadding``, ``Truncating``), spelled as in Keras.
    public enum IndexConvention: String, Sendable, CaseIterable { case imdb, text_vectorization }

    public var standardize: Standardize
    public var html: HTMLHandling
    public var numWords: Int
    public var index: IndexConvention
    public var indexFrom: Int
    public var maxlen: Int?
    public var padding: SequencePadding
    public var truncating: Truncating
    public var value: Int
    public var maxTokenBytes: Int
    /// The labelled-text keys (`format` … `max_classes`); `labelMode` nil = from the loss.
    public var labelled: LabelledTextOptions
    public var labelMode: LabelMode?

    static let keys = ["standardize", "html", "num_words", "index", "index_from", "maxlen", "padding", "truncating", "value", "max_token_bytes",
                       "format", "text_column", "label_column", "header", "class_names", "label_mode", "on_bad_row", "label_from",
                       "max_text_bytes", "max_classes"]

    /// Whether preparation goes through the labelled-text reader rather than the chapter's
    /// aclImdb path (which is kept byte for byte): any format but aclimdb/auto, a `label_from`
    /// other than folder, or class names; `auto` with a `.csv`/`.tsv`/`.jsonl` location too.
    public func usesLabelledReader(location: String, perSplit: Bool) -> Bool {
        switch labelled.format {
        case .aclimdb: return perSplit || labelled.labelFrom != .folder || labelled.classNames != nil
        case .auto: return perSplit || labelled.labelFrom != .folder || labelled.classNames != nil || TextFormat.fromExtension(location) != nil
        default: return true
        }
    }

    static let aclImdbInclude = ["aclImdb/{train,test}/{pos,neg}/*.txt"]

    /// `text.format` as written (before the section is decoded; a bad value is reported later).
    static func declaredFormat(_ node: Node?) -> TextFormat? {
        guard case .mapping(let m)? = node, let s = m["format"]?.scalar?.string else { return nil }
        return TextFormat(rawValue: s)
    }

    /// `source.include`'s default for a text format: aclImdb's reviews, every `.txt` for a folder
    /// per class, everything for a record file (a plain or gzip file, or the one file of an archive).
    static func defaultInclude(_ format: TextFormat?) -> [String] {
        switch format {
        case .directory: ["**/*.txt"]
        case .csv?, .tsv?, .jsonl?: []
        default: aclImdbInclude
        }
    }

    static func column(_ m: SpecMap?, _ key: String) throws -> ColumnRef? {
        guard let m, let n = m.node(key), !m.isNull(n) else { return nil }
        guard case .scalar(let s) = n else { throw m.fail(key, "must be a column name or a 0-based index") }
        if s.style == .plain, let i = Int(s.string) {
            guard i >= 0 else { throw m.fail(key, "must be >= 0 (0-based index)") }
            return .index(i)
        }
        guard !s.string.isEmpty else { throw m.fail(key, "must be a column name or a 0-based index") }
        return .name(s.string)
    }

    init(_ m: SpecMap?) throws {
        standardize = try m?.choice("standardize", default: .lowerAndStripPunctuation) ?? .lowerAndStripPunctuation
        html = try m?.choice("html", default: .space, among: [.space, .keep]) ?? .space
        numWords = try m?.int("num_words", default: 10_000, min: 1) ?? 10_000
        index = try m?.choice("index", default: .imdb) ?? .imdb
        indexFrom = try m?.int("index_from", default: 3, min: 1) ?? 3
        if let m, m.has("maxlen") { maxlen = try m.int("maxlen", min: 1) } else { maxlen = m == nil ? 500 : (m!.node("maxlen") == nil ? 500 : nil) }
        padding = try m?.choice("padding", default: .pre) ?? .pre
        truncating = try m?.choice("truncating", default: .pre) ?? .pre
        value = try m?.int("value", default: 0) ?? 0
        maxTokenBytes = try m?.int("max_token_bytes", default: TextStandardization.defaultMaxTokenBytes,
                                   min: TextStandardization.minimumTokenBytes, max: TextStandardization.maximumTokenBytes)
            ?? TextStandardization.defaultMaxTokenBytes
        var o = LabelledTextOptions()
        o.format = try m?.choice("format", default: .auto) ?? .auto
        o.textColumn = try TextSpec.column(m, "text_column") ?? o.textColumn
        o.labelColumn = try TextSpec.column(m, "label_column") ?? o.labelColumn
        o.header = try m?.choice("header", default: .auto) ?? .auto
        if let names = try m?.strings("class_names") {
            guard names.count >= 2 else { throw m!.fail("class_names", "must list at least 2 classes") }
            guard Set(names).count == names.count else { throw m!.fail("class_names", "lists a class twice") }
            o.classNames = names
        }
        labelMode = try m.flatMap { m in m.has("label_mode") ? try m.choice("label_mode", default: LabelMode.int) : nil }
        o.labelMode = labelMode ?? .int
        o.onBadRow = try m?.choice("on_bad_row", default: .error) ?? .error
        o.labelFrom = try m?.choice("label_from", default: .folder) ?? .folder
        o.maxTextBytes = try m?.int("max_text_bytes", default: LabelledTextOptions.defaultMaxTextBytes, min: 64, max: 1 << 28)
            ?? LabelledTextOptions.defaultMaxTextBytes
        o.maxClasses = try m?.int("max_classes", default: LabelledTextOptions.defaultMaxClasses, min: 2, max: 1_000_000)
            ?? LabelledTextOptions.defaultMaxClasses
        if o.header == .false, case .name = o.textColumn, o.format != .jsonl { throw m!.fail("text_column", "is a name but header is false: give a 0-based index") }
        if o.header == .false, case .name = o.labelColumn, o.format != .jsonl { throw m!.fail("label_column", "is a name but header is false: give a 0-based index") }
        labelled = o
    }

    /// The labelled-text keys that differ from their defaults (so a spec without them keeps its hash).
    var labelledYAML: [(String, Node)] {
        let d = LabelledTextOptions(), o = labelled
        var pairs: [(String, Node)] = []
        func col(_ c: ColumnRef) -> Node { if case .index(let i) = c { return Y.int(i) }; return Node(c.description, .implicit, .doubleQuoted) }
        if o.format != d.format { pairs.append(("format", Y.str(o.format.rawValue))) }
        if o.textColumn != d.textColumn { pairs.append(("text_column", col(o.textColumn))) }
        if o.labelColumn != d.labelColumn { pairs.append(("label_column", col(o.labelColumn))) }
        if o.header != d.header { pairs.append(("header", Y.str(o.header.rawValue))) }
        if let c = o.classNames { pairs.append(("class_names", Y.strs(c))) }
        if let l = labelMode { pairs.append(("label_mode", Y.str(l.rawValue))) }
        if o.onBadRow != d.onBadRow { pairs.append(("on_bad_row", Y.str(o.onBadRow.rawValue))) }
        if o.labelFrom != d.labelFrom { pairs.append(("label_from", Y.str(o.labelFrom.rawValue))) }
        if o.maxTextBytes != d.maxTextBytes { pairs.append(("max_text_bytes", Y.int(o.maxTextBytes))) }
        if o.maxClasses != d.maxClasses { pairs.append(("max_classes", Y.int(o.maxClasses))) }
        return pairs
    }

    var yaml: Node {
        Y.map([("standardize", Y.str(standardize.rawValue)), ("html", Y.str(html.rawValue)),
               ("num_words", Y.int(numWords)), ("index", Y.str(index.rawValue)), ("index_from", Y.int(indexFrom)),
               ("maxlen", Y.opt(maxlen, Y.int)), ("padding", Y.str(padding.rawValue)),
               ("truncating", Y.str(truncating.rawValue)), ("value", Y.int(value))]
              + (maxTokenBytes == TextStandardization.defaultMaxTokenBytes ? [] : [("max_token_bytes", Y.int(maxTokenBytes))]) + labelledYAML)
    }
}
