import Testing
import Synchronization
@testable import PipelineCore

@Suite struct ProgressTests {
    final class Lines: Sendable { let lines = Locked<[String]>([]) }

    @Test func linesStyleReportsBytesRateAndPercent() {
        let sink = Lines()
        let p = ProgressReporter(label: "download", totalBytes: 1_000_000, style: .lines, interval: 0) { s in
            sink.lines.withLock { $0.append(s) }
        }
        p.advance(bytes: 500_000)
        p.finish()
        let lines = sink.lines.withLock { $0 }
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("download: 50%"))
        #expect(lines[0].contains("500.0 kB / 1.0 MB"))
        #expect(lines[0].contains("/s"))
        #expect(lines[1].contains("done in"))
    }

    @Test func quietPrintsNothingButCounts() {
        let sink = Lines()
        let p = ProgressReporter(label: "x", style: .quiet) { s in sink.lines.withLock { $0.append(s) } }
        p.advance(items: 3, bytes: 10)
        p.finish()
        #expect(sink.lines.withLock { $0.isEmpty })
        #expect(p.items == 3 && p.bytes == 10)
    }

    @Test func formatting() {
        #expect(ProgressReporter.clock(3725) == "1:02:05")
        #expect(ProgressReporter.size(84_125_825) == "84.1 MB")
        #expect(ProgressReporter.size(999) == "999 B")
    }
}
