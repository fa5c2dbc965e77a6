import PipelineCore

/// The copy kernel of every window batcher: gathers windows of a row-major `[N, F]` matrix into
/// a contiguous `[B, T, F]` buffer.
///
/// Shape legend: `N` rows, `F` features, `B` windows in the batch, `T` timesteps per window.
/// Window `b` reads rows `starts[b] + t * rate` for `t` in `0..<T`. Cost: `B * T` copies of `F`
/// floats (the only copy of the data a batch makes); indices are the caller's duty (precondition
/// on the last row read).
enum WindowGather {
    static func gather(_ data: [Float], features f: Int, starts: [Int], timesteps: Int, rate: Int) -> [Float] {
        let b = starts.count
        let windowSize = timesteps * f
        guard let last = starts.max() else { return [] }
        precondition(starts.min()! >= 0 && (last + (timesteps - 1) * rate + 1) * f <= data.count, "window out of range")
        return [Float](unsafeUninitializedCapacity: b * windowSize) { out, n in
            data.withUnsafeBufferPointer { src in
                let s = src.baseAddress!, d = out.baseAddress!
                for (w, start) in starts.enumerated() {
                    var from = s + start * f
                    var to = d + w * windowSize
                    let stride = rate * f
                    if f == 14 {                                      // the Jena width: unrolled
                        for _ in 0..<timesteps { copy14(from, to); from += stride; to += 14 }
                    } else {
                        for _ in 0..<timesteps { to.update(from: from, count: f); from += stride; to += f }
                    }
                }
            }
            n = b * windowSize
        }
    }

    @inline(__always)
    private static func copy14(_ from: UnsafePointer<Float>, _ to: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(to).storeBytes(of: UnsafeRawPointer(from).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(to + 8).storeBytes(of: UnsafeRawPointer(from + 8).loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
        (to + 12).pointee = (from + 12).pointee
        (to + 13).pointee = (from + 13).pointee
    }
}
