import Crypto
import Foundation
import PipelineCore
import Testing
@testable import PipelineIO

/// swift-crypto's `SHA256`, as ``ChecksumHasher`` and the cache names use it, with the ``Swift/Sequence/hex`` form.
@Suite struct SHA256Tests {
    // FIPS 180-2, appendix B, and the empty message.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func fipsVectors(message: String, expected: String) {
        #expect(SHA256.hash(data: Array(message.utf8)).hex == expected)
    }

    @Test func millionAs() {
        var h = SHA256()
        let block = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { h.update(data: block) }
        #expect(h.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Every padding boundary (55/56/63/64 bytes…) and every split gives the one-shot digest.
    @Test func splitsDoNotMatter() {
        let data = TestFiles.bytes(300)
        for length in [55, 56, 57, 63, 64, 65, 119, 120, 128, 300] {
            let whole = SHA256.hash(data: Array(data[..<length]))
            for cut in [0, 1, 31, 63, 64, 65, length] where cut <= length {
                var h = SHA256()
                h.update(data: Array(data[..<cut])); h.update(data: Array(data[cut..<length]))
                #expect(h.finalize() == whole, "length \(length) cut \(cut)")
            }
        }
    }

    @Test func finalizeLeavesStateUsable() {
        var h = SHA256()
        h.update(data: Array("ab".utf8))
        _ = h.finalize()
        h.update(data: Array("c".utf8))
        #expect(h.finalize().hex == SHA256.hash(data: Array("abc".utf8)).hex)
    }

    /// A real file against the digest published in shared/data/SHA256SUMS.
    @Test(.requiresSharedData(TestFiles.sharedData("SHA256SUMS")),
          .requiresSharedData(TestFiles.sharedData("mpi-roof-2024.csv")))
    func matchesPublishedChecksum() throws {
        let sums = try String(contentsOfFile: TestFiles.sharedData("SHA256SUMS"), encoding: .utf8)
        let line = try #require(sums.split(separator: "\n").first { $0.hasSuffix("mpi-roof-2024.csv") })
        let expected = String(line.prefix(64))
        let bytes = try TestFiles.read(TestFiles.sharedData("mpi-roof-2024.csv"))
        #expect(SHA256.hash(data: bytes).hex == expected)
    }
}
