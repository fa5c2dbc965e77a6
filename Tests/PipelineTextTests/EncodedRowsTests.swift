import PipelineCore
import Testing
@testable import PipelineText

@Suite struct EncodedRowsTests {
    static let data = EncodedDataset(x: (0..<40).map(Int32.init), y: (0..<20).map { Int32($0 % 3 == 0 ? 1 : 0) }, maxlen: 2)

    /// The batches a gather of `order` gives, written out row by row (the trainer's input).
    static func gathered(_ order: [Int], size: Int) -> [Batch] {
        stride(from: 0, to: order.count, by: size).map { start in
            let rows = order[start..<min(order.count, start + size)]
            return Batch(x: rows.flatMap { r in [Float(2 * r), Float(2 * r + 1)] }, xShape: [rows.count, 2],
                         y: rows.map { Float(data.y[$0]) }, yShape: [rows.count, 1], sampleOffset: start)
        }
    }

    static func collect(_ s: EncodedBatchSequence) async throws -> [Batch] {
        var out: [Batch] = []
        for try await b in s { out.append(b) }
        return out
    }

    /// `pipeline run`'s composition: a uniform permutation of the range from
    /// SeededRandom(seed, stage: "batches", epoch), gathered into batches in that order.
    @Test func shuffledBatchesArePermutationGathers() async throws {
        let range = 3..<17
        var rng = SeededRandom(seed: 11, stage: "batches", epoch: 4)
        var order = Array(range)
        order.shuffle(using: &rng)
        let got = try await Self.collect(Self.data.rows(range).shuffled(seed: 11, epoch: 4).batched(size: 4))
        #expect(got == Self.gathered(order, size: 4))
        // The shorthand is the same composition.
        #expect(try await Self.collect(Self.data.batches(batchSize: 4, shuffle: true, seed: 11, epoch: 4, range: range)) == got)
        #expect(Self.data.rows(range).shuffled(seed: 11, epoch: 5).order != order)
    }

    @Test func unshuffledRowsKeepTheirOrderAndDropTheRemainderOnRequest() async throws {
        let plain = try await Self.collect(Self.data.rows().batched(size: 6))
        #expect(plain == Self.gathered(Array(0..<20), size: 6))
        let dropped = Self.data.rows(0..<20).batched(size: 6, dropRemainder: true)
        #expect(try await Self.collect(dropped).map(\.size) == [6, 6, 6])
        #expect(dropped.batchCount == 3 && Self.data.rows().batched(size: 6).batchCount == 4)
    }
}
