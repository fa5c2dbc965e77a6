/// A growable, uninitialised `Float` buffer owned by a layer: the recurrent layers keep their
/// stash (inputs, gate activations, states) and scratch in these so that no allocation happens
/// inside the time loop and none between batches of the same shape.
///
/// ```swift
/// let z = RecurrentBuffer()
/// let p = z.reserve(t * b * 4 * h)   // pointer valid until the next larger reserve
/// ```
///
/// Semantics: `reserve(n)` returns a pointer to at least `n` floats, reallocating (contents lost)
/// only when `n` exceeds the capacity; `zeroed(n)` also clears the first `n`. Not thread-safe.
/// Cost: an allocation on growth only.
final class RecurrentBuffer {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init(capacity: Int = 0) {
        self.capacity = max(capacity, 1)
        pointer = .allocate(capacity: self.capacity)
    }

    deinit { pointer.deallocate() }

    @discardableResult
    func reserve(_ n: Int) -> UnsafeMutablePointer<Float> {
        if n > capacity {
            pointer.deallocate()
            capacity = n
            pointer = .allocate(capacity: n)
        }
        return pointer
    }

    @discardableResult
    func zeroed(_ n: Int) -> UnsafeMutablePointer<Float> {
        let p = reserve(n)
        p.update(repeating: 0, count: n)
        return p
    }

    /// Copies `values` into the buffer and returns the pointer.
    @discardableResult
    func load(_ values: [Float]) -> UnsafeMutablePointer<Float> {
        let p = reserve(values.count)
        values.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: values.count) }
        return p
    }
}

extension Parameter {
    /// grad += values[0..<grad.count]
    func accumulateGrad(_ values: UnsafePointer<Float>) {
        grad.data.withUnsafeMutableBufferPointer { g in
            for i in 0..<g.count { g[i] += values[i] }
        }
    }
}
