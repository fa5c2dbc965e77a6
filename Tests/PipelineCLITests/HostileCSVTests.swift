import CZlib
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `pipeline` binary against hostile weather CSVs: a decompression bomb of one endless line
/// (peak memory and time measured on the child process), non-finite values in every split,
/// repairs that would invent most of the rows. Every input is generated here.
@Suite struct HostileCSVTests {
    static let jenaHeader = "\"Date Time\",\"p (mbar)\",\"T (degC)\",\"Tpot (K)\",\"Tdew (degC)\",\"rh (%)\",\"VPmax (mbar)\","
        + "\"VPact (mbar)\",\"VPdef (mbar)\",\"sh (g/kg)\",\"H2OC (mmol/mol)\",\"rho (g/m**3)\",\"wv (m/s)\",\"max. wv (m/s)\",\"wd (deg)\"\n"

    /// A Jena-shaped CSV of `rows` rows ten minutes apart, with rows `skip` left out and the
    /// `T (degC)` cell of the rows in `temperature` replaced.
    static func jenaCSV(rows: Int, skip: Set<Int> = [], temperature: [Int: String] = [:]) -> String {
        var s = jenaHeader
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        for r in 0..<rows where !skip.contains(r) {
            let t = r * 600, d = 1 + t / 86_400, h = t / 3600 % 24, m = t / 60 % 60
            let temp = temperature[r] ?? String(format: "%.2f", 5 * sin(Double(r) / 20))
            s += "\(two(d)).01.2017 \(two(h)):\(two(m)):00,996.5,\(temp),265.4,-8.9,93.3,3.33,3.11,0.22,1.94,3.12,1307.75,1.03,1.75,152.3\n"
        }
        return s
    }

    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "hostile-csv-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func files(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    static let fixture = CLI.repoRoot + "/pipelines/fixtures/jena-baseline.yaml"

    // MARK: the bomb

