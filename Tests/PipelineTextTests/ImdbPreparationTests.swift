import Foundation
import PipelineCore
import Testing
@testable import PipelineText

@Suite struct ImdbPreparationTests {
    static let entries: [DataEntry] = [
        TestSupport.entry("aclImdb/README", "not a review"),
        TestSupport.entry("aclImdb/imdb.vocab", "the\nfilm"),
        TestSupport.entry("aclImdb/train/pos/10_9.txt", "A great film.<br />Great acting!"),
        TestSupport.entry("aclImdb/train/neg/3_1.txt", "A bad film, bad acting, bad plot."),
        TestSupport.entry("aclImdb/train/urls_pos.txt", "http://x"),
        TestSupport.entry("aclImdb/train/unsup/1_0.txt", "unsupervised words never counted"),
        TestSupport.entry("aclImdb/train/pos/2_8.txt", "Great plot; great fun."),
        TestSupport.entry("aclImdb/train/neg/1_4.txt", ""),
        TestSupport.entry("aclImdb/test/pos/5_10.txt", "Great film with testonlyword"),
        TestSupport.entry("aclImdb/test/neg/6_2.txt", "bad bad"),
    ]

    static func reviews(_ split: ReviewSplit) -> [Review] {
        entries.compactMap { e in
            guard let p = try? AclImdbPath.parse(e.path), p.split == split else { return nil }
            return Review(text: String(decoding: e.data, as: UTF8.self), label: p.label, split: split, id: p.id, rating: p.rating)
        }.sorted { ($0.label, $0.id) < ($1.label, $1.id) }
    }

    static func options(shuffle: Bool = false, maxlen: Int? = 6) -> ImdbPrepareOptions {
        var o = ImdbPrepareOptions(); o.shuffle = shuffle; o.maxlen = maxlen; o.index = .imdb(numWords: 8)
        return o
    }

    @Test func writesKerasShapedArraysInLabelIdOrder() async throws {
        let dir = try TestSupport.temporaryDirectory() + "/out/nested"
        let r = try await prepareImdb(source: ArraySource(items: Self.entries), into: dir, options: Self.options(),
                                      provenance: .init(specHash: "spec123", sourceChecksum: "sha-abc", toolVersion: "0.1.0"))
        // Vocabulary: the training split only (no unsup, no test-only words).
        let b = VocabularyBuilder()
        Self.reviews(.train).forEach { b.add($0.text) }
        #expect(r.vocabulary.words == b.vocabulary(index: .imdb()).words)
        #expect(!r.vocabulary.words.contains("testonlyword") && !r.vocabulary.words.contains("unsupervised"))
        #expect(r.distinctWords == r.vocabulary.words.count)
        for split in ReviewSplit.allCases {
            let data = try EncodedDataset.load(directory: dir, split: split)
            let expected = EncodedDataset(reviews: Self.reviews(split), vocabulary: r.vocabulary, maxlen: 6)
            #expect(data == expected, "\(split)")
        }
        #expect(r.splits.map(\.count) == [4, 2])
        #expect(r.splits[0].labelCounts == [0: 2, 1: 2])
        #expect(r.splits[0].truncated == 1)   // "a bad film, bad acting, bad plot": 1 + 7 ids
        let (ys, _): ([Int], [Int32]) = try NpyFile.read(dir + "/y_train.npy")
        #expect(ys == [4])
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/meta.json"))) as! [String: Any]
        #expect(meta["spec_hash"] as? String == "spec123")
        #expect(meta["source_checksum"] as? String == "sha-abc")
        #expect(meta["tool_version"] as? String == "0.1.0")
        #expect(meta["vocabulary_hash"] as? String == "fnv1a64:" + r.vocabulary.hash)
        let train = (meta["splits"] as! [String: Any])["train"] as! [String: Any]
        #expect(train["labels"] as? [String: Int] == ["0": 2, "1": 2])
        #expect(try Vocabulary.load(from: dir + "/vocab.json").hash == r.vocabulary.hash)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(left == ["meta.json", "vocab.json", "x_test.npy", "x_train.npy", "y_test.npy", "y_train.npy"])
    }

    @Test func outputDoesNotDependOnArchiveOrderAndShuffleIsSeeded() async throws {
        func run(_ entries: [DataEntry], seed: UInt64) async throws -> EncodedDataset {
            let dir = try TestSupport.temporaryDirectory()
            var o = Self.options(shuffle: true, maxlen: nil); o.seed = seed
            _ = try await prepareImdb(source: ArraySource(items: entries), into: dir, options: o)
            return try EncodedDataset.load(directory: dir, split: .train)
        }
        let a = try await run(Self.entries, seed: 1), b = try await run(Self.entries.reversed(), seed: 1)
        #expect(a == b)
        var rowsA = (0..<a.count).map { Array(a.row($0)) + [a.y[$0]] }
        let c = try await run(Self.entries, seed: 2)
        var rowsC = (0..<c.count).map { Array(c.row($0)) + [c.y[$0]] }
        rowsA.sort { $0.lexicographicallyPrecedes($1) }; rowsC.sort { $0.lexicographicallyPrecedes($1) }
        #expect(rowsA == rowsC)   // a permutation of the same rows
        let v = try Vocabulary(words: VocabularyBuilderTestsHelper.words(Self.reviews(.train)), index: .imdb(numWords: 8))
        #expect(a.maxlen == Self.reviews(.train).map { v.encode(text: $0.text).count }.max())
    }

