/// An open-addressing hash table from byte strings to dense ids `0, 1, 2, …` in first-insertion
/// order, with a 64-bit count per id: the word counter of vocabulary building and the word → id
/// lookup of encoding.
///
/// ```swift
/// let table = TokenTable()
/// let id = table.insert(wordBytes)     // existing id, or the next new one
/// table.counts[Int(id)] += 1
/// table.find(otherBytes)               // -1 when absent
/// ```
///
/// Semantics: keys are compared byte for byte (no normalisation). Linear probing over a
/// power-of-two array of 16-byte slots kept at most half full; a slot holds the key's first 8
/// bytes, 24 bits of its hash, its length (saturated at 255) and `id + 1`, so a lookup of a word
/// of up to 8 bytes (most words) touches one slot and nothing else; longer keys are compared
/// in a byte arena. A 4,096-entry direct-mapped cache of short keys in front of the slots keeps
/// frequent words in 64 KB. Cost: ~10–40 ns per lookup, mostly one cache miss for rare words; memory
/// ≈ key bytes + ~48 bytes per key. Not thread-safe: one writer; sharing read-only is safe.
public final class TokenTable: @unchecked Sendable {
    private var slots: UnsafeMutablePointer<Slot>
    /// A small direct-mapped cache of short keys (id + 1 in meta's low bits) that keeps the
    /// frequent words in a few dozen KB, so most lookups never touch the big slot array.
    private let hot: UnsafeMutablePointer<Slot>
    private static let hotMask = 16383
    private var mask: Int
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    private var arenaCount = 0
    /// offset << 28 | length, per id.
    private var spans: UnsafeMutablePointer<UInt64>
    /// Per-id counters, free for the owner to use (vocabulary building counts occurrences).
    public private(set) var counts: UnsafeMutablePointer<Int64>
    private var idCapacity: Int
    public private(set) var count = 0
    /// The longest key the table accepts (2^28 − 1 bytes).
    public static let maximumKeyLength = (1 << 28) - 1

    struct Slot { var prefix: UInt64; var meta: UInt64 }   // meta == 0: empty

    public init(capacity: Int = 1 << 12) {
        var c = 16
        while c < 2 * capacity { c <<= 1 }
        mask = c - 1
        slots = .allocate(capacity: c); slots.initialize(repeating: Slot(prefix: 0, meta: 0), count: c)
        hot = .allocate(capacity: TokenTable.hotMask + 1)
        hot.initialize(repeating: Slot(prefix: 0, meta: 0), count: TokenTable.hotMask + 1)
        idCapacity = max(16, capacity)
        spans = .allocate(capacity: idCapacity)
        counts = .allocate(capacity: idCapacity)
        arenaCapacity = 8 * idCapacity
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit { slots.deallocate(); hot.deallocate(); arena.deallocate(); spans.deallocate(); counts.deallocate() }

    /// The bytes of key `id` (valid until the next insert).
    @inline(__always)
    public func key(_ id: Int) -> UnsafeBufferPointer<UInt8> {
        let s = spans[id]
        return UnsafeBufferPointer(start: arena + Int(s >> 28), count: Int(s & 0xFFF_FFFF))
    }

    public func keyString(_ id: Int) -> String { String(decoding: key(id), as: UTF8.self) }

    /// The id of `key`, or -1.
    @inline(__always)
    public func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        insertOrFind(key, insert: false)
    }

    /// The id of `key`, adding it (with count 0) when absent.
    @inline(__always)
    public func insert(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        insertOrFind(key, insert: true)
    }

