/// Writes ustar archives byte by byte, so tests can build entries `tar(1)` refuses to
/// create (`../evil`, absolute paths, links leaving the folder).
struct TarBuilder {
    private(set) var bytes: [UInt8] = []

    mutating func file(_ name: String, _ data: [UInt8], mode: Int = 0o644) {
        header(name, type: "0", size: data.count, mode: mode)
        bytes += data
        bytes += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    mutating func file(_ name: String, _ text: String) { file(name, Array(text.utf8)) }
    mutating func directory(_ name: String) { header(name, type: "5", size: 0, mode: 0o755) }
    mutating func symlink(_ name: String, to target: String) { header(name, type: "2", size: 0, link: target) }
    mutating func hardlink(_ name: String, to target: String) { header(name, type: "1", size: 0, link: target) }

    /// The archive with its two zero end blocks.
    func finished() -> [UInt8] { bytes + [UInt8](repeating: 0, count: 1024) }

    private mutating func header(_ name: String, type: Character, size: Int, mode: Int = 0o644, link: String = "") {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ s: String, at offset: Int, width: Int) {
            for (i, b) in s.utf8.prefix(width).enumerated() { h[offset + i] = b }
        }
        func octal(_ v: Int, width: Int) -> String {
            let s = String(v, radix: 8)
            return String(repeating: "0", count: max(0, width - 1 - s.count)) + s
        }
        precondition(name.utf8.count <= 100, "TarBuilder: name too long")
        put(name, at: 0, width: 100)
        put(octal(mode, width: 8), at: 100, width: 8)
        put(octal(0, width: 8), at: 108, width: 8)
        put(octal(0, width: 8), at: 116, width: 8)
        put(octal(size, width: 12), at: 124, width: 12)
        put(octal(1_700_000_000, width: 12), at: 136, width: 12)
        put(String(type), at: 156, width: 1)
        put(link, at: 157, width: 100)
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        for i in 148..<156 { h[i] = 0x20 }
        let sum = h.reduce(0) { $0 + Int($1) }
        put(octal(sum, width: 7), at: 148, width: 7)
        h[154] = 0; h[155] = 0x20
        bytes += h
    }
}
