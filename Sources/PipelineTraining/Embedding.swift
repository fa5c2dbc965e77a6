import PipelineCore

/// Turns token ids into dense vectors by table lookup, as Keras' `Embedding`.
///
/// ```swift
/// let model = Sequential([Embedding(inputDim: 10_000, outputDim: 32), SimpleRNN(units: 32), Dense(units: 1)])
/// ```
///
/// Shapes (`B` batch, `T` timesteps, `V` vocabulary = `inputDim`, `E` = `outputDim`): ids `[B, T]`
/// carried as exact `Float`s → `[B, T, E]`. Parameter `embeddings` `[V, E]`, initialised from
/// U(-0.05, 0.05) like Keras' default. The input is not differentiable: `backward` scatter-adds
/// dL/dy rows into the table's gradient and returns an empty tensor.
/// Cost: `B·T·E` copies forward and adds backward. Ids outside `0..<V` are a data error:
/// ``validate(_:)`` throws ``InputError`` naming the id (the trainer calls it for every batch);
/// `forward` itself treats them as a programmer error (precondition).
public final class Embedding: Layer {
    public let kind = "Embedding"
    public var name: String
    public let inputDim: Int
    public let outputDim: Int
    public private(set) var embeddings: Parameter?      // [V, E]
    private var lastIds: [Int32] = []                  // [B·T]
    private var outputStorage: [Float] = []            // [B·T·E], reused by forward

    public init(inputDim: Int, outputDim: Int, name: String = "") {
        precondition(inputDim > 0 && outputDim > 0, "Embedding dims must be > 0, received \(inputDim), \(outputDim)")
        self.inputDim = inputDim; self.outputDim = outputDim; self.name = name
    }

    public var parameters: [Parameter] { embeddings.map { [$0] } ?? [] }

    public var config: [String: ConfigValue] {
        ["name": .string(name), "input_dim": .int(inputDim), "output_dim": .int(outputDim), "mask_zero": .bool(false)]
    }

    public func build(inputShape: [Int], rng: inout SeededRandom) throws -> [Int] {
        embeddings = Parameter(name: "\(name)/embeddings",
                               value: Initializer.embeddingUniform.make(shape: [inputDim, outputDim], rng: &rng))
        return inputShape + [outputDim]
    }

    /// Throws when an id is not an integer in `0..<inputDim`.
    public func validate(_ ids: Tensor) throws {
        for (i, v) in ids.data.enumerated() where !(v >= 0 && v < Float(inputDim) && v == v.rounded(.down)) {
            throw InputError("layer '\(name)' (Embedding) got token id \(v) at flat position \(i); ids must be integers in 0..<\(inputDim)",
                             hint: "raise input_dim or cap the vocabulary (num_words) when tokenizing")
        }
    }

    public func forward(_ x: Tensor, context: inout ForwardContext) -> Tensor {
        guard let embeddings else { preconditionFailure("Embedding '\(name)' used before build") }
        let e = outputDim, n = x.count
        var ids = [Int32](repeating: 0, count: n)
        // The output buffer is reused across steps: once the previous output has been dropped
        // (the usual case) it is written in place, sparing an 8 MB allocation and its page faults
        // at IMDB shapes; if someone still holds it, copy-on-write keeps their copy intact.
        if outputStorage.count != n * e { outputStorage = [Float](repeating: 0, count: n * e) }
        gather(n, ids: x.data, table: embeddings.value.data, into: &outputStorage, keeping: &ids)
        let y = Tensor(shape: x.shape + [e], data: outputStorage)
        if context.training { lastIds = ids }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let embeddings else { preconditionFailure("Embedding '\(name)' used before build") }
        precondition(dy.count == lastIds.count * outputDim, "Embedding '\(name)': backward without a matching forward")
        Self.scatterAdd(lastIds, width: outputDim, rows: dy.data, into: &embeddings.grad.data)
        lastIds = []
        return Tensor(shape: [0])
    }

    /// `y[i, :] = table[id_i, :]` for the `n` ids (exact `Float`s), each kept as `Int32` in `kept`.
    private func gather(_ n: Int, ids x: UnsafePointer<Float>, table w: UnsafePointer<Float>,
                        into y: UnsafeMutablePointer<Float>, keeping kept: UnsafeMutablePointer<Int32>) {
        let e = outputDim, v = inputDim
        for i in 0..<n {
            let id = Int(x[i])
            precondition(id >= 0 && id < v, "Embedding '\(name)': id \(x[i]) outside 0..<\(v)")
            kept[i] = Int32(id)
            let src = w + id * e, dst = y + i * e
            for j in 0..<e { dst[j] = src[j] }                   // E floats: inline, no memmove call
        }
    }

    /// `grad[id_i, :] += dy[i, :]` for every kept id, in order.
    private static func scatterAdd(_ ids: [Int32], width e: Int, rows dy: UnsafePointer<Float>,
                                   into grad: UnsafeMutablePointer<Float>) {
        for (i, id) in ids.enumerated() {
            let g = grad + Int(id) * e, d = dy + i * e
            for j in 0..<e { g[j] += d[j] }
        }
    }
}
