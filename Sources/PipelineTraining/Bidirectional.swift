import PipelineCore

/// Keras' `Bidirectional` wrapper: the layer reads the sequence forwards, a copy of it with
/// `go_backwards` flipped reads it backwards, and their outputs are merged.
///
/// ```swift
/// let bi = Bidirectional(LSTM(units: 32), mergeMode: .concat)
/// _ = try bi.build(inputShape: [500, 32], rng: &rng)   // 2 × 8,320 = 16,640 weights
/// ```
///
/// Semantics (Keras 3): the backward layer is a fresh copy (own weights, drawn after the forward
/// layer's) named `backward_<name>`; the forward one is `forward_<name>`; parameters are named
/// `<bidirectional>/forward_lstm/kernel`, …. With `return_sequences` the backward outputs (in
/// processing order) are flipped back to input time order before merging. Merge modes:
/// `concat` (last axis, `[…, 2H]`), `sum`, `mul`, `ave` (`[…, H]`).
/// Shape legend: `B` batch, `T` timesteps, `F` features, `H` units.
/// Cost: twice the wrapped layer plus one pass over the outputs. Failure: as the wrapped layer.
public final class Bidirectional: Layer {
    /// How the two directions' outputs are combined, with Keras' names.
    public enum MergeMode: String, Sendable, Codable, CaseIterable { case concat, sum, mul, ave }

    public var name: String
    public let mergeMode: MergeMode
    public let forwardLayer: RecurrentLayer
    public let backwardLayer: RecurrentLayer
    private let innerName: String
    private var yForward = Tensor(shape: [0]), yBackward = Tensor(shape: [0])

    public init(_ layer: RecurrentLayer, mergeMode: MergeMode = .concat, name: String = "bidirectional") {
        self.name = name
        self.mergeMode = mergeMode
        innerName = layer.name
        forwardLayer = layer
        backwardLayer = layer.copy(goBackwards: !layer.goBackwards, name: layer.name)
    }

    public var kind: String { "Bidirectional" }
    public var parameters: [Parameter] { forwardLayer.parameters + backwardLayer.parameters }