    @Test func aCSVBombOfOneEndlessLineStopsQuicklyInBoundedMemory() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bomb = dir + "/bomb.csv.gz"
        let bytes = try GzipBomb.make(prefix: Array(Self.jenaHeader.utf8), fill: UInt8(ascii: "7"), mebibytes: 1024)
        #expect(bytes.count < 10_000_000)
        try Data(bytes).write(to: URL(fileURLWithPath: bomb))
        let r = try MeasuredRun.run([CLI.binary, "prepare", Self.fixture, "--source", bomb, "--output", dir + "/out", "--quiet"],
                                    timeout: 60, killAboveKB: 1_500_000)
        #expect(!r.killed, "killed: ran past 60 s or 1.5 GB (peak \(r.maxRSSKB) KB, \(r.seconds) s)")
        #expect(r.code == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("bomb.csv.gz:2: line longer than 1048576 bytes"), "stderr: \(r.stderr)")
        #expect(r.stderr.contains("timeseries.max_line_bytes"))
        #expect(r.maxRSSKB <= 256 * 1024, "peak RSS \(r.maxRSSKB) KB")
        #expect(r.seconds < 30, "took \(r.seconds) s")
        #expect(Self.files(dir + "/out").filter { $0 != "manifest.json" && !$0.contains("manifest") }.isEmpty)
    }

    @Test func theLineLimitIsASpecKey() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/long.csv"
        try (Self.jenaHeader + String(repeating: "9", count: 5000) + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let r = try CLI.run(["prepare", Self.fixture, "--source", csv, "--output", dir + "/out", "--quiet",
                             "--set", "timeseries.max_line_bytes=4096"])
        #expect(r.code == 1)
        #expect(r.stderr.contains("long.csv:2: line longer than 4096 bytes"), "stderr: \(r.stderr)")
        let bad = try CLI.run(["validate", Self.fixture, "--set", "timeseries.max_line_bytes=0"])
        #expect(bad.code == 2)
    }

    // MARK: non-finite values

    /// 400 rows: fractions 0.5 / 0.25 put row 100 in train, 250 in validation, 350 in test.
    @Test(arguments: [(100, "1e39"), (250, "1e39"), (350, "-1e39"), (350, "inf"), (250, "nan")])
    func aNonFiniteValueInAnySplitFailsWithItsPlaceAndWritesNothing(row: Int, cell: String) throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/weather.csv"
        try Self.jenaCSV(rows: 400, temperature: [row: cell]).write(toFile: csv, atomically: true, encoding: .utf8)
        let r = try CLI.run(["prepare", Self.fixture, "--source", csv, "--output", dir + "/out", "--quiet",
                             "--set", "timeseries.lookback=12", "--set", "timeseries.delay=6"])
        #expect(r.code == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("weather.csv:\(row + 2):3: T (degC): "), "stderr: \(r.stderr)")
        #expect(r.stderr.contains("received '\(cell)'"), "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("EncodingError"))
        #expect(!Self.files(dir + "/out").contains { $0.hasSuffix(".npy") || $0.hasSuffix(".json") && $0 != "manifest.json" },
                "left: \(Self.files(dir + "/out"))")
    }

    // MARK: repairs

    @Test func fillWithAWrongStepIsRefusedNamingTheKey() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/weather.csv"
        try Self.jenaCSV(rows: 400).write(toFile: csv, atomically: true, encoding: .utf8)
        let r = try CLI.run(["prepare", Self.fixture, "--source", csv, "--output", dir + "/out", "--quiet",
                             "--set", "timeseries.time_axis=fill", "--set", "timeseries.step_seconds=120",
                             "--set", "timeseries.lookback=12", "--set", "timeseries.delay=6"])
        #expect(r.code == 1)
        // The step is checked against the first rows before fill could invent any (TimeStep).
        #expect(r.stderr.contains("weather.csv:2: step_seconds: the time step disagrees with the data: 0 % of the first 400 rows "
                                  + "are 120 s apart, 100 % are 600 s apart, received '120'"), "stderr: \(r.stderr)")
        #expect(r.stderr.contains("set timeseries.step_seconds: 600, or auto"))
        #expect(!Self.files(dir + "/out").contains("data.npy"))
    }

    @Test func repairsUnderTheLimitAreReportedInTheSummaryAndJSON() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/weather.csv"
        try Self.jenaCSV(rows: 400, skip: [50, 51], temperature: [300: "-9999"]).write(toFile: csv, atomically: true, encoding: .utf8)
        let args = ["prepare", Self.fixture, "--source", csv, "--quiet", "--set", "timeseries.time_axis=fill",
                    "--set", "timeseries.missing=drop_row", "--set", "timeseries.lookback=12", "--set", "timeseries.delay=6"]
        // The two inserted rows are NaN, so drop_row drops them again, with the bad row: 5 rows of 398.
        let r = try CLI.run(args + ["--output", dir + "/out"])
        #expect(r.code == 1)
        #expect(r.stderr.contains("time_axis inserted 2 rows in 1 gaps, missing: drop_row dropped 3 rows, 5 of 398 rows read (1.26 %)"),
                "stderr: \(r.stderr)")
        let ok = try CLI.run(args + ["--output", dir + "/out1", "--set", "timeseries.max_repaired_fraction=0.05"])
        #expect(ok.code == 0, "stderr: \(ok.stderr)")
        #expect(ok.stdout.contains("; repairs: time_axis inserted 2 rows in 1 gaps, missing: drop_row dropped 3 rows "
                                   + "(1.26 % of 398 rows read, limit 5 %); the time grid has 2 gaps left"), "stdout: \(ok.stdout)")
        let j = try CLI.run(args + ["--output", dir + "/out2", "--json", "--set", "timeseries.max_repaired_fraction=0.05"])
        #expect(j.code == 0, "stderr: \(j.stderr)")
        let o = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any]
        #expect(o?["rows_read"] as? Int == 398)
        #expect(o?["rows_inserted"] as? Int == 2)
        #expect(o?["rows_dropped_missing"] as? Int == 3)
        #expect(o?["grid_gaps"] as? Int == 2)
    }

    @Test func dropRowUnderTheLimitReportsTheGapsInTheSummary() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/weather.csv"
        try Self.jenaCSV(rows: 400, temperature: [300: "-9999"]).write(toFile: csv, atomically: true, encoding: .utf8)
        let r = try CLI.run(["prepare", Self.fixture, "--source", csv, "--output", dir + "/out", "--quiet",
                             "--set", "timeseries.missing=drop_row", "--set", "timeseries.lookback=12", "--set", "timeseries.delay=6"])
        #expect(r.code == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("; repairs: missing: drop_row dropped 1 rows (0.25 % of 400 rows read, limit 1 %); "
                                  + "the time grid has 1 gap left"), "stdout: \(r.stdout)")
    }
}

