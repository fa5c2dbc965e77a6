import PipelineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Vocabulary {
    /// The `format` field of `vocab.json`.
    public static let fileFormat = "pipeline-text-vocabulary"

    /// `vocab.json`: settings, `"hash": "fnv1a64:<16 hex>"`, `words` (ranked) and `counts`.
    ///
    /// ```json
    /// {"format": "pipeline-text-vocabulary", "version": 1, "standardize": "lower_and_strip_punctuation",
    ///  "html": "space", "lowercase": "ascii", "split": "whitespace", "index": "imdb", "num_words": 10000,
    ///  "skip_top": 0, "start_char": 1, "oov_char": 2, "index_from": 3, "hash": "fnv1a64:…",
    ///  "size": 88585, "words": ["the", "and", …], "counts": [336148, 164097, …]}
    /// ```
    public func jsonBytes() -> [UInt8] {
        var o: [UInt8] = []
        o.reserveCapacity(words.count * 16 + 512)
        func field(_ k: String, _ raw: String, comma: Bool = true) {
            o += Array("\"\(k)\": \(raw)\(comma ? ",\n" : "\n")".utf8)
        }
        func text(_ k: String, _ v: String) {
            var s: [UInt8] = []; JSONString.append(v, to: &s)
            field(k, String(decoding: s, as: UTF8.self))
        }
        o += Array("{\n".utf8)
        text("format", Vocabulary.fileFormat)
        field("version", "1")
        for line in settingLines {
            let kv = line.split(separator: "=", maxSplits: 1).map(String.init)
            if Int(kv[1]) != nil || kv[1] == "null" { field(kv[0], kv[1]) } else { text(kv[0], kv[1]) }
        }
        text("hash", "fnv1a64:" + hash)
        field("size", "\(words.count)")
        o += Array("\"words\": [".utf8)
        for (i, w) in words.enumerated() {
            if i > 0 { o.append(UInt8(ascii: ",")) }
            JSONString.append(w, to: &o)
        }
        o += Array("],\n\"counts\": [".utf8)
        o += Array(counts.map(String.init).joined(separator: ",").utf8)
        o += Array("]\n}\n".utf8)
        return o
    }

    /// Writes `vocab.json` atomically. Fails with ``IOFailure`` naming the path.
    public func save(to path: String) throws {
        try AtomicFile.write(jsonBytes(), to: path)
    }

    /// Reads a `vocab.json` written by ``save(to:)`` and checks its hash, so that serving
    /// tokenizes exactly as training did. Fails with ``IOFailure`` (unreadable file) or
    /// ``InputError`` naming the path and field (malformed JSON, unknown setting, hash mismatch).
    public static func load(from path: String) throws -> Vocabulary {
        let bytes = try WholeFile.read(path, hint: "check the path")
        let loc = SourceLocation(file: path)
        let json: JSONValue
        do { json = try JSONValue.parse(bytes) } catch {
            throw InputError("\(error)", at: loc, hint: "vocab.json is written by `pipeline prepare`")
        }
        func req<T>(_ k: String, _ get: (JSONValue) -> T?) throws -> T {
            guard let v = json[k], let t = get(v) else {
                throw InputError("missing or invalid field", at: loc, field: k, value: json[k].map { "\($0)" } ?? "nothing")
            }
            return t
        }
        func optInt(_ k: String, _ d: Int?) throws -> Int? {
            guard let v = json[k] else { return d }
            if v.isNull { return nil }
            guard let i = v.int else { throw InputError("must be an integer or null", at: loc, field: k, value: "\(v)") }
            return i
        }
        guard try req("format", \.string) == fileFormat else {
            throw InputError("not a vocabulary file", at: loc, field: "format", value: json["format"]?.string ?? "nothing")
        }
        func choice<E: RawRepresentable>(_ k: String, _: E.Type) throws -> E where E.RawValue == String {
            let s = try req(k, \.string)
            guard let e = E(rawValue: s) else { throw InputError("unknown value", at: loc, field: k, value: s) }
            return e
        }
        let std = TextStandardization(standardize: try choice("standardize", Standardize.self),
                                      html: try choice("html", HTMLHandling.self),
                                      lowercase: try choice("lowercase", Lowercase.self),
                                      maxTokenBytes: try optInt("max_token_bytes", TextStandardization.defaultMaxTokenBytes)
                                        ?? TextStandardization.defaultMaxTokenBytes)
        let index: VocabularyIndex
        switch try req("index", \.string) {
        case "imdb":
            index = .imdb(numWords: try optInt("num_words", nil), skipTop: try optInt("skip_top", 0) ?? 0,
                          startChar: try optInt("start_char", 1).map { Int32($0) },
                          oovChar: try optInt("oov_char", 2).map { Int32($0) },
                          indexFrom: Int32(try optInt("index_from", 3) ?? 3))
        case "text_vectorization":
            index = .textVectorization(maxTokens: try optInt("max_tokens", nil))
        case let other:
            throw InputError("unknown index convention (imdb | text_vectorization)", at: loc, field: "index", value: other)
        }
        let words = try req("words", \.array).map { v -> String in
            guard let s = v.string else { throw InputError("words must be strings", at: loc, field: "words", value: "\(v)") }
            return s
        }
        let counts = try json["counts"]?.array?.map { v -> Int in
            guard let i = v.int else { throw InputError("counts must be integers", at: loc, field: "counts", value: "\(v)") }
            return i
        }
        let vocab = try Vocabulary(words: words, counts: counts?.count == words.count ? counts : nil,
                                   standardization: std, index: index)
        let stated = try req("hash", \.string)
        guard stated == "fnv1a64:" + vocab.hash else {
            throw InputError("hash mismatch: the content hashes to fnv1a64:\(vocab.hash)", at: loc, field: "hash",
                             value: stated, hint: "the file was edited or damaged; run `pipeline prepare` again")
        }
        return vocab
    }
}

