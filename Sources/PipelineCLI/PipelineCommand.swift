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
        discussion: """
        Exit codes: 0 success, 1 runtime failure, 2 invalid spec or arguments.

        Examples:
          pipeline validate pipelines/imdb-lstm.yaml
          pipeline run pipelines/fixtures/imdb-lstm.yaml --output runs/demo
          pipeline predict runs/demo --text "A moving, brilliant film."
          pipeline export runs/demo --format keras --output demo.keras
        Each command has its own examples: pipeline help run
        """,
        version: ToolInfo.version,
        subcommands: [Validate.self, Describe.self, Run.self, Prepare.self, Compare.self, Predict.self, Evaluate.self, Export.self, Cache.self]
    )

    static func main() async {
        LoggingSystem.bootstrap(CLILogHandler.init)   // library warnings on standard error, as `warning: …`
        if let message = unknownVerb(Array(CommandLine.arguments.dropFirst())) {
            Console.error(message + "\n")
            Foundation.exit(2)
        }
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

    /// The verbs, as typed on the command line (`validate`, `run`, …).
    static var verbs: [String] { configuration.subcommands.map { $0._commandName } }

    /// An error naming a mistyped verb and the closest one (`pipeline runn` → "did you mean 'run'?"),
    /// or nil when the first argument is a verb, an option, `help`, or absent.
    static func unknownVerb(_ arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-"), first != "help", !verbs.contains(first) else { return nil }
        let hint = DidYouMean.hint(first, in: verbs).map { " (\($0))" } ?? ""
        return "error: unknown command '\(first)'\(hint)\ncommands: \(verbs.joined(separator: ", ")); see `pipeline --help`"
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
