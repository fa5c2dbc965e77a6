import Foundation
import Testing
import PipelineCore
@testable import PipelineText

/// The labelled-text reader (issue 16, item 1): every format, label mapping, bad rows, limits.
/// Inputs are written by the tests themselves.
@Suite struct LabelledTextTokenizerTests {
    /// Reads `files` (format, split, bytes) with `options` (collecting mode) and returns (text, label id, split) rows and the names.
    static func read(_ files: [(TextFormat, ReviewSplit, String)], _ options: LabelledTextOptions, chunk: Int = 7)
        async throws -> (rows: [(String, Int32, ReviewSplit)], names: [String], reader: LabelledTextTokenizer) {
        let t = try LabelledTextTokenizer(collectingWith: options)
        for (i, (format, split, text)) in files.enumerated() {
            let bytes = Array(text.utf8)
            let chunks = stride(from: 0, to: bytes.count, by: chunk).map { Array(bytes[$0..<min(bytes.count, $0 + chunk)]) }
            try await t.addRecords(Chunks(chunks), format: format, split: split, source: "f\(i).\(format.rawValue)")
        }
        return (t.collected!.map { (String(decoding: $0.text, as: UTF8.self), $0.label, $0.split) }, t.labels.finish().names, t)
    }

    struct Chunks: AsyncSequence, Sendable {
        typealias Element = [UInt8]
        let items: [[UInt8]]
        init(_ items: [[UInt8]]) { self.items = items }
        struct Iterator: AsyncIteratorProtocol {
            var rest: ArraySlice<[UInt8]>
            mutating func next() async throws -> [UInt8]? { rest.popFirst() }
        }
        func makeAsyncIterator() -> Iterator { Iterator(rest: items[...]) }
    }

    struct Entries: AsyncSequence, Sendable {
        typealias Element = DataEntry
        let items: [DataEntry]
        struct Iterator: AsyncIteratorProtocol {
            var rest: ArraySlice<DataEntry>
            mutating func next() async throws -> DataEntry? { rest.popFirst() }
        }
        func makeAsyncIterator() -> Iterator { Iterator(rest: items[...]) }
    }

    static func indices(text: Int, label: Int) -> LabelledTextOptions {
        var o = LabelledTextOptions(); o.textColumn = .index(text); o.labelColumn = .index(label); return o
    }

    @Test func csvQuotedFieldsKeepNewlinesCommasAndQuotesInAnyChunking() async throws {
        let csv = "label,text\r\nsports,\"a goal, then\nanother \"\"great\"\" one\"\r\n\nworld,plain text\n"
        for chunk in [1, 3, 64] {
            let (rows, names, _) = try await Self.read([(.csv, .train, csv)], LabelledTextOptions(), chunk: chunk)
            #expect(rows.map(\.0) == ["a goal, then\nanother \"great\" one", "plain text"])
            #expect(names == ["sports", "world"])
        }
    }

    @Test func tsvWithoutHeaderByIndexAndTabsInsideQuotes() async throws {
        let tsv = "some\ttext\t1\n\"tab\there\"\tmore\t0\n"
        let (rows, names, _) = try await Self.read([(.tsv, .test, tsv)], Self.indices(text: 0, label: 2))
        #expect(rows.map(\.0) == ["some", "tab\there"])
        #expect(rows.map(\.2) == [.test, .test])
        #expect(names == ["0", "1"])
    }

    @Test func jsonlByKeyWithStringAndNumberLabels() async throws {
        let jsonl = "{\"text\": \"line one\\nwith newline\", \"label\": \"b\"}\n\n{\"label\": 3, \"text\": \"x\"}\r\n{\"text\":\"y\",\"label\":\"a\"}"
        let (rows, names, _) = try await Self.read([(.jsonl, .train, jsonl)], LabelledTextOptions())
        #expect(rows.map(\.0) == ["line one\nwith newline", "x", "y"])
        #expect(names == ["3", "a", "b"])   // not all integers: byte-wise order
    }

