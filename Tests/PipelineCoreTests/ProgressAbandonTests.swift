import Testing
@testable import PipelineCore

/// A stage that fails never prints "done" before its error.
@Suite struct ProgressAbandonTests {
    struct Boom: Error {}

    @Test(arguments: [ProgressStyle.lines, .bar])
    func aFailedStageDoesNotSayDone(style: ProgressStyle) async throws {
        let out = Locked([String]())
        let reporter = ProgressReporter(label: "prepare x.csv", style: style, interval: 0, sink: { s in out.withLock { $0.append(s) } })
        await #expect(throws: Boom.self) {
            try await reporter.run { () async throws -> Int in
                reporter.advance(items: 1, bytes: 10)
                throw Boom()
            }
        }
        reporter.finish()   // a later finish (a defer elsewhere) must not print "done" either
        let text = out.withLock { $0.joined() }
        #expect(!text.contains("done"), "\(text)")
        if style == .bar { #expect(text.isEmpty || text.hasSuffix("\n")) }
    }

    @Test func aStageThatSucceedsSaysDoneOnce() async throws {
        let out = Locked([String]())
        let reporter = ProgressReporter(label: "prepare", style: .lines, interval: 1000, sink: { s in out.withLock { $0.append(s) } })
        let v = try await reporter.run { 42 }
        reporter.finish()
        #expect(v == 42)
        #expect(out.withLock { $0.filter { $0.contains("done in") }.count } == 1)
    }
}