    public var config: [String: ConfigValue] {
        var c = forwardLayer.config
        c["name"] = .string(name)
        c["layer"] = .string(forwardLayer.kind)
        c["merge_mode"] = .string(mergeMode.rawValue)
        return c
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws -> [Int] {
        forwardLayer.name = "\(name)/forward_\(innerName)"
        backwardLayer.name = "\(name)/backward_\(innerName)"
        var out = try forwardLayer.build(inputShape: inputShape, rng: &rng)
        _ = try backwardLayer.build(inputShape: inputShape, rng: &rng)
        if mergeMode == .concat { out[out.count - 1] *= 2 }
        return out
    }

    public func forward(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        forwardLayer.embedded = nil; backwardLayer.embedded = nil
        if directionsInParallel(x) {
            runDirectionsInParallel(x, context: &context)
        } else {
            yForward = forwardLayer.forward(x, context: &context)
            yBackward = backwardLayer.forward(x, context: &context)
        }
        return merged()
    }

    /// Whether the two directions run at the same time, one per thread, instead of one after the
    /// other with each batch split in two (the layers' own rule: `parallelMinBatch`). A whole
    /// batch per thread gives each direction bigger products and spares the split's copies.
    private func directionsInParallel(_ x: Tensor) -> Bool {
        let b = x.shape.first ?? 0
        return b >= 2 && b >= forwardLayer.parallelMinBatch && b >= backwardLayer.parallelMinBatch
    }

    /// Both directions' forward passes at once. Their dropout masks are drawn first, forward
    /// layer then backward layer, exactly as the sequential order consumes the stream.
    private func runDirectionsInParallel(_ x: Tensor, context: inout ForwardContext) {
        let b = x.shape[0]
        forwardLayer.presetMasks = forwardLayer.drawMasks(batch: b, context: &context)
        backwardLayer.presetMasks = backwardLayer.drawMasks(batch: b, context: &context)
        var c1 = context, c2 = context
        var y1 = Tensor(shape: [0]), y2 = Tensor(shape: [0])
        let f = forwardLayer, r = backwardLayer
        ParallelPair.run({ y1 = f.forwardWhole(x, context: &c1) }, { y2 = r.forwardWhole(x, context: &c2) })
        f.splitRows = 0; r.splitRows = 0
        yForward = y1; yBackward = y2
        parallelDirections = true
    }

    /// Whether the last forward ran the directions in parallel (backward does the same).
    private var parallelDirections = false

    /// Whether backward computes dL/dx (``Sequential`` clears it for the first trainable layer).
    public var computesInputGradient: Bool {
        get { forwardLayer.computesInputGradient }
        set { forwardLayer.computesInputGradient = newValue; backwardLayer.computesInputGradient = newValue }
    }

    /// The two directions' outputs (`yForward`, `yBackward` in processing order), merged.
    private func merged() -> Tensor {
        if forwardLayer.returnSequences { yBackward = Self.flipTime(yBackward) }
        let h = yForward.shape.last!, n = yForward.count, rows = n / h
        let width = mergeMode == .concat ? 2 * h : h
        let data = [Float](unsafeUninitializedCapacity: rows * width) { out, count in
            yForward.data.withUnsafeBufferPointer { f in
                yBackward.data.withUnsafeBufferPointer { r in
                    switch mergeMode {
                    case .concat:
                        for i in 0..<rows {
                            (out.baseAddress! + i * 2 * h).update(from: f.baseAddress! + i * h, count: h)
                            (out.baseAddress! + i * 2 * h + h).update(from: r.baseAddress! + i * h, count: h)
                        }
                    case .sum: for i in 0..<n { out[i] = f[i] + r[i] }
                    case .mul: for i in 0..<n { out[i] = f[i] * r[i] }
                    case .ave: for i in 0..<n { out[i] = (f[i] + r[i]) / 2 }
                    }
                }
            }
            count = rows * width
        }
        return Tensor(shape: Array(yForward.shape.dropLast()) + [width], data: data)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let (dF, dB) = splitGradient(dy)
        var (dx, dxB) = backwardDirections(dF, dB)
        guard computesInputGradient else { return dx }
        dx.data.withUnsafeMutableBufferPointer { d in
            dxB.data.withUnsafeBufferPointer { e in for i in 0..<d.count { d[i] += e[i] } }
        }
        return dx
    }

    /// Both directions' backward passes, at the same time when their forward passes were.
    private func backwardDirections(_ dF: Tensor, _ dB: Tensor) -> (Tensor, Tensor) {
        guard parallelDirections else { return (forwardLayer.backward(dF), backwardLayer.backward(dB)) }
        parallelDirections = false
        var d1 = Tensor(shape: [0]), d2 = Tensor(shape: [0])
        let f = forwardLayer, r = backwardLayer
        ParallelPair.run({ d1 = f.backwardWhole(dF) }, { d2 = r.backwardWhole(dB) })
        return (d1, d2)
    }

    /// dL/dy of the merged output → each direction's dL/dy (the backward one in processing order).
    private func splitGradient(_ dy: Tensor) -> (Tensor, Tensor) {
        let shape = yForward.shape, h = shape.last!, n = yForward.count, rows = n / h
        var dF = Tensor(shape: shape), dB = Tensor(shape: shape)
        dy.data.withUnsafeBufferPointer { g in
            dF.data.withUnsafeMutableBufferPointer { df in
                dB.data.withUnsafeMutableBufferPointer { db in
                    switch mergeMode {
                    case .concat:
                        for i in 0..<rows {
                            (df.baseAddress! + i * h).update(from: g.baseAddress! + i * 2 * h, count: h)
                            (db.baseAddress! + i * h).update(from: g.baseAddress! + i * 2 * h + h, count: h)
                        }
                    case .sum: for i in 0..<n { df[i] = g[i]; db[i] = g[i] }
                    case .ave: for i in 0..<n { df[i] = g[i] / 2; db[i] = g[i] / 2 }
                    case .mul:
                        for i in 0..<n { df[i] = g[i] * yBackward.data[i]; db[i] = g[i] * yForward.data[i] }
                    }
                }
            }
        }
        if forwardLayer.returnSequences { dB = Self.flipTime(dB) }
        return (dF, dB)
    }

    /// [B, T, W] with time reversed.
    static func flipTime(_ y: Tensor) -> Tensor {
        let b = y.shape[0], t = y.shape[1], w = y.shape[2]
        let data = [Float](unsafeUninitializedCapacity: y.count) { out, count in
            y.data.withUnsafeBufferPointer { src in
                for bi in 0..<b {
                    for ti in 0..<t {
                        (out.baseAddress! + (bi * t + ti) * w).update(from: src.baseAddress! + (bi * t + t - 1 - ti) * w, count: w)
                    }
                }
            }
            count = y.count
        }
        return Tensor(shape: y.shape, data: data)
    }
}

extension Bidirectional: InputGradientOptional {}

extension Bidirectional: EmbeddingConsumer {
    func canConsume(_ embedding: Embedding, tokens: Int, training: Bool) -> Bool {
        forwardLayer.canConsume(embedding, tokens: tokens, training: training)
            && backwardLayer.canConsume(embedding, tokens: tokens, training: training)
    }

    func forward(ids: Tensor, embedding: Embedding, context: inout ForwardContext) -> Tensor {
        guard directionsInParallel(ids) else {
            yForward = forwardLayer.forward(ids: ids, embedding: embedding, context: &context)
            yBackward = backwardLayer.forward(ids: ids, embedding: embedding, context: &context)
            return merged()
        }
        forwardLayer.project(embedding)
        backwardLayer.project(embedding)
        runDirectionsInParallel(ids, context: &context)
        if !context.training { forwardLayer.embedded = nil; backwardLayer.embedded = nil }
        return merged()
    }

    func backwardIntoEmbedding(_ dy: Tensor, embedding: Embedding) {
        let (dF, dB) = splitGradient(dy)
        _ = backwardDirections(dF, dB)
        forwardLayer.finishEmbeddedBackward(embedding)      // both write the table's gradient:
        backwardLayer.finishEmbeddedBackward(embedding)     // one after the other
    }
}