    @Test func integerLabelsSortNumericallyAndClassNamesFixTheOrder() async throws {
        let csv = "10,a\n2,b\n1,c\n"
        let (_, names, _) = try await Self.read([(.csv, .train, csv)], Self.indices(text: 1, label: 0))
        #expect(names == ["1", "2", "10"])
        var o = Self.indices(text: 1, label: 0); o.classNames = ["10", "2", "1"]
        let (rows, fixed, _) = try await Self.read([(.csv, .train, csv)], o)
        #expect(fixed == ["10", "2", "1"])
        #expect(rows.map(\.1) == [0, 1, 2])
    }

    @Test func headerColumnsByNameAndAMissingNameIsAnError() async throws {
        var o = LabelledTextOptions(); o.textColumn = .name("body"); o.labelColumn = .name("topic")
        let (rows, _, _) = try await Self.read([(.csv, .train, "id,topic,body\n1,x,hello\n")], o)
        #expect(rows.map(\.0) == ["hello"])
        await #expect(throws: InputError.self) { _ = try await Self.read([(.csv, .train, "id,kind,body\n1,x,hello\n")], o) }
    }

    @Test func aBadRowNamesFileAndLineOrIsSkippedAndCounted() async throws {
        let csv = "a,ok one\nb,\"never closed\nc,still inside\n"
        let wrong = "a,ok\nb,too,many\nc,fine\n"
        do {
            _ = try await Self.read([(.csv, .train, wrong)], Self.indices(text: 1, label: 0))
            Issue.record("a row with 3 fields among 2-field rows was accepted")
        } catch let e as InputError {
            #expect("\(e)".contains("f0.csv:2"), "\(e)")
            #expect("\(e)".contains("3 fields, expected 2"), "\(e)")
        }
        var o = Self.indices(text: 1, label: 0); o.onBadRow = .skip
        let (rows, _, reader) = try await Self.read([(.csv, .train, wrong)], o)
        #expect(rows.map(\.0) == ["ok", "fine"])
        #expect(reader.badRows == 1)
        #expect(reader.badRowExamples.first?.hasPrefix("f0.csv:2") == true)
        do {
            _ = try await Self.read([(.csv, .train, csv)], Self.indices(text: 1, label: 0))
            Issue.record("an unclosed quote was accepted")
        } catch let e as InputError {
            #expect("\(e)".contains("f0.csv:2"), "\(e)")
            #expect("\(e)".contains("not closed"), "\(e)")
        }
    }

    @Test func emptyLabelsJSONErrorsAndUnknownClassesAreBadRows() async throws {
        await #expect(throws: InputError.self) { _ = try await Self.read([(.csv, .train, " ,text\n")], Self.indices(text: 1, label: 0)) }
        await #expect(throws: InputError.self) { _ = try await Self.read([(.jsonl, .train, "{\"text\": \"x\"\n")], LabelledTextOptions()) }
        await #expect(throws: InputError.self) { _ = try await Self.read([(.jsonl, .train, "{\"text\": \"x\"}\n")], LabelledTextOptions()) }
        var o = Self.indices(text: 1, label: 0); o.classNames = ["a", "b"]
        await #expect(throws: InputError.self) { _ = try await Self.read([(.csv, .train, "a,x\nc,y\n")], o) }
    }

    @Test func moreLabelsThanMaxClassesIsAnError() async throws {
        var o = Self.indices(text: 1, label: 0); o.maxClasses = 3
        let csv = (0..<5).map { "l\($0),t" }.joined(separator: "\n")
        do {
            _ = try await Self.read([(.csv, .train, csv)], o)
            Issue.record("5 labels accepted with max_classes 3")
        } catch let e as InputError {
            #expect("\(e)".contains("text.max_classes"), "\(e)")
            #expect("\(e)".contains("f0.csv:4"), "\(e)")
        }
    }

    @Test func longTextsAreCutAtAUTF8BoundaryAndCounted() async throws {
        var o = Self.indices(text: 1, label: 0); o.maxTextBytes = 64
        let long = String(repeating: "é", count: 100)   // 200 bytes
        let (rows, _, reader) = try await Self.read([(.csv, .train, "a,\(long)\nb,short\n")], o)
        #expect(rows[0].0.utf8.count == 64)
        #expect(rows[0].0 == String(repeating: "é", count: 32))
        #expect(reader.textsCut == 1)
        // JSONL lines beyond the line bound are bad rows, never held whole.
        var j = LabelledTextOptions(); j.maxTextBytes = 64; j.onBadRow = .skip
        let huge = "{\"text\": \"" + String(repeating: "x", count: JSONLineSplitter.lineLimit(maxTextBytes: 64) + 10) + "\", \"label\": \"a\"}\n{\"text\": \"ok\", \"label\": \"a\"}\n"
        let (jr, _, jreader) = try await Self.read([(.jsonl, .train, huge)], j, chunk: 4096)
        #expect(jr.map(\.0) == ["ok"])
        #expect(jreader.badRows == 1)
    }

