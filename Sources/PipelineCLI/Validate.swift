import ArgumentParser
import Pipeline

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a spec: keys, types, ranges and layer shapes. Exit 2 when invalid.",
        discussion: """
        Reads nothing but the spec: no download, no data. Overrides (--set, --seed, --source, --output) are
        checked as if they were in the file.

        Examples:
          pipeline validate pipelines/imdb-lstm.yaml
          pipeline validate pipelines/imdb-lstm.yaml --set train.epochs=3 --json
        """)
    @OptionGroup var options: SpecInput

    func run() async throws {
        let spec = try options.load()
        if options.json {
            Console.output(JSONOutput.object(["valid": .bool(true), "name": .string(spec.name), "task": .string(spec.task.name)]) + "\n")
        } else {
            Console.output("\(options.spec): valid (\(spec.task.name) pipeline '\(spec.name)'\(spec.model.map { ", \($0.layers.count) layers" } ?? ""))\n")
        }
    }
}

struct Describe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the fully resolved spec, every default filled in.",
        discussion: """
        Examples:
          pipeline describe pipelines/jena-gru.yaml
          pipeline describe pipelines/jena-gru.yaml --set train.optimizer=adam > resolved.yaml
        """)
    @OptionGroup var options: SpecInput

    func run() async throws {
        let spec = try options.load()
        if options.json {
            Console.output(JSONOutput.object(["name": .string(spec.name), "yaml": .string(spec.yaml)]) + "\n")
        } else {
            Console.output(spec.yaml)
        }
    }
}
