import Crypto
import PipelineCore
import Testing
@testable import PipelineIO

@Suite struct ChecksumsTests {
    @Test func validateRejectsBadHex() throws {
        #expect(throws: InputError.self) { try Checksums(sha256: "abc").validate() }
        #expect(throws: InputError.self) { try Checksums(md5: String(repeating: "g", count: 32)).validate() }
        try Checksums(sha256: String(repeating: "A", count: 64), md5: String(repeating: "0", count: 32)).validate()
    }

    @Test func mismatchNamesBothDigests() throws {
        let data = Array("hello".utf8)
        let right = SHA256.hash(data: data).hex
        let wrong = String(repeating: "0", count: 64)
        var h = Checksums(sha256: wrong).hasher()
        h.update(data)
        let error = try #require(throws: ChecksumMismatch.self) { try h.verify(source: "x.bin") }
        #expect(error.expected == wrong && error.actual == right)
        #expect("\(error)".contains(wrong) && "\(error)".contains(right) && "\(error)".contains("x.bin"))
        var ok = Checksums(sha256: right.uppercased(), md5: Insecure.MD5.hash(data: data).hex).hasher()
        ok.update(data)
        try ok.verify(source: "x.bin")
    }

    @Test func verifiedSequenceThrowsAfterTheLastChunk() async throws {
        let data = TestFiles.bytes(10_000)
        let good = TestFiles.chunked(data, size: 3000).verified(Checksums(md5: Insecure.MD5.hash(data: data).hex), source: "s")
        #expect(try await good.collect().flatMap { $0 } == data)

        var seen = 0
        let bad = TestFiles.chunked(data, size: 3000).verified(Checksums(md5: String(repeating: "1", count: 32)), source: "s")
        let error = await errorOf { for try await c in bad { seen += c.count } }
        #expect(error is ChecksumMismatch)
        #expect(seen == data.count)
    }
}
