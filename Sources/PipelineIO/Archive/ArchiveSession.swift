/// One running archive read: the producer task that pulls input chunks into the worker's
/// input queue, and the worker thread. Dropping the session (the iterator that owns it)
/// cancels both, so a consumer that stops early leaves no thread or task behind.
final class ArchiveSession: Sendable {
    let output: HandoffQueue<[ArchiveItem]>
    private let input: HandoffQueue<[UInt8]>
    private let producer: Task<Void, Never>

    init<Base: AsyncSequence & Sendable>(base: Base, config: ArchiveReadConfig) where Base.Element == [UInt8] {
        let input = HandoffQueue<[UInt8]>(capacity: 4)
        // At most 16 batches and, beyond the first, 8 MiB of entry bytes waiting.
        let output = HandoffQueue<[ArchiveItem]>(capacity: 16, maxWeight: 8 << 20,
                                                 weigh: { $0.reduce(0) { $0 + $1.byteCount } })
        self.input = input; self.output = output
        producer = Task {
            do {
                var chunks = base.makeAsyncIterator()
                while let chunk = try await chunks.next() {
                    guard await input.push(chunk) else { return }
                }
                input.finish()
            } catch {
                input.finish(error)
            }
        }
        ArchiveWorker(input: input, output: output, config: config).start()
    }

    deinit {
        input.cancel()
        output.cancel()
        producer.cancel()
    }
}
