import PipelineSpec
import Foundation

/// A standalone SVG line chart of per-epoch curves, in the style of the book's figures
/// (training as dots, validation as a line), with an optional horizontal reference line (the
/// common-sense baseline on weather plots) and an optional mark on the best epoch.
///
/// ```swift
/// var chart = SVGChart(title: "Training and validation loss", yLabel: "loss")
/// chart.add(series: "Training loss", values: [0.6, 0.4, 0.3], style: .dots)
/// chart.add(series: "Validation loss", values: [0.5, 0.45, 0.44])
/// chart.reference = ("Common-sense baseline", 0.29)
/// chart.best = SVGChart.Best(epoch: 3, series: 1, label: "best epoch 3 (lowest val_loss)")
/// try AtomicFile.write(chart.svg, to: "loss.svg")
/// ```
/// Layout (``layout``): a plot rectangle of `plotWidth` × `plotHeight`, the legend (a colour
/// swatch per curve: a line, a dot, the dashed reference or the best-epoch mark) in a box to
/// the right of it, never over the data. The value axis runs between round ticks ("nice
/// numbers": 1, 2, 2.5 or 5 × 10^k, ``niceTicks(lo:hi:target:)``) that enclose the finite data
/// and the reference, so an axis of values that are all ≥ 0 never goes below 0; the epoch axis
/// is labelled with whole epochs (1-based) only.
/// Output: one `<path class="curve">` per curve (dots are a path of tiny arcs), the reference as a
/// dashed `<line class="reference">`, the best epoch as a dashed `<line class="best">` and a ring;
/// valid XML, no external references. Non-finite values are skipped. Cost: linear in the values.
public struct SVGChart: Sendable {
    public enum Style: Sendable { case line, dots }
    public struct Series: Sendable { public var name: String; public var values: [Double]; public var style: Style }
    /// The epoch to mark (1-based), the series whose point gets a ring, and the legend's words.
    public struct Best: Sendable {
        public var epoch: Int; public var series: Int?; public var label: String
        public init(epoch: Int, series: Int?, label: String) { self.epoch = epoch; self.series = series; self.label = label }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series] = []
    public var reference: (name: String, value: Double)?
    public var best: Best?
    public var plotWidth = 560.0
    public var plotHeight = 300.0

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    static let margin = (left: 70.0, top: 40.0, right: 16.0, bottom: 50.0)
    /// Approximate advance of one character of the 12 px sans-serif legend text.
    static let charWidth = 7.0