    @inline(__always)
    private func insertOrFind(_ key: UnsafeBufferPointer<UInt8>, insert: Bool) -> Int32 {
        let n = key.count
        let prefix = ByteHash.prefix(key)
        let h = n <= 8 ? ByteHash.mix(ByteHash.mix(prefix ^ 0x9E37_79B9_7F4A_7C15) ^ UInt64(n)) : ByteHash.hash(key)
        let meta = (h & 0xFFFF_FF00_0000_0000) | UInt64(Swift.min(n, 255)) << 32
        let hotSlot = hot + (Int(truncatingIfNeeded: h >> 20) & TokenTable.hotMask)
        if n <= 8 {
            let c = hotSlot.pointee
            if c.prefix == prefix && c.meta & 0xFFFF_FFFF_0000_0000 == meta { return Int32(truncatingIfNeeded: c.meta & 0xFFFF_FFFF) - 1 }
        }
        let (slot, found) = probe(key, prefix: prefix, h: h, meta: meta)
        if found {
            let s = slots[slot]
            if n <= 8 { hotSlot.pointee = s }
            return Int32(truncatingIfNeeded: s.meta & 0xFFFF_FFFF) - 1
        }
        if !insert { return -1 }
        precondition(n <= TokenTable.maximumKeyLength, "key of \(n) bytes is too long")
        let id = count
        append(key)
        let s = Slot(prefix: prefix, meta: meta | UInt64(id + 1))
        slots[slot] = s
        if n <= 8 { hotSlot.pointee = s }
        if 2 * count > mask { rehash() }
        return Int32(id)
    }

    public func insert(_ word: String) -> Int32 { var w = word; return w.withUTF8 { insert($0) } }
    public func find(_ word: String) -> Int32 { var w = word; return w.withUTF8 { find($0) } }

    /// The slot holding `key` (found) or the empty slot where it would go, with its prefix and
    /// meta bits (tag and length, id not included).
    @inline(__always)
    private func probe(_ key: UnsafeBufferPointer<UInt8>, prefix: UInt64, h: UInt64, meta: UInt64) -> (Int, Bool) {
        let n = key.count
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s.meta == 0 { return (i, false) }
            if s.prefix == prefix && s.meta & 0xFFFF_FFFF_0000_0000 == meta {
                if n <= 8 { return (i, true) }
                let id = Int(s.meta & 0xFFFF_FFFF) - 1
                let stored = self.key(id)
                if stored.count == n && memoryEqual(stored.baseAddress! + 8, key.baseAddress! + 8, n - 8) {
                    return (i, true)
                }
            }
            i = (i + 1) & mask
        }
    }

    private func append(_ key: UnsafeBufferPointer<UInt8>) {
        if count == idCapacity {
            idCapacity *= 2
            spans = grow(spans, from: count, to: idCapacity)
            counts = grow(counts, from: count, to: idCapacity)
        }
        if arenaCount + key.count > arenaCapacity {
            arenaCapacity = Swift.max(2 * arenaCapacity, arenaCount + key.count)
            arena = grow(arena, from: arenaCount, to: arenaCapacity)
        }
        if key.count > 0 { (arena + arenaCount).update(from: key.baseAddress!, count: key.count) }
        spans[count] = UInt64(arenaCount) << 28 | UInt64(key.count)
        counts[count] = 0
        arenaCount += key.count
        count += 1
    }

    private func rehash() {
        let old = slots, oldSize = mask + 1
        let newSize = 2 * oldSize
        slots = .allocate(capacity: newSize); slots.initialize(repeating: Slot(prefix: 0, meta: 0), count: newSize)
        mask = newSize - 1
        for j in 0..<oldSize where old[j].meta != 0 {
            let k = key(Int(old[j].meta & 0xFFFF_FFFF) - 1)
            var i = Int(truncatingIfNeeded: k.count <= 8
                ? ByteHash.mix(ByteHash.mix(old[j].prefix ^ 0x9E37_79B9_7F4A_7C15) ^ UInt64(k.count)) : ByteHash.hash(k)) & mask
            while slots[i].meta != 0 { i = (i + 1) & mask }
            slots[i] = old[j]
        }
        old.deallocate()
    }

    private func grow<T>(_ p: UnsafeMutablePointer<T>, from n: Int, to capacity: Int) -> UnsafeMutablePointer<T> {
        let q = UnsafeMutablePointer<T>.allocate(capacity: capacity)
        q.moveInitialize(from: p, count: n)
        p.deallocate()
        return q
    }
}

@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) { return false }
        i += 8
    }
    while i < n { if a[i] != b[i] { return false }; i += 1 }
    return true
}
