import Foundation
import Testing
@testable import PipelineTraining

@Suite struct ActivationTests {
    @Test func namesAreKeras() {
        #expect(Activation(keras: "relu") == .relu)
        #expect(Activation(keras: "softmax") == .softmax)
        #expect(Activation(keras: "gelu") == nil)
    }

    @Test func valuesFollowTheirDefinitions() {
        let x: [Float] = [-2, -0.5, 0, 0.5, 3, 1]
        func applied(_ a: Activation, rows: Int = 1) -> [Float] {
            var v = x
            v.withUnsafeMutableBufferPointer { a.apply($0.baseAddress!, rows: rows, width: x.count / rows) }
            return v
        }
        #expect(applied(.linear) == x)
        #expect(applied(.relu) == x.map { max($0, 0) })
        #expect(zip(applied(.sigmoid), x).allSatisfy { abs($0 - 1 / (1 + exp(-$1))) < 1e-6 })
        let soft = applied(.softmax, rows: 2)
        #expect(abs(soft[0..<3].reduce(0, +) - 1) < 1e-6 && abs(soft[3..<6].reduce(0, +) - 1) < 1e-6)
        #expect(soft[4] > soft[5] && soft[5] > soft[3])
    }

    @Test(arguments: [0, 1, 7, 8, 9, 23])
    func reluLanesMatchTheScalarDefinition(count: Int) {
        let keys: [Float] = (0..<count).map { i in i % 5 == 0 ? .nan : Float(i % 3) - 1 }   // -1, 0, 1 and NaN
        var values = (0..<count).map { Float($0) + 0.5 }
        let expected = zip(keys, values).map { k, v in k > 0 ? v : 0 }
        keys.withUnsafeBufferPointer { k in
            values.withUnsafeMutableBufferPointer { Activation.reluMask($0.baseAddress!, by: k.baseAddress!, count: count) }
        }
        #expect(values == expected)
        var x = keys
        x.withUnsafeMutableBufferPointer { Activation.relu.apply($0.baseAddress!, rows: 1, width: count) }
        #expect(x == keys.map { $0 > 0 ? $0 : 0 })
    }
}