    @Test func hugeReviewsAndHugeWords() async throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.remove(dir) }
        let giantWord = String(repeating: "x", count: 10_000_000)
        let entries = [TestSupport.entry("aclImdb/train/pos/1_9.txt", String(repeating: "word ", count: 2_000_000)),
                       TestSupport.entry("aclImdb/train/neg/2_1.txt", giantWord + " word")]
        var o = ImdbPrepareOptions(); o.shuffle = false; o.maxlen = 3
        let r = try await prepareImdb(source: ArraySource(items: entries), into: dir, options: o)
        // The 10 MB word is cut to text.max_token_bytes (1,024 bytes) and counted, not held whole.
        #expect(r.vocabulary.words == ["word", String(repeating: "x", count: 1024)])
        #expect(r.tokensCut == 1)
        #expect(r.splits[0].tokens == 2_000_002)
        let d = try EncodedDataset.load(directory: dir, split: .train)
        #expect(Array(d.row(0)) == [1, 5, 4] && Array(d.row(1)) == [4, 4, 4])
    }

    @Test func failuresAreExplained() async throws {
        let dir = try TestSupport.temporaryDirectory()
        await #expect(throws: InputError.self) {
            _ = try await prepareImdb(source: ArraySource(items: [TestSupport.entry("aclImdb/test/pos/1_9.txt", "x")]), into: dir)
        }
        do {
            _ = try await prepareImdb(source: ArraySource(items: [TestSupport.entry("aclImdb/train/pos/x9.txt", "x")]), into: dir)
            Issue.record("no error")
        } catch { #expect("\(error)".contains("aclImdb/train/pos/x9.txt")) }
        var o = ImdbPrepareOptions(); o.maxlen = -1
        do {
            _ = try await prepareImdb(source: ArraySource(items: Self.entries), into: dir, options: o)
        } catch { #expect("\(error)".contains("maxlen") && "\(error)".contains("-1")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    enum VocabularyBuilderTestsHelper {
        static func words(_ reviews: [Review]) -> [String] {
            let b = VocabularyBuilder(); reviews.forEach { b.add($0.text) }
            return b.vocabulary(index: .imdb()).words
        }
    }

    /// The real 25,000-review training archive, extracted with tar; numpy checks the files.
    @Test(.requiresSharedData(TestSupport.archivePath))
    func realArchive() async throws {
        let root = try TestSupport.extractArchive()
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.remove(root); TestSupport.remove(dir) }
        let paths = TestSupport.files(under: root)
        #expect(paths.contains("aclImdb/imdb.vocab"))
        let r = try await prepareImdb(source: FileEntries(root: root, paths: paths), into: dir)
        #expect(r.splits.count == 1)
        #expect(r.splits[0].count == 25_000)
        #expect(r.splits[0].labelCounts == [0: 12_500, 1: 12_500])
        #expect(Array(r.vocabulary.words.prefix(3)) == ["the", "and", "a"])
        let data = try EncodedDataset.load(directory: dir, split: .train)
        #expect(data.x.allSatisfy { $0 >= 0 && $0 < 10_000 && $0 != 3 })
        // The documented order: by label then id, shuffled with SeededRandom(113, "imdb-train").
        // Every 125th row equals its review encoded on its own with the saved vocabulary.
        var reviews = paths.compactMap { p in (try? AclImdbPath.parse(p)).flatMap { $0 }.map { (p, $0) } }
        reviews.sort { ($0.1.label, $0.1.id) < ($1.1.label, $1.1.id) }
        var rng = SeededRandom(seed: 113, stage: "imdb-train")
        reviews.shuffle(using: &rng)
        let vocab = try Vocabulary.load(from: dir + "/vocab.json")
        for k in stride(from: 0, to: 25_000, by: 125) {
            let text = try String(contentsOfFile: root + "/" + reviews[k].0, encoding: .utf8)
            #expect(Array(data.row(k)) == padSequences([vocab.encode(text: text)], maxlen: 500).values, "\(reviews[k].0)")
            #expect(Int(data.y[k]) == reviews[k].1.label)
        }
        let (status, out) = try TestSupport.python("""
            import numpy as np
            x = np.load('\(dir)/x_train.npy'); y = np.load('\(dir)/y_train.npy')
            assert x.shape == (25000, 500) and x.dtype == np.int32, (x.shape, x.dtype)
            assert y.shape == (25000,) and y.dtype == np.int32, (y.shape, y.dtype)
            assert int(y.sum()) == 12500 and set(np.unique(y)) == {0, 1}
            assert x.max() == 9999 and x.min() == 0
            print('ok', x.shape, y.shape)
            """)
        #expect(status == 0, "\(out)")
    }
}
