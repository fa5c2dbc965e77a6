/// One named blob of bytes: a file inside an archive, or a file of an extracted folder.
///
/// The element type that PipelineIO's archive readers produce and that dataset readers
/// (for example PipelineText's aclImdb reader) consume, so neither module imports the other.
/// `path` uses `/` separators and is relative to the archive or folder root.
public struct DataEntry: Sendable, Equatable {
    public var path: String
    public var data: [UInt8]
    public init(path: String, data: [UInt8]) { self.path = path; self.data = data }
    public var size: Int { data.count }
}
