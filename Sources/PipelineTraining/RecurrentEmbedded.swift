import CKernels
import PipelineCore

/// `Embedding` followed by a recurrent layer, fused: the input projection of every token is a row
/// of the table `P = E·K` (`[V, kH]`, computed once per batch) instead of a row of the product
/// `(embedded batch)·K`.
///
/// Shape legend: `B` batch, `T` timesteps, `V` vocabulary, `F` embedding width (the layer's
/// features), `H` units, `k` gates.
///
/// Semantics: the same maths as the two layers one after the other (`x_t·K = E[id_t]·K`), only
/// summed in another order (differences of a few ulps). Backward scatter-adds the input-side gate
/// gradients into `dP [V, kH]` by token, then `dK += Eᵀ·dP` and `dE += dP·Kᵀ`. ``Sequential``
/// fuses a pair when the consumer can take it (see ``EmbeddingConsumer``) and the batch has at
/// least `V` tokens (so the table costs no more than the projection it replaces); the decision
/// depends on shapes only, so a seed still gives the same weights everywhere.
/// The LSTM, SimpleRNN and GRU (reset_after) gate kernels read each step's rows of `P` in place
/// (prefetched a few rows ahead: `P` is larger than L2 and the ids are data); GRU with
/// reset_after false gathers them into its pre-activations first.
/// Cost: `2·V·F·kH` flops for `P`, `4·V·F·kH` backward, plus `B·T·kH` row reads and adds, against
/// `2·B·T·F·kH` forward and `4·B·T·F·kH` backward unfused: at IMDB shapes (`B·T` = 64,000,
/// `V` = 10,000) a sixth of the input-side work. Memory: `P` and `dP` (`V·kH` floats each, per
/// half of a split batch for `dP`).
struct EmbeddedProjection {
    var table: [Float]          // [V, kH]
    var vocabulary: Int
}

/// A layer that can consume an ``Embedding``'s ids directly (the fused path above).
protocol EmbeddingConsumer: Layer {
    /// Whether this layer can take `embedding`'s ids for a batch of `tokens` token ids now.
    func canConsume(_ embedding: Embedding, tokens: Int, training: Bool) -> Bool
    /// The output the layer would give for `embedding.forward(ids)`.
    func forward(ids: Tensor, embedding: Embedding, context: inout ForwardContext) -> Tensor
    /// Back-propagates into this layer's parameters and `embedding`'s table gradient.
    func backwardIntoEmbedding(_ dy: Tensor, embedding: Embedding)
}

extension Recurrent: EmbeddingConsumer {
    func canConsume(_ embedding: Embedding, tokens: Int, training: Bool) -> Bool {
        embedding.outputDim == inputFeatures && tokens >= embedding.inputDim && (!training || dropout == 0)
    }

    func forward(ids: Tensor, embedding: Embedding, context: inout ForwardContext) -> Tensor {
        project(embedding)
        let y = batchSplit.forward(self, ids, context: &context)
        if !context.training { embedded = nil }
        return y
    }

    /// Sets `embedded` to `P = E·K` for this batch (two threads over the table's rows).
    func project(_ embedding: Embedding) {
        guard let table = embedding.embeddings, let kernel else { preconditionFailure("\(kind) '\(name)' used before build") }
        let v = embedding.inputDim, f = inputFeatures, kh = gates * units
        var p = [Float](repeating: 0, count: v * kh)
        table.value.data.withUnsafeBufferPointer { e in
            kernel.value.data.withUnsafeBufferPointer { k in
                p.withUnsafeMutableBufferPointer { pb in
                    let ep = e.baseAddress!, kp = k.baseAddress!, pp = pb.baseAddress!
                    ParallelPair.overHalves(v, split: true) { rows in
                        Kernels.gemm(m: rows.count, n: kh, k: f, a: ep + rows.lowerBound * f, lda: f, b: kp, ldb: kh,
                                     c: pp + rows.lowerBound * kh, ldc: kh)
                    }
                }
            }
        }
        embedded = EmbeddedProjection(table: p, vocabulary: v)
    }

    func backwardIntoEmbedding(_ dy: Tensor, embedding: Embedding) {
        _ = backward(dy)                                    // fills dP (both halves summed)
        finishEmbeddedBackward(embedding)
    }

    /// dP += the twin's dP, after the two halves of a split batch (RecurrentBatchSplit.swift).
    func addTableGradient(of twin: Recurrent<Cell>) {
        guard let e = embedded else { return }
        let mine = tableGrad.pointer, theirs = twin.tableGrad.pointer
        for i in 0..<(e.vocabulary * gates * units) { mine[i] += theirs[i] }
    }

