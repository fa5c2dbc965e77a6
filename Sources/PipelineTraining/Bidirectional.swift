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
/// `<bidirectional>/forward_lstm/kernel`, … (the wrapped layer's own name, or its snake-cased class
/// name when it has none; files written before that naming, `bidirectional/forward_/kernel`, still
/// load: ``ModelStore/legacyName(of:)``). With `return_sequences` the backward outputs (in
/// processing order) are flipped back to input time order before merging. Merge modes:
/// `concat` (last axis, `[…, 2H]`), `sum`, `mul`, `ave` (`[…, H]`).
/// Shape legend: `B` batch, `T` timesteps, `F` features, `H` units.
/// Cost: twice the wrapped layer plus one pass over the outputs; large batches run the two
/// directions on two threads (BidirectionalParallel.swift). Failure: as the wrapped layer.
public final class Bidirectional: Layer {
    /// How the two directions' outputs are combined, with Keras' names.
    public enum MergeMode: String, Sendable, Codable, CaseIterable { case concat, sum, mul, ave }

    public var name: String
    public let mergeMode: MergeMode
    public var forwardLayer: any RecurrentLayer { forwardDriver }
    public var backwardLayer: any RecurrentLayer { backwardDriver }
    let forwardDriver: any RecurrentDriver
    let backwardDriver: any RecurrentDriver
    private let innerName: String
    var yForward = Tensor(shape: [0]), yBackward = Tensor(shape: [0])
    /// Whether the last forward ran the directions in parallel (backward does the same).
    var parallelDirections = false

    /// Wraps `layer` (a `SimpleRNN`, `LSTM` or `GRU`; a precondition, as only ``Recurrent``
    /// conforms to ``RecurrentLayer``).
    public init(_ layer: any RecurrentLayer, mergeMode: MergeMode = .concat, name: String = "bidirectional") {
        guard let driver = layer as? any RecurrentDriver else { preconditionFailure("Bidirectional cannot wrap \(layer.kind)") }
        self.name = name
        self.mergeMode = mergeMode
        // Keras names an unnamed layer at construction (`lstm`), before wrapping it; so does this.
        innerName = layer.name.isEmpty ? Sequential.snakeCase(layer.kind) : layer.name
        forwardDriver = driver
        backwardDriver = driver.copy(goBackwards: !layer.goBackwards, name: layer.name)
    }

    public var kind: String { "Bidirectional" }
    public var parameters: [Parameter] { forwardDriver.parameters + backwardDriver.parameters }

    public var config: [String: ConfigValue] {
        var c = forwardDriver.config
        c["name"] = .string(name)
        c["layer"] = .string(forwardDriver.kind)
        c["merge_mode"] = .string(mergeMode.rawValue)
        return c
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws -> [Int] {
        forwardDriver.name = "\(name)/forward_\(innerName)"
        backwardDriver.name = "\(name)/backward_\(innerName)"
        var out = try forwardDriver.build(inputShape: inputShape, rng: &rng)
        _ = try backwardDriver.build(inputShape: inputShape, rng: &rng)
        if mergeMode == .concat { out[out.count - 1] *= 2 }
        return out
    }

    public func forward(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        forwardDriver.clearEmbedded(); backwardDriver.clearEmbedded()
        if directionsInParallel(x) {
            runDirectionsInParallel(x, context: &context)
        } else {
            yForward = forwardDriver.forward(x, context: &context)
            yBackward = backwardDriver.forward(x, context: &context)
        }
        return merged()
    }

    /// Whether backward computes dL/dx (``Sequential`` clears it for the first trainable layer).
    public var computesInputGradient: Bool {
        get { forwardDriver.computesInputGradient }
        set { forwardDriver.computesInputGradient = newValue; backwardDriver.computesInputGradient = newValue }
    }

    /// The two directions' outputs (`yForward`, `yBackward` in processing order), merged.
    func merged() -> Tensor {
        if forwardDriver.returnSequences { yBackward = Self.flipTime(yBackward) }
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

    /// dL/dy of the merged output → each direction's dL/dy (the backward one in processing order).
    func splitGradient(_ dy: Tensor) -> (Tensor, Tensor) {
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
        if forwardDriver.returnSequences { dB = Self.flipTime(dB) }
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
        forwardDriver.canConsume(embedding, tokens: tokens, training: training)
            && backwardDriver.canConsume(embedding, tokens: tokens, training: training)
    }

    func forward(ids: Tensor, embedding: Embedding, context: inout ForwardContext) -> Tensor {
        guard directionsInParallel(ids) else {
            yForward = forwardDriver.forward(ids: ids, embedding: embedding, context: &context)
            yBackward = backwardDriver.forward(ids: ids, embedding: embedding, context: &context)
            return merged()
        }
        forwardDriver.project(embedding)
        backwardDriver.project(embedding)
        runDirectionsInParallel(ids, context: &context)
        if !context.training { forwardDriver.clearEmbedded(); backwardDriver.clearEmbedded() }
        return merged()
    }

    func backwardIntoEmbedding(_ dy: Tensor, embedding: Embedding) {
        let (dF, dB) = splitGradient(dy)
        _ = backwardDirections(dF, dB)
        forwardDriver.finishEmbeddedBackward(embedding)     // both write the table's gradient:
        backwardDriver.finishEmbeddedBackward(embedding)    // one after the other
    }
}
