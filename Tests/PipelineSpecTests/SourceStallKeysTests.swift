import Testing
import PipelineCore
@testable import PipelineSpec

/// `source.timeout_seconds` (the stall timeout) and `source.min_bytes_per_second` (the rate
/// floor): ranges checked at parse time; the floor is listed by `describe` only when set.
@Suite struct SourceStallKeysTests {
    func spec(_ source: String) -> String {
        minimalText.replacingOccurrences(of: "{url: data.tar.gz}", with: "{url: http://x/y.tgz, \(source)}")
    }

    @Test func outOfRangeValuesAreSpecErrors() {
        for (source, key) in [("timeout_seconds: 1e300", "timeout_seconds"), ("timeout_seconds: 0", "timeout_seconds"),
                              ("min_bytes_per_second: -1", "min_bytes_per_second"), ("min_bytes_per_second: .nan", "min_bytes_per_second")] {
            let e = specError(spec(source))
            #expect(e != nil && "\(e!)".contains(key), "\(source): \(String(describing: e))")
        }
    }

    @Test func floorIsParsedAndListedOnlyWhenSet() throws {
        let set = try PipelineSpec.parse(spec("timeout_seconds: 0.5, min_bytes_per_second: 50"), file: "t.yaml")
        #expect(set.source.timeoutSeconds == 0.5 && set.source.minBytesPerSecond == 50)
        #expect(set.yaml.contains("min_bytes_per_second: 50"))
        let plain = try PipelineSpec.parse(spec("retries: 1"), file: "t.yaml")
        #expect(plain.source.minBytesPerSecond == 1000 && !plain.yaml.contains("min_bytes_per_second"))
    }
}
