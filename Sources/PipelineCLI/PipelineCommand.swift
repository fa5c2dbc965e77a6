import ArgumentParser
import Logging
import Pipeline

/// `pipeline`: the command tree. All work lives in the library modules; each subcommand parses
/// its arguments, calls one library entry point and prints the result.
///
/// Exit codes: 0 success, 1 runtime failure (I/O, bad data, training), 2 invalid spec or arguments.
@main
struct PipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Turn raw public data into trained recurrent models (Chollet, chapter 6) with streaming Swift stages.",
        discussion: "Exit codes: 0 success, 1 runtime failure, 2 invalid spec or arguments.",
        version: ToolInfo.version,
        subcommands: [Validate.self, Describe.self, Run.self, Prepare.self, Compare.self, Predict.self, Evaluate.self]
    )

    static func main() async {
        LoggingSystem.bootstrap(CLILogHandler.init)   // library warnings on standard error, as `warning: …`
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            Foundation.exit(report(error))
        }
    }

    /// Prints an error the way a person can act on it and returns the exit code.
    static func report(_ error: any Error) -> Int32 {
        var root: any Error = error
        if let s = error as? StageError { root = s.root }
        switch root {
        case let e as InputError:
            // A spec or argument mistake is 2; a bad value found in a data file while running is 1.
            Console.error("error: \(error)\n")
            return e.location.map { $0.file.hasSuffix(".yaml") || $0.file.hasSuffix(".yml") || $0.file.hasPrefix("--") } ?? true ? 2 : 1
        case is IOFailure:
            Console.error("error: \(error)\n")
            return 1
        case let e as ExitCode:
            return e.rawValue
        default:
            let code = exitCode(for: error)
            if code == .success {
                Console.output(fullMessage(for: error) + "\n")
                return 0
            }
            if error is ValidationError || code == .validationFailure || code.rawValue == 64 {
                Console.error(fullMessage(for: error) + "\n")
                return 2
            }
            Console.error("error: \(error)\n")
            return 1
        }
    }
}

import Foundation
