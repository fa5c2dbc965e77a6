import Testing
@testable import PipelineTimeseries

@Suite struct WindowGatherTests {
    @Test(arguments: [1, 3, 14, 15])
    func matchesANaiveGather(features f: Int) {
        let data = (0..<(200 * f)).map { Float($0) }
        let starts = [0, 7, 100, 3]
        let out = WindowGather.gather(data, features: f, starts: starts, timesteps: 9, rate: 6)
        var expected: [Float] = []
        for s in starts { for t in 0..<9 { for c in 0..<f { expected.append(data[(s + t * 6) * f + c]) } } }
        #expect(out == expected)
    }
}
