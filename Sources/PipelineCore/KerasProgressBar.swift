/// The line Keras' `fit(verbose=1)` redraws during an epoch, with the epoch in front:
/// `Epoch 3/10  120/157 [=====================>........] - ETA: 2s - loss: 0.3121 - acc: 0.8712`.
///
/// ```swift
/// KerasProgressBar.line(epoch: 2, epochs: 10, step: 120, steps: 157, eta: 2.4,
///                       values: [("loss", 0.31207), ("acc", 0.87123)])
/// // "Epoch 3/10  120/157 [======================>.......] - ETA: 2s - loss: 0.3121 - acc: 0.8712"
/// KerasProgressBar.line(epoch: 0, epochs: 1, step: 40, steps: nil, eta: nil, values: [])
/// // "Epoch 1/1       40/Unknown"   (steps not known before the first epoch ends)
/// ```
/// Semantics as Keras' `Progbar` (width 30): `epoch` 0-based, shown 1-based; the step count is
/// right-aligned to the digits of `steps`; the bar has `Int(30 × step / steps)` cells, the last of
/// them `>` until the epoch is complete; the ETA reads `2s`, `1:05` or `1:02:05`; values are
/// shown with 4 decimals (`nan` and `inf` as Python prints them). Pure; never fails.
public enum KerasProgressBar {
    public static let width = 30

    public static func line(epoch: Int, epochs: Int, step: Int, steps: Int?, eta: Double?,
                            values: [(String, Double)]) -> String {
        var s = "Epoch \(epoch + 1)/\(epochs)  "
        if let steps, steps > 0 {
            let digits = String(steps).count
            let count = String(step)
            s += String(repeating: " ", count: max(0, digits - count.count)) + count + "/\(steps) ["
            let filled = min(width, Int(Double(width) * Double(min(step, steps)) / Double(steps)))
            if filled > 0 {
                s += String(repeating: "=", count: filled - 1) + (step < steps ? ">" : "=")
            }
            s += String(repeating: ".", count: width - filled) + "]"
            if let eta, eta.isFinite, step < steps { s += " - ETA: " + Self.eta(eta) }
        } else {
            let count = String(step)
            s += String(repeating: " ", count: max(0, 7 - count.count)) + count + "/Unknown"
        }
        for (name, v) in values { s += " - \(name): " + fixed4(v) }
        return s
    }

    /// Keras' ETA: `42s` under a minute, `1:05` under an hour, else `1:02:05`.
    public static func eta(_ seconds: Double) -> String {
        let e = Int(max(0, seconds).rounded(.down))
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if e >= 3600 { return "\(e / 3600):\(two((e % 3600) / 60)):\(two(e % 60))" }
        if e >= 60 { return "\(e / 60):\(two(e % 60))" }
        return "\(e)s"
    }

    /// `0.3121`; `nan`, `inf`, `-inf`.
    static func fixed4(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        let scaled = (abs(v) * 10_000).rounded()
        guard scaled < 9.0e18 else { return String(v) }
        let n = UInt64(scaled)
        var frac = String(n % 10_000)
        while frac.count < 4 { frac = "0" + frac }
        return (v < 0 && n != 0 ? "-" : "") + String(n / 10_000) + "." + frac
    }
}
