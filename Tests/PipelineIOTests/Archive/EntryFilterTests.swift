import Testing
@testable import PipelineIO

@Suite struct EntryFilterTests {
    @Test func includeThenExclude() throws {
        let f = try EntryFilter(include: ["aclImdb/train/**/*.txt"], exclude: ["**/unsup/**"])
        #expect(f.accepts("aclImdb/train/pos/0_9.txt"))
        #expect(!f.accepts("aclImdb/train/unsup/0_0.txt"))
        #expect(!f.accepts("aclImdb/README"))
        #expect("\(f)" == "include [aclImdb/train/**/*.txt] exclude [**/unsup/**]")
    }

    @Test func emptyIncludeMeansEverything() throws {
        #expect(EntryFilter.all.accepts("any/thing") && EntryFilter.all.acceptsAll)
        let onlyExclude = try EntryFilter(exclude: ["*.md"])
        #expect(onlyExclude.accepts("a/b.txt") && !onlyExclude.accepts("x.md") && !onlyExclude.acceptsAll)
    }
}
