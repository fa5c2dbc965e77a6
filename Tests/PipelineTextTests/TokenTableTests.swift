import Testing
@testable import PipelineText

@Suite struct TokenTableTests {
    @Test func insertFindAndGrow() {
        let t = TokenTable(capacity: 4)
        var ids: [Int32] = []
        for i in 0..<50_000 { ids.append(t.insert("w\(i)")) }
        #expect(ids == (0..<50_000).map(Int32.init))
        #expect(t.count == 50_000)
        #expect(t.insert("w123") == 123)
        #expect(t.find("w49999") == 49_999)
        #expect(t.find("nope") == -1)
        #expect(t.keyString(7) == "w7")
        #expect(t.insert("") == 50_000)       // the empty key is a key like any other
        #expect(t.find("") == 50_000)
        let long = String(repeating: "x", count: 100_000)
        let id = t.insert(long)
        #expect(t.find(long) == id)
        #expect(t.find(String(long.dropLast()) + "y") == -1)
        t.counts[Int(id)] += 3
        #expect(t.counts[Int(id)] == 3)
    }

    @Test func shortAndLongKeysNeverAlias() {
        let t = TokenTable(capacity: 16)
        let keys = ["a", "a\u{0}", "abcdefgh", "abcdefgh1", "abcdefgh2", "abcdefghi", "", "\u{0}", "abcdefgh\u{0}"]
        let ids = keys.map { t.insert($0) }
        #expect(ids == (0..<Int32(keys.count)).map { $0 })
        for _ in 0..<3 { #expect(keys.map { t.find($0) } == ids) }   // second and third rounds hit the cache
        for i in 0..<100_000 { _ = t.insert("k\(i % 70_000)") }     // evicts cache entries, grows the table
        #expect(keys.map { t.find($0) } == ids)
        #expect(t.find("k69999") == Int32(keys.count) + 69_999)
        #expect(t.count == keys.count + 70_000)
    }

    @Test func hashSeesEveryByte() {
        var seen = Set<UInt64>()
        for n in 0...20 {
            let base = [UInt8](repeating: 97, count: n)
            _ = base.withUnsafeBufferPointer { seen.insert(ByteHash.hash($0)) }
            for i in 0..<n {
                var b = base; b[i] = 98
                _ = b.withUnsafeBufferPointer { seen.insert(ByteHash.hash($0)) }
            }
        }
        #expect(seen.count == 21 + (0...20).reduce(0, +))
    }
}
