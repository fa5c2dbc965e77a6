import ArgumentParser
import Pipeline

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a spec: keys, types, ranges and layer shapes. Exit 2 when invalid.")
    @OptionGroup var options: SpecOptions

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
    static let configuration = CommandConfiguration(abstract: "Print the fully resolved spec, every default filled in.")
    @OptionGroup var options: SpecOptions

    func run() async throws {
        let spec = try options.load()
        if options.json {
            Console.output(JSONOutput.object(["name": .string(spec.name), "yaml": .string(spec.yaml)]) + "\n")
        } else {
            Console.output(spec.yaml)
        }
    }
}
