extension Sequential {
    /// Keras 3's `model.summary()` table, as a string (the caller prints it).
    ///
    /// ```
    /// Model: "sequential"
    /// ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
    /// ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
    /// ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
    /// │ embedding (Embedding)           │ (None, 500, 32)        │       320,000 │
    /// └─────────────────────────────────┴────────────────────────┴───────────────┘
    ///  Total params: 320,000 (1.22 MB)
    /// ```
    /// Semantics: the same column widths (31/22/13) and wrapping as Keras (a name that does
    /// not fit continues on the next line at the last space); every parameter is trainable.
    /// Memory sizes are float32 bytes in 1024 units with two decimals. Requires `build`.
    public func summary() -> String {
        precondition(isBuilt, "summary() before build")
        let w = [31, 22, 13]
        func line(_ l: String, _ m: String, _ r: String, _ fill: Character) -> String {
            l + w.map { String(repeating: fill, count: $0 + 2) }.joined(separator: m) + r
        }
        func row(_ cells: [String], _ sep: String) -> [String] {
            let wrapped = zip(cells, w).map { Self.wrap($0, width: $1) }
            let height = wrapped.map(\.count).max() ?? 1
            return (0..<height).map { k in
                let parts = (0..<3).map { j -> String in
                    let text = k < wrapped[j].count ? wrapped[j][k] : ""
                    let pad = String(repeating: " ", count: max(0, w[j] - text.count))
                    return " " + (j == 2 ? pad + text : text + pad) + " "
                }
                return sep + parts.joined(separator: sep) + sep
            }
        }
        var out = ["Model: \"\(name)\"", line("┏", "┳", "┓", "━")]
        out += row(["Layer (type)", "Output Shape", "Param #"], "┃")
        out.append(line("┡", "╇", "┩", "━"))
        for (i, layer) in layers.enumerated() {
            if i > 0 { out.append(line("├", "┼", "┤", "─")) }
            out += row(["\(layer.name) (\(layer.kind))", Self.kerasShape(outputShapes[i]), Self.grouped(layer.parameterCount)], "│")
        }
        out.append(line("└", "┴", "┘", "─"))
        let total = parameterCount
        out.append(" Total params: \(Self.grouped(total)) (\(Self.memorySize(total * 4)))")
        out.append(" Trainable params: \(Self.grouped(total)) (\(Self.memorySize(total * 4)))")
        out.append(" Non-trainable params: 0 (0.00 B)")
        return out.joined(separator: "\n") + "\n"
    }

    /// `320000` → `320,000`.
    static func grouped(_ n: Int) -> String {
        let s = String(n.magnitude)
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Keras' `readable_memory_size`: `1288452` → `1.23 MB`.
    static func memorySize(_ bytes: Int) -> String {
        var v = Double(bytes)
        var unit = 0
        let units = ["B", "KB", "MB", "GB", "TB"]
        while v >= 1024 && unit < units.count - 1 { v /= 1024; unit += 1 }
        return TrainingFormat.fixed(v, digits: 2) + " " + units[unit]
    }

    /// Splits `text` at spaces into lines of at most `width` characters (hard-cut when needed).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if candidate.count <= width { current = candidate; continue }
            if !current.isEmpty { lines.append(current) }
            var rest = word
            while rest.count > width { lines.append(String(rest.prefix(width))); rest = String(rest.dropFirst(width)) }
            current = rest
        }
        lines.append(current)
        return lines
    }
}

/// Number formatting for training reports without Foundation.
enum TrainingFormat {
    /// `fixed(0.40123, digits: 4)` → `0.4012`; `nan`, `inf`, `-inf` as Python prints them.
    static func fixed(_ v: Double, digits: Int) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(v) * scale).rounded()
        guard scaled < 9.0e18 else { return String(v) }
        let n = UInt64(scaled)
        let whole = n / UInt64(scale), frac = n % UInt64(scale)
        var f = String(frac)
        while f.count < digits { f = "0" + f }
        let sign = v < 0 && n != 0 ? "-" : ""
        return sign + String(whole) + (digits > 0 ? "." + f : "")
    }
}
