import Testing
import Foundation

/// `train.on_non_finite: skip_batch` from the command line: each epoch says how many batches it
/// skipped, and an epoch that skipped them all ends the run with exit 1 and the count.
@Suite struct SkippedBatchesCLITests {
    @Test func epochWhoseEveryBatchWasSkippedFailsWithTheCount() throws {
        let out = NSTemporaryDirectory() + "skip-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: out) }
        // SGD at 1e30: the first step's update makes the weights huge, every later batch overflows.
        let r = try CLI.run(["run", "pipelines/fixtures/jena-dense.yaml", "--output", out, "--set", "train.on_non_finite=skip_batch",
                             "--set", "train.optimizer={name: sgd, learning_rate: 1e30}", "--set", "train.epochs=2"])
        #expect(r.code == 1, "\(r.stderr)")
        #expect(r.stderr.contains("skipped_batches: 5"), "\(r.stderr)")
        #expect(r.stderr.contains("warning: epoch 1 skipped 5 of 6 batches"), "\(r.stderr)")
        #expect(r.stderr.contains("error: every batch of epoch 2 was skipped (6 of 6 batches had a non-finite loss or gradient)"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/model.safetensors"))
    }
}
