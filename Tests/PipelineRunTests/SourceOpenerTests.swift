import Testing
import Foundation
import PipelineCore
@testable import PipelineRun
import PipelineSpec

/// HTTP sources (download, cache, checksums, resume, retries) are tested against a real local
/// server in PipelineIOTests; here, the opener's choice of reader for a spec's source.
@Suite struct SourceOpenerTests {
    @Test func jenaZipSourceReadsTheSelectedEntry() async throws {
        let dir = NSTemporaryDirectory() + "zip-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repoRoot + "/fixtures/jena-mini.csv", toPath: dir + "/jena_climate_2009_2016.csv")
        let zip = Process()
        zip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        zip.arguments = ["python3", "-c", "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]+'/j.csv.zip','w',zipfile.ZIP_DEFLATED); z.write(sys.argv[1]+'/jena_climate_2009_2016.csv','jena_climate_2009_2016.csv'); z.close()", dir]
        try zip.run(); zip.waitUntilExit()
        let spec = try PipelineSpec.load(path: repoRoot + "/pipelines/jena.yaml",
                                         overrides: .init(sets: [try SpecOverride(parsing: "timeseries.ranges=null"),
                                                                 try SpecOverride(parsing: "timeseries.fractions={train: 0.5, validation: 0.25}"),
                                                                 try SpecOverride(parsing: "timeseries.lookback=120"),
                                                                 try SpecOverride(parsing: "timeseries.delay=24")],
                                                          source: dir + "/j.csv.zip", output: dir + "/out"))
        let r = try await PipelineRunner(spec: spec, progress: .quiet).prepare()
        #expect(r.json["rows"] == .int(4000))
        #expect(r.json["features"] == .int(14))
    }
}
