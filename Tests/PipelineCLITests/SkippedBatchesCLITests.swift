import Testing
import Foundation

/// `train.on_non_finite: skip_batch` from the command line: skipped batches are reported one by
/// one, and a run whose weights went non-finite cannot end with exit 0 through its validation
/// result (an epoch that skipped every batch is an error too: `FitSkippedBatchesTests`).
@Suite struct SkippedBatchesCLITests {
    @Test func divergedSkipBatchRunFailsOnItsValidationResult() throws {
        let out = NSTemporaryDirectory() + "skip-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: out) }
        // SGD at 1e30: the first step's update makes the weights huge, every later batch overflows.
        let r = try CLI.run(["run", "pipelines/fixtures/jena-dense.yaml", "--output", out, "--set", "train.on_non_finite=skip_batch",
                             "--set", "train.optimizer={name: sgd, learning_rate: 1e30}", "--set", "train.epochs=2"])
        #expect(r.code == 1, "\(r.stderr)")
        #expect(r.stderr.contains("warning: skipped a batch: training diverged at epoch 1, step 6"), "\(r.stderr)")
        // Epoch 1 kept one update, which made the weights produce NaN: before, the run went on
        // with val_loss nan (and with epochs=1 ended with exit 0).
        #expect(r.stderr.contains("error: validation loss is nan after epoch 1"), "\(r.stderr)")
        #expect(!r.stderr.contains("val_loss: nan"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/model.safetensors"))
    }
}
