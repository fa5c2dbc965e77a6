import Foundation
import PipelineCore
import Testing
@testable import PipelineIO

/// Cache file names come from a hash of the URL: nothing is written outside the cache folder,
/// whatever the URL holds.
@Suite struct CacheLocationTests {
    static let hostile = [
        "http://../escape.tar.gz", "http://h/../../x", "http://h/%2e%2e/x", "http://h/%2e%2e", "http://h/..",
        "http://h/a/..", "http://./x", "http://h//..//..//etc/passwd", "http://h/x%2f..%2f..%2fy", "http://h/.",
        "http://h/x\u{0}y.tar.gz", "http://h/\u{0}", "http://h/../", "http://h/?/../../q", "http://h/#/../../f",
        "http://h/" + String(repeating: "a", count: 5_000) + ".tar.gz", "http://h/" + String(repeating: "../", count: 300),
        "http://" + String(repeating: "é", count: 3_000) + "/x", "http://h/~/.ssh/id_rsa", "http://h\\..\\..\\x",
    ]

    /// `dir/name` resolved (`..` and `.` folded) without touching the disk.
    func resolved(_ path: String) -> String { (path as NSString).standardizingPath }

    @Test func hostileURLsStayInsideTheCacheFolder() throws {
        let cache = "/tmp/pipeline-cache-test/c"
        var names = Set<String>()
        for url in Self.hostile {
            let path = try CacheLocation.path(for: url, cacheDirectory: cache)
            let name = String(path.dropFirst(cache.count + 1))
            #expect(path.hasPrefix(cache + "/") && !name.contains("/") && !name.contains("\u{0}"), "\(url.prefix(80)) → \(path)")
            #expect(!name.hasPrefix(".") && name.utf8.count <= 16 + 1 + CacheLocation.maxNameLength, "\(path)")
            #expect(resolved(path + ".part") == cache + "/" + name + ".part", "\(path)")
            #expect(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }, "\(name)")
            names.insert(name)
        }
        #expect(names.count == Self.hostile.count)   // distinct URLs, distinct files
    }

    @Test func nameKeepsARecognizableSuffix() throws {
        let p = try CacheLocation.path(for: "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz", cacheDirectory: "/c/")
        let name = String(p.dropFirst(3))
        #expect(p.hasPrefix("/c/") && name.hasSuffix("-aclImdb_v1.tar.gz") && name.count == 16 + 1 + 17)
        #expect(name.prefix(16).allSatisfy { $0.isHexDigit })
        let long = try CacheLocation.path(for: "http://h/" + String(repeating: "b", count: 5_000) + ".csv.gz", cacheDirectory: "/c")
        #expect(long.hasSuffix("bbb.csv.gz") && long.count == 3 + 16 + 1 + CacheLocation.maxNameLength)
        #expect(try CacheLocation.path(for: "http://h/", cacheDirectory: "/c").hasSuffix("-index"))
        #expect(try CacheLocation.path(for: "http://h/get?id=1", cacheDirectory: "/c") != CacheLocation.path(for: "http://h/get?id=2", cacheDirectory: "/c"))
        #expect(try CacheLocation.path(for: "http://h/x#a", cacheDirectory: "/c") == CacheLocation.path(for: "http://h/x#b", cacheDirectory: "/c"))
        #expect(CacheLocation.displayName(for: "http://h/a/b\u{1B}[2Jc.zip?x=1") == "b?[2Jc.zip")
        #expect(throws: DownloadError.self) { try CacheLocation.path(for: "http:///x", cacheDirectory: "/c") }
    }

    /// End to end: each attempt creates its `.part` before connecting; after the (failed)
    /// attempts, the folder holding the cache contains only the cache.
    @Test func failedDownloadsOfHostileURLsWriteOnlyInsideTheCache() async throws {
        let root = try TestFiles.temporaryDirectory("cache-root")
        let cache = root + "/cache"
        var o = SourceOptions(cacheDirectory: cache, retries: 0, connectTimeout: .milliseconds(300),
                              readTimeout: .milliseconds(300), progress: .quiet)
        o.messages = { _ in }
        for url in ["http://../escape.tar.gz", "http://127.0.0.1:9/../../x", "http://127.0.0.1:9/%2e%2e/x",
                    "http://127.0.0.1:9/" + String(repeating: "n", count: 5_000)] {
            _ = await errorOf { _ = try await DataSource.download(url, options: o) }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["cache"])
        let files = try FileManager.default.contentsOfDirectory(atPath: cache)
        #expect(files.count == 4 && files.allSatisfy { $0.hasSuffix(".part") }, "\(files)")
        let realCache = try #require(realpath(cache, nil).map { p in defer { free(p) }; return String(cString: p) })
        for f in files {
            let real = try #require(realpath(cache + "/" + f, nil).map { p in defer { free(p) }; return String(cString: p) })
            #expect(real.hasPrefix(realCache + "/"))
        }
    }
}
