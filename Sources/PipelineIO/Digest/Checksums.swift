import Crypto
import PipelineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The digests a file is expected to have: SHA-256 and/or MD5, as hexadecimal strings.
///
/// ```swift
/// let expected = Checksums(sha256: "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe")
/// try expected.validate()                        // InputError if not 64 hex digits
/// var hasher = expected.hasher(); hasher.update(bytes)
/// try hasher.verify(source: "aclImdb_v1.tar.gz") // ChecksumMismatch if different
/// ```
///
/// Semantics: hex is compared case-insensitively; a `nil` digest is not checked, so
/// `Checksums()` accepts anything. The digests are swift-crypto's `SHA256` and `Insecure.MD5`
/// (BoringSSL on Linux, CryptoKit on Apple platforms). Cost of checking: SHA-256 ≈ 0.7 ns/byte (SHA-NI),
/// MD5 ≈ 1.7 ns/byte (measured on x86-64 Linux).
public struct Checksums: Sendable, Equatable {
    public var sha256: String?
    public var md5: String?

    public init(sha256: String? = nil, md5: String? = nil) {
        self.sha256 = sha256?.lowercased(); self.md5 = md5?.lowercased()
    }

    /// True when no digest is given (nothing is checked).
    public var isEmpty: Bool { sha256 == nil && md5 == nil }

    /// Throws ``InputError`` (field `sha256` or `md5`) when a digest is not hexadecimal of the right length.
    public func validate() throws {
        for (field, value, length) in [("sha256", sha256, 64), ("md5", md5, 32)] {
            guard let value else { continue }
            if value.utf8.count != length || !value.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) {
                throw InputError("must be \(length) hexadecimal digits", field: field, value: value)
            }
        }
    }

    /// A hasher computing exactly the digests this value checks.
    public func hasher() -> ChecksumHasher { ChecksumHasher(expected: self) }

    /// Hashes the file at `path` (1 MiB reads) and throws ``ChecksumMismatch`` if it differs.
    /// Throws ``IOFailure`` when the file cannot be read.
    public func verify(file path: String) throws {
        guard !isEmpty else { return }
        var h = hasher()
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IOFailure("cannot open: \(String(cString: strerror(errno)))", path: path) }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress!, buffer.count)
            if n < 0 { if errno == EINTR { continue }; throw IOFailure("read failed: \(String(cString: strerror(errno)))", path: path) }
            if n == 0 { break }
            h.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        try h.verify(source: path)
    }
}

/// Computes the digests a ``Checksums`` asks for, incrementally, and compares them at the end.
public struct ChecksumHasher: Sendable {
    public let expected: Checksums
    private var sha: SHA256?
    private var md: Insecure.MD5?

    init(expected: Checksums) {
        self.expected = expected
        sha = expected.sha256 == nil ? nil : SHA256()
        md = expected.md5 == nil ? nil : Insecure.MD5()
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        sha?.update(bufferPointer: bytes); md?.update(bufferPointer: bytes)
    }

    public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// Throws ``ChecksumMismatch`` naming `source` if a computed digest differs from the expected one.
    public func verify(source: String) throws {
        if let want = expected.sha256, let got = sha?.finalize().hex, got != want {
            throw ChecksumMismatch(source: source, algorithm: "sha256", expected: want, actual: got)
        }
        if let want = expected.md5, let got = md?.finalize().hex, got != want {
            throw ChecksumMismatch(source: source, algorithm: "md5", expected: want, actual: got)
        }
    }
}

/// Downloaded or cached bytes whose digest is not the one expected.
///
/// Message: `https://…/x.tar.gz: sha256 mismatch: expected c40f…, got 9a1b… (…hint…)`.
/// Whoever throws it has already removed the bad file: nothing is left under the final name.
public struct ChecksumMismatch: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var algorithm: String
    public var expected: String
    public var actual: String
    public var description: String {
        "\(source): \(algorithm) mismatch: expected \(expected), got \(actual) (the bytes were discarded; "
            + "check the checksum in your spec, or the URL: the server may now serve a different file)"
    }
}
