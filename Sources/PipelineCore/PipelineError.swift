/// Where a value came from: a file and a 1-based line and column (any may be unknown).
///
/// Printed as `file:line:column`, the form editors and terminals turn into links.
public struct SourceLocation: Sendable, Equatable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file; self.line = line; self.column = column
    }
    public var description: String {
        var s = file
        if let line { s += ":\(line)" ; if let column { s += ":\(column)" } }
        return s
    }
}

/// A mistake in what the user gave us (a spec, a CSV cell, a flag): names the place,
/// the field and the value received, and says what to do. CLI exit code 2 for specs and
/// arguments; 1 when found while running (a bad cell in a data file).
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var location: SourceLocation?
    public var field: String?
    public var value: String?
    public var message: String
    public var hint: String?

    public init(_ message: String, at location: SourceLocation? = nil, field: String? = nil,
                value: String? = nil, hint: String? = nil) {
        self.message = message; self.location = location; self.field = field
        self.value = value; self.hint = hint
    }

    public var description: String {
        var s = ""
        if let location { s += "\(location): " }
        if let field { s += "\(field): " }
        s += message
        if let value { s += ", received \(InputError.quote(value))" }
        if let hint { s += " (\(hint))" }
        return s
    }

    /// Quotes a received value for an error message, shortened to 80 characters.
    public static func quote(_ v: String) -> String {
        let short = v.count > 80 ? String(v.prefix(77)) + "..." : v
        return "'\(short)'"
    }
}

/// An I/O failure: the path (or URL) and a hint of what to do.
public struct IOFailure: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var hint: String?
    public init(_ message: String, path: String, hint: String? = nil) {
        self.message = message; self.path = path; self.hint = hint
    }
    public var description: String {
        "\(path): \(message)" + (hint.map { " (\($0))" } ?? "")
    }
}

/// An error thrown inside a stage, as the consumer sees it: the stage's name, the
/// 0-based position of the element being produced when it failed, and the cause.
public struct StageError: Error, Sendable, CustomStringConvertible {
    public var stage: String
    public var position: Int
    public var underlying: any Error
    public init(stage: String, position: Int, underlying: any Error) {
        self.stage = stage; self.position = position; self.underlying = underlying
    }
    public var description: String { "stage '\(stage)', element \(position): \(underlying)" }

    /// The innermost error below any number of `StageError` wrappers.
    public var root: any Error {
        var e: any Error = underlying
        while let s = e as? StageError { e = s.underlying }
        return e
    }
}