    @Test func directoryClassesAreFoldersSplitFoldersDecideTheSplitOthersAreIgnored() async throws {
        let entries = [
            DataEntry(path: "data/train/sports/1.txt", data: Array("goal".utf8)),
            DataEntry(path: "data/train/world/2.txt", data: Array("summit".utf8)),
            DataEntry(path: "data/test/world/3.txt", data: Array("talks".utf8)),
            DataEntry(path: "data/train/world/notes.md", data: Array("ignored: not .txt".utf8)),
            DataEntry(path: "data/README.txt", data: Array("no class folder".utf8)),
        ]
        let t = try LabelledTextTokenizer(collectingWith: LabelledTextOptions())
        try await t.addEntries(Entries(items: entries), format: .directory, split: nil, source: "data.tar.gz")
        let rows = t.collected!
        #expect(rows.map { String(decoding: $0.text, as: UTF8.self) } == ["goal", "summit", "talks", "no class folder"])
        #expect(t.labels.finish().names == ["data", "sports", "world"])   // README.txt's parent folder "data" is a class, as its own folder
        var o = LabelledTextOptions(); o.classNames = ["world", "sports"]
        let named = try LabelledTextTokenizer(collectingWith: o)
        try await named.addEntries(Entries(items: entries), format: .directory, split: nil, source: "data.tar.gz")
        #expect(named.collected!.map(\.label) == [1, 0, 0])
        #expect(named.collected!.map(\.split) == [.train, .train, .test])
        #expect(named.ignoredFiles == 1)
    }

    @Test func autoOnEntriesTellsAclImdbFromFolders() async throws {
        var o = LabelledTextOptions(); o.labelFrom = .rating
        let t = try LabelledTextTokenizer(collectingWith: o)
        try await t.addEntries(Entries(items: [DataEntry(path: "aclImdb/train/pos/1_10.txt", data: Array("great".utf8)),
                                               DataEntry(path: "aclImdb/train/neg/2_2.txt", data: Array("bad".utf8)),
                                               DataEntry(path: "aclImdb/test/pos/3_8.txt", data: Array("fine".utf8))]),
                               format: .auto, split: nil, source: "x")
        #expect(t.formats == [.aclimdb])
        #expect(t.labels.finish().names == ["2", "8", "10"])
    }

    @Test func preparedFilesRecordClassNamesAndSortRowsByClass() async throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        var o = Self.indices(text: 1, label: 0)
        o.labelMode = .int
        let t = try LabelledTextTokenizer(standardization: TextStandardization(), options: o, spillDirectory: dir)
        try await t.addRecords(Chunks([Array("b,beta words\na,alpha words\nc,gamma\n".utf8)]), format: .csv, split: .train, source: "t.csv")
        let tokenized = try t.finish()
        #expect(tokenized.classNames == ["a", "b", "c"])
        var p = ImdbPrepareOptions(); p.shuffle = false; p.maxlen = 4
        let r = try tokenized.prepare(into: dir, options: p)
        #expect(r.classNames == ["a", "b", "c"])
        let meta = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/meta.json"))))
        #expect(meta["class_names"] == .array([.string("a"), .string("b"), .string("c")]))
        #expect(meta["text_format"] == .string("csv"))
        let ds = try EncodedDataset.load(directory: dir, split: .train)
        #expect(ds.y == [0, 1, 2])
    }

    @Test func binaryLabelModeNeedsTwoClasses() async throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        var o = Self.indices(text: 1, label: 0); o.labelMode = .binary
        let t = try LabelledTextTokenizer(standardization: TextStandardization(), options: o, spillDirectory: dir)
        try await t.addRecords(Chunks([Array("a,x\nb,y\nc,z\n".utf8)]), format: .csv, split: .train, source: "t.csv")
        #expect(throws: InputError.self) { _ = try t.finish() }
    }
}