    /// `dK += Eᵀ·dP` and `dE += dP·Kᵀ` (on two threads) from the `dP` a backward pass left.
    /// Writes `embedding`'s gradient: never run two of these at the same time.
    func finishEmbeddedBackward(_ embedding: Embedding) {
        guard let projection = embedded, let table = embedding.embeddings, let kernel else {
            preconditionFailure("\(kind) '\(name)': backward without an embedded forward")
        }
        let v = projection.vocabulary, f = inputFeatures, kh = gates * units
        let dP = UnsafePointer(tableGrad.pointer)
        var dK = [Float](repeating: 0, count: f * kh)
        table.value.data.withUnsafeBufferPointer { e in
            kernel.value.data.withUnsafeBufferPointer { k in
                table.grad.data.withUnsafeMutableBufferPointer { de in
                    dK.withUnsafeMutableBufferPointer { dk in
                        let ep = e.baseAddress!, kp = k.baseAddress!, dep = de.baseAddress!, dkp = dk.baseAddress!
                        ParallelPair.run(
                            { Kernels.gemm(transA: true, m: f, n: kh, k: v, a: ep, lda: f, b: dP, ldb: kh, c: dkp, ldc: kh) },
                            { Kernels.gemm(transB: true, m: v, n: f, k: kh, a: dP, lda: kh, b: kp, ldb: kh, beta: 1, c: dep, ldc: f) })
                    }
                }
            }
        }
        dK.withUnsafeBufferPointer { kernel.accumulateGrad($0.baseAddress!) }
        embedded = nil
    }

    /// Whether `x` is this layer's input: `[B, T, F]`, or ids `[B, T]` when embedded.
    func acceptsInput(_ x: Tensor) -> Bool {
        embedded != nil ? x.rank == 2 : x.rank == 3 && x.shape[2] == inputFeatures
    }

    /// ids `[B, T]` (exact floats) → `idsTimeMajor` in processing order.
    func loadIds(_ x: Tensor) {
        let b = x.shape[0], t = x.shape[1], v = embedded!.vocabulary
        if idsTimeMajor.count != b * t { idsTimeMajor = [Int32](repeating: 0, count: b * t) }
        x.data.withUnsafeBufferPointer { src in
            idsTimeMajor.withUnsafeMutableBufferPointer { dst in
                for bi in 0..<b {
                    for ti in 0..<t {
                        let id = Int(src[bi * t + ti])
                        precondition(id >= 0 && id < v, "\(kind) '\(name)': token id \(src[bi * t + ti]) outside 0..<\(v)")
                        dst[(goBackwards ? t - 1 - ti : ti) * b + bi] = Int32(id)
                    }
                }
            }
        }
    }

    /// Whether this forward reads `P`'s rows in the gate kernel (see above).
    var foldsInputRows: Bool { embedded != nil && cell.readsInputRows }

    /// `body(table, ids)` with the gate kernels' gathered-row arguments (`ids` of step 0; step
    /// `s` is at `ids + s·B`), or `(nil, nil)` when this forward does not fold them.
    func withInputRows<R>(_ body: (UnsafePointer<Float>?, UnsafePointer<Int32>?) -> R) -> R {
        guard foldsInputRows, let embedded else { return body(nil, nil) }
        return embedded.table.withUnsafeBufferPointer { t in
            idsTimeMajor.withUnsafeBufferPointer { body(t.baseAddress, $0.baseAddress) }
        }
    }

    /// z[r] = P[id[r]] for the time-major rows `rows`.
    func gatherProjections(_ projection: EmbeddedProjection, rows: Range<Int>, into z: UnsafeMutablePointer<Float>) {
        let kh = gates * units
        projection.table.withUnsafeBufferPointer { p in
            idsTimeMajor.withUnsafeBufferPointer { ids in
                for r in rows { (z + r * kh).update(from: p.baseAddress! + Int(ids[r]) * kh, count: kh) }
            }
        }
    }

    /// dP[id[r], span] += dZ[r, span] for the chunk's rows, and the input-side bias sums.
    func embeddedGradients(_ spans: [InputGradSpan], steps range: Range<Int>, dB: UnsafeMutablePointer<Float>?) {
        let b = batch, h = units, kh = gates * units, r0 = range.lowerBound * b, n = range.count * b
        let dP = tableGrad.pointer
        idsTimeMajor.withUnsafeBufferPointer { ids in
            for s in spans {
                let w = s.gates * h, col = s.gate0 * h, dz = s.dz + r0 * s.ld
                ck_scatter_rows(n, Int32(w), dz, s.ld, ids.baseAddress! + r0, dP + col, kh)
                if let dB { ck_colsum_acc(n, Int32(w), dz, s.ld, dB + col) }
            }
        }
    }
}
