/// The shapes of one ``Conv1D``, fixed at `build`, shared by its plain path and by
/// ``Conv1DWindowed``.
///
/// ```swift
/// let g = Conv1DGeometry(timesteps: 120, channels: 14, kernelSize: 5, strides: 1, filters: 32, padding: .valid)
/// g.tOut      // 116
/// ```
///
/// Legend (`B` batch, `T` timesteps, `C` input channels, `K` kernel size, `F` filters, `S` strides):
/// `T' = ⌊(T−K)/S⌋+1` (valid) or `⌈T/S⌉` (same, `padLeft` zeros on the left, the odd one on the
/// right). The padded input `xp` is `[B, Tp, C]` with `Tp` a multiple of `S` and at least the
/// last window's end, so that sample `i` starts at row `i·Tp/S` of the strided output over the
/// whole flattened batch (`[B·Tp, C]`): that output has `R = (B−1)·Tp/S + T'` rows, of which the
/// ones between two samples' outputs straddle the two samples and are dropped.
/// Cost: `B·Tp·C` floats for the padded input. `T < K` with `valid` is a programmer error
/// (precondition): ``Conv1D``'s `build` throws ``InputError`` for it first.
struct Conv1DGeometry: Sendable, Equatable {
    let t: Int, c: Int, k: Int, s: Int, f: Int
    let tOut: Int, padLeft: Int, tPadded: Int

    init(timesteps t: Int, channels c: Int, kernelSize k: Int, strides s: Int, filters f: Int,
         padding: Conv1D.Padding) {
        self.t = t; self.c = c; self.k = k; self.s = s; self.f = f
        switch padding {
        case .valid:
            precondition(t >= k, "Conv1D kernel_size \(k) needs at least \(k) timesteps, got \(t)")
            tOut = (t - k) / s + 1; padLeft = 0
        case .same:
            tOut = (t + s - 1) / s
            padLeft = max((tOut - 1) * s + k - t, 0) / 2
        }
        let needed = max((tOut - 1) * s + k, padLeft + t)
        tPadded = (needed + s - 1) / s * s                      // a multiple of S: samples align
    }

    /// Strided output rows per sample in the flattened batch (`Tp/S`).
    var perSample: Int { tPadded / s }
    /// Rows `R` of the strided output over the flattened batch (see the legend).
    func fullRows(batch b: Int) -> Int { (b - 1) * perSample + tOut }
    var needsPadding: Bool { padLeft != 0 || tPadded != t }
    /// Whether a batch of `b` samples is worth two threads (2^20+ multiply-adds).
    func splits(batch b: Int) -> Bool { b >= 2 && b * tOut * k * c * f >= 1 << 20 }

    /// `[B, T, C]` → `[B, Tp, C]`, zeros around each sample.
    func pad(_ x: Tensor) -> Tensor {
        let b = x.shape[0]
        var out = Tensor(shape: [b, tPadded, c])
        Self.copyBlocks(b, length: t * c, from: x.data, stride: t * c, offset: 0,
                        to: &out.data, stride: tPadded * c, offset: padLeft * c)
        return out
    }

    /// `[B, Tp, C]` → `[B, T, C]`: the input gradient without the padding rows.
    func unpad(_ dxp: Tensor, batch b: Int) -> Tensor {
        var dx = Tensor(shape: [b, t, c])
        Self.copyBlocks(b, length: t * c, from: dxp.data, stride: tPadded * c, offset: padLeft * c,
                        to: &dx.data, stride: t * c, offset: 0)
        return dx
    }

    /// `dst[i·dstStride + dstOffset ..< +length] = src[i·srcStride + srcOffset ..< +length]` for `i < count`.
    static func copyBlocks(_ count: Int, length: Int,
                           from src: UnsafePointer<Float>, stride srcStride: Int, offset srcOffset: Int,
                           to dst: UnsafeMutablePointer<Float>, stride dstStride: Int, offset dstOffset: Int) {
        for i in 0..<count {
            (dst + i * dstStride + dstOffset).update(from: src + i * srcStride + srcOffset, count: length)
        }
    }
}
