import PipelineCore

/// Label values to class ids, for a labelled text set read in one pass.
///
/// ```swift
/// var t = LabelTable(classNames: nil, maxClasses: 1000)
/// let a = try t.provisionalId("sports", at: loc)   // ids in first-seen order while reading
/// let (names, finalOf) = t.finish()               // names sorted; finalOf[provisional] = class id
/// ```
///
/// Semantics: with `classNames`, a label's id is its position there and a label not listed
/// returns nil (the caller skips or reports it). Without, every distinct label is a class and
/// ids follow the sorted labels: numerically when every label is a decimal integer (so "2" < "10"),
/// else byte-wise (Keras sorts its class folders the same way). More than `maxClasses` distinct
/// labels throws an ``InputError`` naming `text.max_classes` and where the label that overflowed is.
public struct LabelTable: Sendable {
    public let classNames: [String]?
    public let maxClasses: Int
    private var ids: [String: Int32] = [:]
    private(set) var labels: [String] = []

    public init(classNames: [String]?, maxClasses: Int) {
        self.classNames = classNames; self.maxClasses = maxClasses
        if let classNames { for (i, n) in classNames.enumerated() { ids[n] = Int32(i) }; labels = classNames }
    }

    /// The id of `label` now (final when `classNames` was given); nil when it is not among `classNames`.
    public mutating func provisionalId(_ label: String, at location: SourceLocation) throws -> Int32? {
        if let id = ids[label] { return id }
        if classNames != nil { return nil }
        guard labels.count < maxClasses else {
            throw InputError("more than \(maxClasses) distinct labels (text.max_classes)", at: location, field: "text.max_classes",
                             value: label, hint: "check text.label_column (a text column read as the label?) or raise text.max_classes")
        }
        let id = Int32(labels.count)
        ids[label] = id
        labels.append(label)
        return id
    }

    /// The class names in id order and, for each provisional id, its final id.
    public func finish() -> (names: [String], finalOf: [Int32]) {
        if classNames != nil { return (labels, labels.indices.map { Int32($0) }) }
        let numeric = !labels.isEmpty && labels.allSatisfy { $0.utf8.count <= 18 && !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        let order = labels.indices.sorted { a, b in
            numeric ? Int(labels[a])! < Int(labels[b])! : Array(labels[a].utf8).lexicographicallyPrecedes(Array(labels[b].utf8))
        }
        var finalOf = [Int32](repeating: 0, count: labels.count)
        for (rank, p) in order.enumerated() { finalOf[p] = Int32(rank) }
        return (order.map { labels[$0] }, finalOf)
    }
}
