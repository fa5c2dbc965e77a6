import Testing
@testable import PipelineCore

@Suite struct KerasProgressBarTests {
    @Test func lineHasKerasLayout() {
        let line = KerasProgressBar.line(epoch: 2, epochs: 10, step: 120, steps: 157, eta: 2.4,
                                         values: [("loss", 0.31207), ("acc", 0.87123)])
        // Int(30 × 120 / 157) = 22 cells: 21 '=' and the '>' head, then 8 '.'.
        #expect(line == "Epoch 3/10  120/157 [" + String(repeating: "=", count: 21) + ">" + String(repeating: ".", count: 8)
                + "] - ETA: 2s - loss: 0.3121 - acc: 0.8712")
    }

    @Test func stepIsRightAlignedAndACompleteEpochHasNoHeadOrETA() {
        #expect(KerasProgressBar.line(epoch: 0, epochs: 1, step: 7, steps: 157, eta: 1, values: [])
                == "Epoch 1/1    7/157 [>" + String(repeating: ".", count: 29) + "] - ETA: 1s")
        #expect(KerasProgressBar.line(epoch: 0, epochs: 1, step: 157, steps: 157, eta: 0, values: [("loss", .nan)])
                == "Epoch 1/1  157/157 [" + String(repeating: "=", count: 30) + "] - loss: nan")
        #expect(KerasProgressBar.line(epoch: 0, epochs: 2, step: 40, steps: nil, eta: nil, values: [])
                == "Epoch 1/2       40/Unknown")
    }

    @Test func etaReadsAsKeras() {
        #expect(KerasProgressBar.eta(42.9) == "42s")
        #expect(KerasProgressBar.eta(65) == "1:05")
        #expect(KerasProgressBar.eta(3725) == "1:02:05")
    }

    @Test func statusLinesFitOneTerminalRow() {
        #expect(Console.fitted("abcdef", columns: 4) == "abc")
        #expect(Console.fitted("abc", columns: 4) == "abc")
        #expect(Console.fitted("abcdef", columns: nil) == "abcdef")
    }

    /// `prepare` of an archive: the compressed bytes read against the archive's size, not the
    /// (larger) decompressed bytes the stage sees.
    @Test func reporterShowsSourceBytesAgainstTheSourceSize() {
        let lines = Locked([String]())
        let p = ProgressReporter(label: "prepare a.tar.gz", totalBytes: 14_600_000, style: .lines, interval: 0, shows: .source) { s in
            lines.withLock { $0.append(s) }
        }
        p.advance(items: 1, bytes: 33_100_000)
        p.advance(sourceBytes: 7_300_000)
        let last = lines.withLock { $0.last ?? "" }
        #expect(last.hasPrefix("prepare a.tar.gz: 50% 7.3 MB / 14.6 MB, 1 items"), "\(last)")
        #expect(last.contains("ETA "))
        #expect(!last.contains("33.1 MB"))
    }
}
