import PipelineCore
import Testing
@testable import PipelineIO

@Suite struct AsyncGunzipSequenceTests {
    /// Compressible but not trivial: text-like bytes.
    static let plain: [UInt8] = TestFiles.bytes(300_000).map { 97 + $0 % 7 }

    @Test(arguments: [1, 100, 4096, 1 << 20])
    func roundTripWhateverTheInputChunks(inputChunk: Int) async throws {
        let gz = try await TestFiles.gzip(Self.plain)
        let chunks = try await TestFiles.chunked(gz, size: inputChunk).gunzipped(chunkSize: 65_536).collect()
        #expect(chunks.flatMap { $0 } == Self.plain)
        #expect(chunks.dropLast().allSatisfy { $0.count == 65_536 })
    }

    @Test func concatenatedMembersAndZeroPadding() async throws {
        let a = Array("first member\n".utf8), b = TestFiles.bytes(5000)
        let gz = try await TestFiles.gzip(a) + TestFiles.gzip(b) + [0, 0, 0, 0]
        let out = try await TestFiles.chunked(gz, size: 7).gunzipped().collect().flatMap { $0 }
        #expect(out == a + b)
    }

    @Test func truncatedInputNamesSourceAndOffset() async throws {
        let gz = try await TestFiles.gzip(Self.plain)
        let cut = gz.count / 2
        let error = await errorOf {
            _ = try await TestFiles.chunked(Array(gz[..<cut]), size: 1000).gunzipped(source: "train.tar.gz").collect()
        }
        let failure = try #require(error as? IOFailure)
        #expect(failure.path == "train.tar.gz")
        #expect(failure.message.contains("truncated") && failure.message.contains("offset \(cut)"))
    }

    @Test func corruptAndNonGzipInput() async throws {
        var gz = try await TestFiles.gzip(Self.plain)
        for i in 100..<140 { gz[i] ^= 0x5A }
        let corrupt = await errorOf { _ = try await TestFiles.chunked(gz, size: 512).gunzipped(source: "c.gz").collect() }
        #expect("\(corrupt!)".contains("c.gz") && "\(corrupt!)".contains("offset"))

        let text = await errorOf { _ = try await TestFiles.chunked(Array("plain text".utf8), size: 4).gunzipped(source: "t").collect() }
        #expect("\(text!)".contains("corrupt gzip data"))

        let empty = await errorOf { _ = try await ChunkList(chunks: []).gunzipped(source: "e.gz").collect() }
        #expect("\(empty!)".contains("empty"))
    }

    @Test func upstreamErrorsPassThrough() async throws {
        let gz = try await TestFiles.gzip(Self.plain)
        let failing = ChunkList(chunks: [Array(gz[..<100])], failure: IOFailure("network down", path: "u"))
        let error = await errorOf { _ = try await failing.gunzipped().collect() }
        #expect((error as? IOFailure)?.message == "network down")
    }

    /// The real IMDB archive decompresses to exactly what gzip(1) produces.
    @Test(.requiresSharedData(TestFiles.sharedData("aclImdb-train.tar.gz")))
    func realArchiveMatchesGzipTool() async throws {
        let path = TestFiles.sharedData("aclImdb-train.tar.gz")
        let expected = try await TestFiles.run(["gzip", "-dc", path])
        var out: [UInt8] = []
        out.reserveCapacity(expected.count)
        for try await chunk in FileChunks(path: path).gunzipped(source: path) { out += chunk }
        #expect(out.count == expected.count)
        #expect(out == expected)
    }
}