/// A gzip file whose content is `prefix` followed by `mebibytes` MiB of the byte `fill` and a
/// newline: one enormous line. Built in a few milliseconds: one MiB is deflated once (Z_RLE,
/// level 9, about 1000:1) after a full flush, which makes its compressed block independent of
/// what came before, and that block is repeated; the trailer's CRC-32 and size are those of the
/// whole content, so the file is a valid gzip stream (`gzip -t` accepts it).
enum GzipBomb {
    static func make(prefix: [UInt8], fill: UInt8, mebibytes: Int) throws -> [UInt8] {
        var s = z_stream()
        guard deflateInit2_(&s, 9, Z_DEFLATED, 15 + 16, 9, Z_RLE, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CocoaError(.featureUnsupported)
        }
        defer { deflateEnd(&s) }
        func deflateAll(_ input: [UInt8], _ flush: Int32) -> [UInt8] {
            var input = input, out: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            input.withUnsafeMutableBufferPointer { inp in
                s.next_in = inp.baseAddress; s.avail_in = UInt32(inp.count)
                repeat {
                    buffer.withUnsafeMutableBufferPointer { b in
                        s.next_out = b.baseAddress; s.avail_out = UInt32(b.count)
                        _ = deflate(&s, flush)
                        out += b[0..<(b.count - Int(s.avail_out))]
                    }
                } while s.avail_out == 0
            }
            return out
        }
        let block = [UInt8](repeating: fill, count: 1 << 20)
        let head = deflateAll(prefix, Z_FULL_FLUSH)
        let body = deflateAll(block, Z_FULL_FLUSH)
        var tail = deflateAll([10], Z_FINISH)
        tail.removeLast(8)                                     // the stream's own trailer: replaced
        var crc = crc32(0, prefix, UInt32(prefix.count))
        let blockCRC = crc32(0, block, UInt32(block.count))
        for _ in 0..<mebibytes { crc = crc32_combine(crc, blockCRC, off_t(block.count)) }
        crc = crc32_combine(crc, crc32(0, [10], 1), 1)
        let size = UInt32(truncatingIfNeeded: prefix.count + mebibytes << 20 + 1)
        var out = head
        for _ in 0..<mebibytes { out += body }
        out += tail
        for v in [UInt32(crc), size] { out += [UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24)] }
        return out
    }
}

/// `timeseries.max_table_bytes` through the binary: a table over the bound is an error at its
/// line naming the key (exit 1, no data files), and the key is validated like any other.
@Suite struct TableMemoryLimitCLITests {
    @Test func aTableOverTheBoundFailsAtItsLineNamingTheKey() throws {
        let dir = try HostileCSVTests.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/big.csv"
        try HostileCSVTests.jenaCSV(rows: 400).write(toFile: csv, atomically: true, encoding: .utf8)
        // 14 features and a timestamp: 72 bytes a row; 10,000 bytes hold 138 rows.
        let r = try CLI.run(["prepare", HostileCSVTests.fixture, "--source", csv, "--output", dir + "/out", "--quiet",
                             "--set", "timeseries.max_table_bytes=10000"])
        #expect(r.code == 1)
        #expect(r.stderr.contains("big.csv:140:") && r.stderr.contains("timeseries.max_table_bytes"), "\(r.stderr)")
        #expect(HostileCSVTests.files(dir + "/out").isEmpty)
        let bad = try CLI.run(["validate", HostileCSVTests.fixture, "--set", "timeseries.max_table_bytes=10"])
        #expect(bad.code == 2 && bad.stderr.contains("max_table_bytes"))
    }
}
