import Foundation
import PipelineCore
import Testing
@testable import PipelineText

@Suite struct TokenizedReviewsTests {
    static let entries = ImdbPreparationTests.entries

    static func bytes(_ dir: String, _ name: String) throws -> [UInt8] { try WholeFile.read(dir + "/" + name) }

    /// The stages, composed by hand, write what `prepareImdb` writes, byte for byte; and the rows
    /// match the in-memory path (EncodedDataset(reviews:vocabulary:)) in the seeded order.
    @Test func stagesWriteWhatPrepareImdbWrites() async throws {
        var options = ImdbPreparationTests.options(shuffle: true, maxlen: 5)
        options.seed = 9
        let a = try TestSupport.temporaryDirectory(), b = try TestSupport.temporaryDirectory()
        let ra = try await prepareImdb(source: ArraySource(items: Self.entries), into: a, options: options)
        let tokenized = try await ArraySource(items: Self.entries).aclImdbReviews()
            .tokenized(options.standardization, spillDirectory: b)
        #expect(tokenized.count(.train) == 4 && tokenized.count(.test) == 2 && tokenized.cutTokens == 0)
        let rb = try tokenized.prepare(into: b, options: options)
        for name in ["x_train.npy", "y_train.npy", "x_test.npy", "y_test.npy", "vocab.json", "meta.json"] {
            #expect(try Self.bytes(a, name) == Self.bytes(b, name), "\(name)")
        }
        #expect(ra.splits == rb.splits && ra.vocabulary.words == rb.vocabulary.words && ra.vocabulary.hash == rb.vocabulary.hash)

        var reviews = ImdbPreparationTests.reviews(.train)
        var rng = SeededRandom(seed: 9, stage: "imdb-train")
        reviews.shuffle(using: &rng)
        let expected = EncodedDataset(reviews: reviews, vocabulary: rb.vocabulary, maxlen: 5)
        #expect(try EncodedDataset.load(directory: b, split: .train) == expected)
    }

    /// `aclImdbReviews(splits:)` still chooses the reviews: a train-only tokenization writes no test arrays.
    @Test func splitsOfTheReviewStageAreKept() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let tokenized = try await ArraySource(items: Self.entries).aclImdbReviews(splits: [.train])
            .tokenized(spillDirectory: dir)
        #expect(tokenized.count(.test) == 0)
        let r = try tokenized.prepare(into: dir, options: ImdbPreparationTests.options())
        #expect(r.splits.map(\.split) == [.train])
    }

    @Test func refusesAnotherStandardizationAndTestOnlySources() async throws {
        let dir = try TestSupport.temporaryDirectory()
        let tokenized = try await ArraySource(items: Self.entries).aclImdbReviews().tokenized(spillDirectory: dir)
        var options = ImdbPreparationTests.options()
        options.standardization.maxTokenBytes = 64
        #expect(throws: InputError.self) { try tokenized.prepare(into: dir, options: options) }
        let testOnly = try await ArraySource(items: Self.entries).aclImdbReviews(splits: [.test]).tokenized(spillDirectory: dir)
        do { _ = try testOnly.prepare(into: dir, options: ImdbPreparationTests.options()); Issue.record("no error") } catch {
            #expect("\(error)".contains("no training reviews"))
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }
        #expect(left.isEmpty, "\(left)")
    }
}
