import Crypto
import PipelineCore
import Testing
@testable import PipelineIO

/// swift-crypto's `Insecure.MD5`, as ``ChecksumHasher`` uses it, with the ``Swift/Sequence/hex`` form.
@Suite struct MD5Tests {
    // RFC 1321, appendix A.5.
    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func rfcVectors(message: String, expected: String) {
        #expect(Insecure.MD5.hash(data: Array(message.utf8)).hex == expected)
    }

    @Test func splitsDoNotMatter() {
        let data = TestFiles.bytes(200, seed: 7)
        let whole = Insecure.MD5.hash(data: data)
        for cut in [1, 55, 56, 64, 100, 199] {
            var h = Insecure.MD5()
            h.update(data: Array(data[..<cut])); h.update(data: Array(data[cut...]))
            #expect(h.finalize() == whole, "cut \(cut)")
        }
    }

    /// Cross-check with md5sum(1) on a buffer spanning many blocks.
    @Test func agreesWithMd5sum() async throws {
        let data = TestFiles.bytes(100_003, seed: 11)
        let dir = try TestFiles.temporaryDirectory("md5")
        try TestFiles.write(data, to: dir + "/x")
        let out = String(decoding: try await TestFiles.run(["md5sum", dir + "/x"]), as: UTF8.self)
        #expect(Insecure.MD5.hash(data: data).hex == String(out.prefix(32)))
    }
}
