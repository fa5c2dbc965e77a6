import PipelineSpec
import Foundation

/// A standalone SVG line chart of per-epoch curves, in the style of the book's figures
/// (training as dots, validation as a line), with an optional horizontal reference line
/// (the common-sense baseline on weather plots).
///
/// ```swift
/// var chart = SVGChart(title: "Training and validation loss", yLabel: "loss")
/// chart.add(series: "Training loss", values: [0.6, 0.4, 0.3], style: .dots)
/// chart.add(series: "Validation loss", values: [0.5, 0.45, 0.44])
/// chart.reference = ("Common-sense baseline", 0.29)
/// try AtomicFile.write(chart.svg, to: "loss.svg")
/// ```
/// Output: one `<path>` element per curve (dots are drawn as a path of tiny arcs), the reference
/// as a dashed `<line>`; valid XML with no external references. Non-finite values are skipped.
public struct SVGChart: Sendable {
    public enum Style: Sendable { case line, dots }
    public struct Series: Sendable { public var name: String; public var values: [Double]; public var style: Style }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series] = []
    public var reference: (name: String, value: Double)?
    public var width = 640.0
    public var height = 400.0

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    public init(title: String, xLabel: String = "epoch", yLabel: String) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
    }

    public mutating func add(series name: String, values: [Double], style: Style = .line) {
        series.append(Series(name: name, values: values, style: style))
    }

    public var svg: String {
        let left = 64.0, right = 16.0, top = 36.0, bottom = 48.0
        let plotW = width - left - right, plotH = height - top - bottom
        let finite = series.flatMap { $0.values.filter(\.isFinite) } + (reference.map { [$0.value] } ?? [])
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if hi - lo < 1e-12 { lo -= 0.5; hi += 0.5 }
        let pad = (hi - lo) * 0.05
        lo -= pad; hi += pad
        let n = max(series.map(\.values.count).max() ?? 1, 2)
        func x(_ i: Int) -> Double { left + plotW * Double(i) / Double(n - 1) }
        func y(_ v: Double) -> Double { top + plotH * (1 - (v - lo) / (hi - lo)) }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }

        var s = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="white"/>
        <text x="\(f(width / 2))" y="20" text-anchor="middle" font-size="14">\(SVGChart.escape(title))</text>
        <g stroke="#888" stroke-width="1">
        <line x1="\(f(left))" y1="\(f(top + plotH))" x2="\(f(left + plotW))" y2="\(f(top + plotH))"/>
        <line x1="\(f(left))" y1="\(f(top))" x2="\(f(left))" y2="\(f(top + plotH))"/>
        </g>

        """
        for k in 0...4 {
            let v = lo + (hi - lo) * Double(k) / 4
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(SVGChart.tick(v))</text>\n"
        }
        let stepX = max(1, (n - 1) / 10 + ((n - 1) % 10 == 0 ? 0 : 1))
        for i in Swift.stride(from: 0, to: n, by: stepX) {
            s += "<text x=\"\(f(x(i)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(i + 1)</text>\n"
        }
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 8))\" text-anchor=\"middle\">\(SVGChart.escape(xLabel))</text>\n"
        s += "<text x=\"14\" y=\"\(f(top + plotH / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(f(top + plotH / 2)))\">\(SVGChart.escape(yLabel))</text>\n"
        var legendY = top + 8
        for (k, sr) in series.enumerated() {
            let color = SVGChart.palette[k % SVGChart.palette.count]
            var d = ""
            var first = true
            for (i, v) in sr.values.enumerated() where v.isFinite {
                switch sr.style {
                case .line:
                    d += (first ? "M" : " L") + "\(f(x(i))) \(f(y(v)))"
                case .dots:
                    d += (first ? "" : " ") + "M\(f(x(i) - 3)) \(f(y(v))) a3 3 0 1 0 6 0 a3 3 0 1 0 -6 0"
                }
                first = false
            }
            let attrs = sr.style == .line ? "fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"" : "fill=\"\(color)\" stroke=\"none\""
            s += "<path class=\"curve\" data-name=\"\(SVGChart.escape(sr.name))\" d=\"\(d.isEmpty ? "M0 0" : d)\" \(attrs)/>\n"
            s += "<text x=\"\(f(left + plotW - 4))\" y=\"\(f(legendY))\" text-anchor=\"end\" fill=\"\(color)\">\(SVGChart.escape(sr.name))</text>\n"
            legendY += 16
        }
        if let reference {
            s += "<line class=\"reference\" x1=\"\(f(left))\" y1=\"\(f(y(reference.value)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y(reference.value)))\" stroke=\"#555\" stroke-dasharray=\"6 4\"/>\n"
            s += "<text x=\"\(f(left + plotW - 4))\" y=\"\(f(legendY))\" text-anchor=\"end\" fill=\"#555\">\(SVGChart.escape(reference.name)) (\(SVGChart.tick(reference.value)))</text>\n"
        }
        return s + "</svg>\n"
    }

    static func tick(_ v: Double) -> String {
        let a = abs(v)
        if a >= 100 { return String(format: "%.0f", v) }
        if a >= 1 { return String(format: "%.2f", v) }
        return String(format: "%.3f", v)
    }

    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
