import Logging
import Pipeline

/// How `pipeline` prints what the library modules log through swift-log (labels `pipeline.io`,
/// `pipeline.training`, `pipeline.run`): one line per message on standard error, written
/// unbuffered by the same writer as progress lines, so a message never lands inside a bar.
///
/// ```swift
/// LoggingSystem.bootstrap(CLILogHandler.init)   // first thing in PipelineCommand.main
/// ```
/// `warning` lines get the prefix `warning: `, `error` and `critical` lines `error: `; `notice`
/// and `info` lines are printed as they are (retries, a cached file downloaded again); `debug`
/// and `trace` are dropped. Metadata is not printed: the library puts the file, entry and value
/// into the message itself. `--quiet` and `--json` do not silence these lines (they never did):
/// a warning about the data or the files must not be lost, and none goes to standard output.
struct CLILogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String) {}

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?,
             source: String, file: String, function: String, line: UInt) {
        Console.error(Self.line(level: level, message: message.description))
    }

    /// The text printed for one message, newline included.
    static func line(level: Logger.Level, message: String) -> String {
        switch level {
        case .trace, .debug, .info, .notice: return message + "\n"
        case .warning: return "warning: " + message + "\n"
        case .error, .critical: return "error: " + message + "\n"
        }
    }
}
