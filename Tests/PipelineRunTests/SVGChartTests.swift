import Testing
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import PipelineRun

@Suite struct SVGChartTests {
    /// A tick step is 1, 2, 2.5 or 5 × 10^k and every tick is a whole multiple of it.
    static func isNice(_ ticks: [Double]) -> Bool {
        guard ticks.count >= 2 else { return false }
        let step = ticks[1] - ticks[0]
        let mantissa = step / pow(10, log10(step).rounded(.down))
        let nice = [1, 2, 2.5, 5, 10].contains { abs($0 - mantissa) < 1e-6 }
        let multiples = ticks.allSatisfy { abs($0 / step - ($0 / step).rounded()) < 1e-6 }
        let even = zip(ticks, ticks.dropFirst()).allSatisfy { abs(($1 - $0) - step) < step * 1e-6 }
        return nice && multiples && even
    }

    @Test func ticksAreNiceNumbersThatEncloseTheData() {
        // The issue's axis: 0.472 … 0.623 printed as 0.623 / 0.548 / 0.472.
        for (lo, hi) in [(0.472, 0.623), (0.0003, 0.0071), (12.3, 987.0), (-3.2, 4.9), (0.9, 0.9), (0, 0), (2.5e-5, 2.5e-5), (0.2811, 0.6931)] {
            let (ticks, decimals) = SVGChart.niceTicks(lo: lo, hi: hi)
            #expect(Self.isNice(ticks), "\(lo)…\(hi): \(ticks)")
            #expect(ticks.first! <= lo && ticks.last! >= hi, "\(lo)…\(hi): \(ticks)")
            #expect(ticks.count >= 3 && ticks.count <= 8, "\(lo)…\(hi): \(ticks)")
            for t in ticks {   // the printed label is the tick exactly
                #expect(abs(Double(String(format: "%.\(decimals)f", t))! - t) < 1e-12, "\(t) with \(decimals) decimals")
            }
        }
        #expect(SVGChart.niceTicks(lo: 0.472, hi: 0.623).ticks == [0.45, 0.5, 0.55, 0.6, 0.65])
    }

    /// The issue saw a loss axis starting at −0.035: values ≥ 0 give an axis from ≥ 0.
    @Test func nonNegativeDataNeverGetsANegativeAxis() {
        for (lo, hi) in [(0.0012, 0.69), (0.0, 0.3), (0.001, 0.0011), (0.01, 0.01)] {
            #expect(SVGChart.niceTicks(lo: lo, hi: hi).ticks.first! >= 0, "\(lo)…\(hi)")
        }
        var chart = SVGChart(title: "loss", yLabel: "loss")
        chart.add(series: "Training loss", values: [0.69, 0.35, 0.12, 0.03, 0.004], style: .dots)
        chart.add(series: "Validation loss", values: [0.6, 0.4, 0.38, 0.41, 0.47])
        #expect(chart.layout.yTicks.first == 0)
    }

    @Test func epochTicksAreWholeEpochs() {
        #expect(SVGChart.epochTicks(1) == [1])
        #expect(SVGChart.epochTicks(6) == [1, 2, 3, 4, 5, 6])
        #expect(SVGChart.epochTicks(50) == [1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50])   // not 1, 17, 33, 49
        for n in [2, 7, 11, 20, 33, 64, 100, 257, 1000] {
            let t = SVGChart.epochTicks(n)
            #expect(t.first == 1 && t.last! <= n && t.count <= 12 && t.count >= 2, "\(n): \(t)")
            #expect(zip(t, t.dropFirst()).allSatisfy { $0 < $1 })
        }
    }

    /// The legend (with a swatch per curve, the baseline and the best epoch) is a box beside
    /// the plot rectangle, never over it, in the layout and in the SVG text.
    @Test func legendIsOutsideThePlotArea() throws {
        var chart = SVGChart(title: "Training and validation loss", yLabel: "loss")
        chart.add(series: "Training loss", values: [0.6, 0.4, 0.3, 0.25], style: .dots)
        chart.add(series: "Validation loss", values: [0.5, 0.45, 0.44, 0.46])
        chart.reference = ("Common-sense baseline", 0.29)
        chart.best = SVGChart.Best(epoch: 3, series: 1, label: "best epoch 3 (lowest val_loss)")
        let l = chart.layout
        #expect(!l.legend.intersects(l.plot))
        #expect(l.legend.x >= l.plot.maxX && l.legend.maxX <= l.width)
        let svg = chart.svg
        let plot = try #require(Self.rect(svg, cls: "plot-area")), legend = try #require(Self.rect(svg, cls: "legend"))
        #expect(plot == l.plot && legend == l.legend)
        #expect(!legend.intersects(plot))
        // Swatches: a line, a dot, the dashed baseline and the dashed best-epoch mark, each with its text.
        let group = String(svg[svg.range(of: "<g class=\"legend\">")!.lowerBound...])
        for text in ["Training loss", "Validation loss", "Common-sense baseline (0.2900)", "best epoch 3 (lowest val_loss)"] {
            #expect(group.contains(">\(text)</text>"), "legend lacks \(text)")
        }
        #expect(group.components(separatedBy: "<line ").count - 1 == 3 && group.contains("<circle "))
        #expect(svg.contains("<line class=\"best\"") && svg.contains("<circle class=\"best-point\""))
        #expect(XMLParser(data: Data(svg.utf8)).parse())
    }

    @Test func panelsStackOneChartPerMetric() {
        var a = SVGChart(title: "a", yLabel: "val_acc"); a.add(series: "x", values: [0.5, 0.6])
        var b = SVGChart(title: "b", yLabel: "val_mae"); b.add(series: "y", values: [0.3, 0.2])
        let svg = SVGChart.panels([a, b])
        #expect(svg.components(separatedBy: "<g class=\"panel\"").count - 1 == 2)
        #expect(svg.contains("translate(0 \(String(format: "%.2f", a.layout.height)))"))
        #expect(XMLParser(data: Data(svg.utf8)).parse())
    }

    static func rect(_ svg: String, cls: String) -> SVGChart.Rect? {
        guard let r = svg.range(of: "<rect class=\"\(cls)\"") else { return nil }
        let tag = svg[r.lowerBound...].prefix { $0 != ">" }
        func attr(_ name: String) -> Double? {
            guard let a = tag.range(of: " \(name)=\"") else { return nil }
            return Double(tag[a.upperBound...].prefix { $0 != "\"" })
        }
        guard let x = attr("x"), let y = attr("y"), let w = attr("width"), let h = attr("height") else { return nil }
        return SVGChart.Rect(x: x, y: y, width: w, height: h)
    }
}