    public init(title: String, xLabel: String = "epoch", yLabel: String) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
    }

    public mutating func add(series name: String, values: [Double], style: Style = .line) {
        series.append(Series(name: name, values: values, style: style))
    }

    public struct Rect: Sendable, Equatable {
        public var x, y, width, height: Double
        public var maxX: Double { x + width }
        public var maxY: Double { y + height }
        public func intersects(_ o: Rect) -> Bool { x < o.maxX && o.x < maxX && y < o.maxY && o.y < maxY }
    }

    /// Where everything goes: the plot and legend rectangles, the value axis (its range is the
    /// first and last tick) and the epoch ticks.
    public struct Layout: Sendable {
        public var width, height: Double
        public var plot: Rect
        public var legend: Rect
        public var yTicks: [Double]
        public var yDecimals: Int
        public var xRange: ClosedRange<Double>
        public var xTicks: [Int]
    }

    /// Legend entries: text, colour, swatch kind.
    var legendEntries: [(text: String, color: String, swatch: String)] {
        var out = series.enumerated().map { k, s in
            (s.name, SVGChart.palette[k % SVGChart.palette.count], s.style == .line ? "line" : "dot")
        }
        if let reference { out.append(("\(reference.name) (\(SVGChart.format(reference.value, decimals: 4)))", "#555", "dashed")) }
        if let best { out.append((best.label, "#888", "best")) }
        return out
    }

    public var layout: Layout {
        let m = SVGChart.margin
        let plot = Rect(x: m.left, y: m.top, width: plotWidth, height: plotHeight)
        let entries = legendEntries
        let longest = entries.map(\.text.count).max() ?? 0
        let legend = Rect(x: plot.maxX + 20, y: plot.y, width: entries.isEmpty ? 0 : 40 + Double(longest) * SVGChart.charWidth,
                          height: entries.isEmpty ? 0 : 12 + 18 * Double(entries.count))
        var values = series.flatMap { $0.values.filter(\.isFinite) }
        if let reference, reference.value.isFinite { values.append(reference.value) }
        let (ticks, decimals) = SVGChart.niceTicks(lo: values.min() ?? 0, hi: values.max() ?? 1)
        let n = max(series.map(\.values.count).max() ?? 1, 1)
        let xRange: ClosedRange<Double> = n > 1 ? 1...Double(n) : 0...2
        return Layout(width: legend.maxX + m.right, height: plot.maxY + m.bottom, plot: plot, legend: legend,
                      yTicks: ticks, yDecimals: decimals, xRange: xRange, xTicks: SVGChart.epochTicks(n))
    }

    public var svg: String {
        let l = layout
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(l.width.rounded(.up)))" height="\(Int(l.height))" viewBox="0 0 \(Int(l.width.rounded(.up))) \(Int(l.height))" font-family="sans-serif" font-size="12">
        <rect x="0" y="0" width="\(Int(l.width.rounded(.up)))" height="\(Int(l.height))" fill="white"/>
        \(body(l))</svg>

        """
    }

    /// Several charts stacked in one SVG (``RunComparison``'s panels, one per metric), each with its own axes.
    public static func panels(_ charts: [SVGChart]) -> String {
        let layouts = charts.map(\.layout)
        let width = Int((layouts.map(\.width).max() ?? 100).rounded(.up)), height = Int(layouts.map(\.height).reduce(0, +))
        var s = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="12">
        <rect x="0" y="0" width="\(width)" height="\(height)" fill="white"/>

        """
        var y = 0.0
        for (chart, l) in zip(charts, layouts) {
            s += "<g class=\"panel\" transform=\"translate(0 \(f(y)))\">\n" + chart.body(l) + "</g>\n"
            y += l.height
        }
        return s + "</svg>\n"
    }

    func body(_ l: Layout) -> String {
        let p = l.plot
        let lo = l.yTicks.first ?? 0, hi = l.yTicks.last ?? 1
        func x(_ epoch: Double) -> Double { p.x + p.width * (epoch - l.xRange.lowerBound) / (l.xRange.upperBound - l.xRange.lowerBound) }
        func y(_ v: Double) -> Double { p.y + p.height * (1 - (v - lo) / (hi - lo)) }
        let f = SVGChart.f
        var s = "<text x=\"\(f(p.x + p.width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">\(SVGChart.escape(title))</text>\n"
        s += "<rect class=\"plot-area\" x=\"\(f(p.x))\" y=\"\(f(p.y))\" width=\"\(f(p.width))\" height=\"\(f(p.height))\" fill=\"none\" stroke=\"#888\"/>\n"
        s += "<g class=\"y-ticks\">\n"
        for v in l.yTicks {
            s += "<line x1=\"\(f(p.x))\" y1=\"\(f(y(v)))\" x2=\"\(f(p.maxX))\" y2=\"\(f(y(v)))\" stroke=\"#e4e4e4\"/>"
            s += "<text x=\"\(f(p.x - 6))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(SVGChart.format(v, decimals: l.yDecimals))</text>\n"
        }
        s += "</g>\n<g class=\"x-ticks\">\n"
        for e in l.xTicks {
            s += "<line x1=\"\(f(x(Double(e))))\" y1=\"\(f(p.maxY))\" x2=\"\(f(x(Double(e))))\" y2=\"\(f(p.maxY + 4))\" stroke=\"#888\"/>"
            s += "<text x=\"\(f(x(Double(e))))\" y=\"\(f(p.maxY + 17))\" text-anchor=\"middle\">\(e)</text>\n"
        }
        s += "</g>\n"
        s += "<text x=\"\(f(p.x + p.width / 2))\" y=\"\(f(p.maxY + 38))\" text-anchor=\"middle\">\(SVGChart.escape(xLabel))</text>\n"
        s += "<text x=\"16\" y=\"\(f(p.y + p.height / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(f(p.y + p.height / 2)))\">\(SVGChart.escape(yLabel))</text>\n"
        if let best {
            let bx = x(Double(best.epoch))
            s += "<line class=\"best\" x1=\"\(f(bx))\" y1=\"\(f(p.y))\" x2=\"\(f(bx))\" y2=\"\(f(p.maxY))\" stroke=\"#888\" stroke-dasharray=\"3 3\"/>\n"
        }
        if let reference, reference.value.isFinite {
            s += "<line class=\"reference\" x1=\"\(f(p.x))\" y1=\"\(f(y(reference.value)))\" x2=\"\(f(p.maxX))\" y2=\"\(f(y(reference.value)))\" stroke=\"#555\" stroke-dasharray=\"6 4\"/>\n"
        }
        for (k, sr) in series.enumerated() {
            let color = SVGChart.palette[k % SVGChart.palette.count]
            var d = ""
            var first = true
            for (i, v) in sr.values.enumerated() where v.isFinite {
                switch sr.style {
                case .line: d += (first ? "M" : " L") + "\(f(x(Double(i + 1)))) \(f(y(v)))"
                case .dots: d += (first ? "" : " ") + "M\(f(x(Double(i + 1)) - 3)) \(f(y(v))) a3 3 0 1 0 6 0 a3 3 0 1 0 -6 0"
                }
                first = false
            }
            let attrs = sr.style == .line ? "fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"" : "fill=\"\(color)\" stroke=\"none\""
            s += "<path class=\"curve\" data-name=\"\(SVGChart.escape(sr.name))\" d=\"\(d.isEmpty ? "M0 0" : d)\" \(attrs)/>\n"
        }
        if let best, let k = best.series, k < series.count, best.epoch >= 1, best.epoch <= series[k].values.count,
           series[k].values[best.epoch - 1].isFinite {
            s += "<circle class=\"best-point\" cx=\"\(f(x(Double(best.epoch))))\" cy=\"\(f(y(series[k].values[best.epoch - 1])))\" r=\"6\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.5\"/>\n"
        }
        let entries = legendEntries
        if !entries.isEmpty {
            let g = l.legend
            s += "<g class=\"legend\">\n<rect class=\"legend\" x=\"\(f(g.x))\" y=\"\(f(g.y))\" width=\"\(f(g.width))\" height=\"\(f(g.height))\" fill=\"white\" stroke=\"#ccc\"/>\n"
            for (i, e) in entries.enumerated() {
                let cy = g.y + 15 + 18 * Double(i), sx = g.x + 8
                switch e.swatch {
                case "line": s += "<line x1=\"\(f(sx))\" y1=\"\(f(cy))\" x2=\"\(f(sx + 22))\" y2=\"\(f(cy))\" stroke=\"\(e.color)\" stroke-width=\"2\"/>"
                case "dot": s += "<circle cx=\"\(f(sx + 11))\" cy=\"\(f(cy))\" r=\"3.5\" fill=\"\(e.color)\"/>"
                case "dashed": s += "<line x1=\"\(f(sx))\" y1=\"\(f(cy))\" x2=\"\(f(sx + 22))\" y2=\"\(f(cy))\" stroke=\"\(e.color)\" stroke-dasharray=\"6 4\"/>"
                default: s += "<line x1=\"\(f(sx + 11))\" y1=\"\(f(cy - 7))\" x2=\"\(f(sx + 11))\" y2=\"\(f(cy + 7))\" stroke=\"\(e.color)\" stroke-dasharray=\"3 3\"/>"
                }
                s += "<text x=\"\(f(sx + 30))\" y=\"\(f(cy + 4))\">\(SVGChart.escape(e.text))</text>\n"
            }
            s += "</g>\n"
        }
        return s
    }

    /// Round ticks that enclose `lo...hi`: the step is 1, 2, 2.5 or 5 × 10^k, chosen so that
    /// about `target` intervals cover the range; the first tick is the largest multiple of the
    /// step ≤ `lo` and the last the smallest ≥ `hi` (so values ≥ 0 never get a negative axis).
    /// A flat range is widened by 10 % of its value (or to 0…1 at 0). Returns the ticks and the
    /// decimals that print them all exactly.
    public static func niceTicks(lo: Double, hi: Double, target: Int = 5) -> (ticks: [Double], decimals: Int) {
        var lo = lo.isFinite ? lo : 0, hi = hi.isFinite ? hi : 1
        if lo > hi { swap(&lo, &hi) }
        if hi - lo <= abs(hi) * 1e-12 {
            if lo == 0 { hi = 1 } else {
                let d = abs(lo) * 0.1
                let wasNonNegative = lo >= 0
                lo -= d; hi += d
                if wasNonNegative { lo = max(lo, 0) }
            }
        }
        let raw = (hi - lo) / Double(max(target, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-9) } ?? 10 * magnitude
        let first = (lo / step * (1 + 1e-12)).rounded(.down), last = (hi / step * (1 - 1e-12)).rounded(.up)
        let decimals = (0...12).first { d in
            let scaled = step * pow(10, Double(d))
            return abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled)
        } ?? 12
        var ticks: [Double] = []
        var k = first
        while k <= last + 0.5 {
            let v = k * step
            ticks.append(abs(v) < step * 1e-9 ? 0 : Double(SVGChart.format(v, decimals: decimals))!)
            k += 1
        }
        return (ticks, decimals)
    }

    /// Whole epochs to label on an axis of `n` epochs (1-based): every epoch up to 10, else
    /// multiples of a step of 1, 2 or 5 × 10^k giving at most about 10 labels, with epoch 1 first.
    public static func epochTicks(_ n: Int) -> [Int] {
        guard n > 1 else { return [1] }
        var step = 1
        outer: for magnitude in [1, 10, 100, 1000, 10_000, 100_000, 1_000_000] {
            for m in [1, 2, 5] where (n - 1) / (m * magnitude) <= 10 { step = m * magnitude; break outer }
        }
        var ticks = step == 1 ? [] : [1]
        ticks += Swift.stride(from: step, through: n, by: step).filter { step == 1 || $0 - 1 >= step / 2 }
        return ticks
    }

    static func f(_ v: Double) -> String { String(format: "%.2f", v) }

    static func format(_ v: Double, decimals: Int) -> String { String(format: "%.\(decimals)f", v) }

    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
