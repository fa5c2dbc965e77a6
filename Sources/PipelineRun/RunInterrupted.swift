import PipelineSpec
/// A `run` stopped on request (Ctrl-C / SIGTERM through a ``StopRequest``) at a step boundary,
/// after writing what it had: the checkpoint of the exact position reached (unless
/// `train.checkpoint: none`), `history.json` / `history.csv` of the finished epochs, the plots,
/// `summary.txt` and `report.html`. No `model.safetensors` nor `run.json`: those mark a run
/// that finished. `pipeline run SPEC --resume runDir` continues it bit-identically.
///
/// ```
/// interrupted at epoch 2 of 3, after step 17 of the epoch: wrote checkpoint/model.safetensors,
/// history.json, report.html in runs/jena-gru
/// ```
public struct RunInterrupted: Error, Sendable, CustomStringConvertible {
    /// The run folder, to pass to `--resume`.
    public var runDir: String
    /// 0-based epoch in progress and training steps finished in it.
    public var epoch: Int
    public var step: Int
    public var epochs: Int
    /// Whether a checkpoint of that position was written (false with `train.checkpoint: none`:
    /// resuming then trains again from the start).
    public var checkpointWritten: Bool
    /// The files written, relative to ``runDir``.
    public var files: [String]
    /// The signal that asked for the stop (SIGINT 2, SIGTERM 15), when known.
    public var signal: Int32?

    public var description: String {
        var s = "interrupted at epoch \(epoch + 1) of \(epochs), after step \(step) of the epoch: wrote "
            + files.joined(separator: ", ") + " in \(runDir)"
        if !checkpointWritten { s += " (no checkpoint: train.checkpoint is none, so --resume trains again from the start)" }
        return s
    }
}
