import PipelineSpec
/// The toolkit's name and version, written into every prepared dataset and run folder.
public enum ToolInfo {
    public static let name = "swift-rnn-pipeline"
    public static let version = "0.1.0"
}
