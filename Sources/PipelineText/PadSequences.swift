import PipelineCore

/// Which end of a sequence `pad_sequences` pads (`pre`: before the values, Keras' default).
public enum SequencePadding: String, Sendable, Codable, CaseIterable, Hashable { case pre, post }

/// Which end of a too-long sequence `pad_sequences` removes (`pre`: the beginning, Keras' default).
public enum Truncating: String, Sendable, Codable, CaseIterable, Hashable { case pre, post }

/// A contiguous row-major `[count, maxlen]` matrix of `Int32` ids: what `pad_sequences` returns.
public struct PaddedSequences: Sendable, Equatable {
    public var values: [Int32]
    public var count: Int
    public var maxlen: Int
    public var shape: [Int] { [count, maxlen] }
    public init(values: [Int32], count: Int, maxlen: Int) {
        precondition(values.count == count * maxlen, "values do not fill [\(count), \(maxlen)]")
        self.values = values; self.count = count; self.maxlen = maxlen
    }
    /// Row `i` as an array.
    public func row(_ i: Int) -> [Int32] { Array(values[i * maxlen..<(i + 1) * maxlen]) }
}

/// Pads and truncates sequences to one length: `keras.utils.pad_sequences`.
///
/// ```swift
/// padSequences([[1], [2, 3], [4, 5, 6]]).values               // [0,0,1, 0,2,3, 4,5,6]
/// padSequences([[1], [2, 3], [4, 5, 6]], maxlen: 2).values    // [0,1, 2,3, 5,6]
/// padSequences([[1], [2, 3]], padding: .post, value: -1)      // [1,-1, 2,3]
/// ```
///
/// Semantics (Keras'): `maxlen` nil is the longest length (0 when there is none); a sequence
/// longer than `maxlen` loses its first (`truncating: .pre`) or last (`.post`) values; a shorter
/// one gets `value` before (`padding: .pre`) or after (`.post`) it; empty sequences become
/// rows of `value`. Differences: Keras raises on an empty list with `maxlen=None` and on
/// `maxlen=0` with non-empty sequences; here those give `[0, 0]` and rows of width 0.
/// Cost: one pass, one allocation of `count × maxlen` values. `maxlen < 0` is a precondition failure.
public func padSequences(_ sequences: [[Int32]], maxlen: Int? = nil, padding: SequencePadding = .pre,
                         truncating: Truncating = .pre, value: Int32 = 0) -> PaddedSequences {
    let width = maxlen ?? sequences.reduce(0) { max($0, $1.count) }
    precondition(width >= 0, "maxlen must be >= 0, received \(width)")
    var out = [Int32](repeating: value, count: sequences.count * width)
    out.withUnsafeMutableBufferPointer { buf in
        for (i, s) in sequences.enumerated() {
            s.withUnsafeBufferPointer { src in
                padRow(src, into: buf.baseAddress! + i * width, maxlen: width, padding: padding,
                       truncating: truncating, value: value, prefilled: true)
            }
        }
    }
    return PaddedSequences(values: out, count: sequences.count, maxlen: width)
}

/// Writes one padded/truncated row of `maxlen` values at `row` (the kernel of ``padSequences(_:maxlen:padding:truncating:value:)``).
/// `prefilled` says the row already holds `value` everywhere.
@inline(__always)
func padRow(_ s: UnsafeBufferPointer<Int32>, into row: UnsafeMutablePointer<Int32>, maxlen: Int,
            padding: SequencePadding, truncating: Truncating, value: Int32, prefilled: Bool = false) {
    let n = min(s.count, maxlen)
    let from = truncating == .pre ? s.count - n : 0
    let at = padding == .pre ? maxlen - n : 0
    if !prefilled {
        if at > 0 { row.update(repeating: value, count: at) }
        if at + n < maxlen { (row + at + n).update(repeating: value, count: maxlen - at - n) }
    }
    if n > 0 { (row + at).update(from: s.baseAddress! + from, count: n) }
}
