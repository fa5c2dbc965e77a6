import Testing
@testable import PipelineRun

/// The message of a run stopped by Ctrl-C: where it stopped (1-based epoch), what it wrote, and
/// whether `--resume` continues from there or starts again.
@Suite struct RunInterruptedTests {
    @Test func resumeMessage() {
        var r = RunInterrupted(runDir: "runs/jena-gru", epoch: 1, step: 17, epochs: 3, checkpointWritten: true,
                               files: ["checkpoint/model.safetensors", "history.json", "report.html"], signal: 2)
        #expect(r.description == "interrupted at epoch 2 of 3, after step 17 of the epoch: wrote checkpoint/model.safetensors, history.json, report.html in runs/jena-gru")
        r.checkpointWritten = false
        r.files = ["history.json"]
        #expect(r.description.hasSuffix("wrote history.json in runs/jena-gru (no checkpoint: train.checkpoint is none, so --resume trains again from the start)"))
    }
}
