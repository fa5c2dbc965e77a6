import Testing
import Foundation
import Crypto

/// Pins what every fixture pipeline (`pipelines/fixtures/*.yaml`) produces, so that a refactor can
/// prove it changed nothing (issue 14: "prepared bytes identical, trained weights bit-identical for a
/// fixed seed on every fixture pipeline").
///
/// Each spec runs through the debug `pipeline` binary as a user would: `run … --set train.epochs=2`
/// for a spec with a `model:`, `prepare` for a data-only one, into a temporary folder. Then:
/// - **prepared files**: SHA-256 of the bytes of every file `prepare` writes (`data/` in a run folder),
///   except `meta.json` (it carries the tool version, the spec hash and the source's name) and the
///   `.pipeline-manifest.json` bookkeeping. The set of file names is pinned too.
/// - **weights**: SHA-256 per tensor of `model.safetensors` (name, dtype, shape and raw data; the
///   header's metadata is left out, it holds the model config and a checksum), optimizer slots included.
///
/// Prepared bytes are compared on every machine: the text path is integer-only, and the weather path
/// (`PipelineTimeseries`, `PipelineCore`) does scalar IEEE `Double` arithmetic and `squareRoot()` only,
/// with no OpenBLAS, no CKernels and no libm transcendental (whose glibc variants are picked per CPU),
/// so its bytes do not depend on the CPU. Weights go through OpenBLAS and the AVX2/FMA kernels, whose
/// code paths depend on the CPU, so they are compared only when `MachineSignature.current` equals the
/// signature the pins were recorded on; otherwise the test prints why they were not compared.
///
/// Regenerate (only when a change of output is intended, and say so in the commit):
/// `scripts/pin_fixture_outputs.sh` (sets `PIPELINE_WRITE_PINS=1` and runs `writePins`, which runs
/// every spec twice and refuses to pin a spec whose two runs differ).
@Suite struct FixturePinsTests {
    @Test(.enabled(if: !FixturePins.writeMode), arguments: FixturePins.pinnedSpecNames)
    func fixtureOutputsMatchPins(spec: String) throws {
        let pins = try #require(FixturePins.load(), "no pins at \(FixturePins.pinsPath): run scripts/pin_fixture_outputs.sh")
        let pin = try #require(pins.specs[spec])
        #expect(pin.arguments == FixturePins.arguments(for: spec, output: "<out>"),
                "\(spec): pinned with \(pin.arguments), the test now runs \(FixturePins.arguments(for: spec, output: "<out>")): regenerate the pins")
        let now = try FixturePins.produce(spec)
        for difference in FixturePins.differences(label: "\(spec): prepared", pinned: pin.prepared, now: now.prepared) {
            Issue.record("\(difference)")
        }
        guard let pinnedWeights = pin.weights else {
            #expect(now.weights == nil, "\(spec): pinned without weights, now writes model.safetensors")
            return
        }
        let machine = FixturePins.MachineSignature.current
        guard machine == pins.machine else {
            print("note: \(spec): pins were recorded on \(pins.machine); this machine is \(machine): weights not compared")
            return
        }
        for difference in FixturePins.differences(label: "\(spec): model.safetensors", pinned: pinnedWeights, now: now.weights ?? [:]) {
            Issue.record("\(difference)")
        }
    }

    @Test(.enabled(if: !FixturePins.writeMode))
    func everyFixtureSpecIsPinned() throws {
        let pins = try #require(FixturePins.load(), "no pins at \(FixturePins.pinsPath): run scripts/pin_fixture_outputs.sh")
        #expect(Set(pins.specs.keys) == Set(FixturePins.fixtureSpecNames),
                "pinned \(pins.specs.keys.sorted()), fixtures \(FixturePins.fixtureSpecNames): run scripts/pin_fixture_outputs.sh")
        #expect(pins.specs.values.allSatisfy { !$0.prepared.isEmpty })
    }

    /// Writes the pins (only with `PIPELINE_WRITE_PINS=1`): every spec twice, identical or no pins.
    @Test(.enabled(if: FixturePins.writeMode))
    func writePins() throws {
        var specs: [String: FixturePins.Pin] = [:]
        for spec in FixturePins.fixtureSpecNames {
            let first = try FixturePins.produce(spec), second = try FixturePins.produce(spec)
            let differences = FixturePins.differences(label: "\(spec): prepared", pinned: first.prepared, now: second.prepared)
                + FixturePins.differences(label: "\(spec): model.safetensors", pinned: first.weights ?? [:], now: second.weights ?? [:])
            #expect(differences.isEmpty, "\(spec): two runs on this machine differ (not deterministic): \(differences)")
            guard differences.isEmpty else { continue }
            specs[spec] = first
        }
        guard specs.count == FixturePins.fixtureSpecNames.count else { return }
        let pins = FixturePins.File(about: "Outputs of every pipelines/fixtures spec, checked by FixturePinsTests; regenerate with scripts/pin_fixture_outputs.sh",
                                    machine: .current, specs: specs)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileManager.default.createDirectory(atPath: (FixturePins.pinsPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try (encoder.encode(pins) + Data("\n".utf8)).write(to: URL(fileURLWithPath: FixturePins.pinsPath), options: .atomic)
        print("wrote \(FixturePins.pinsPath): \(specs.count) specs on \(pins.machine)")
    }
}

enum FixturePins {
    static let pinsPath = CLI.repoRoot + "/Tests/PipelineCLITests/Pins/fixture-pins.json"
    static let fixturesFolder = "pipelines/fixtures"
    /// Epochs a model spec trains for when pinned: two, so that state carried across epochs
    /// (optimizer slots, per-epoch shuffles, dropout streams) is covered, at half the fixtures' cost.
    static let epochs = 2
    static var writeMode: Bool { ProcessInfo.processInfo.environment["PIPELINE_WRITE_PINS"] == "1" }

    /// What one spec produced: file name → SHA-256 of its bytes, tensor name → "dtype [shape] sha256".
    struct Pin: Codable, Equatable {
        var arguments: [String]
        var prepared: [String: String]
        var weights: [String: String]?
    }

    struct File: Codable {
        var about: String
        var machine: MachineSignature
        var specs: [String: Pin]
    }

    /// What decides the code paths of the float math in training: the CPU, its AVX2/FMA (the
    /// project's kernels check both at run time), and OpenBLAS's chosen core and build.
    struct MachineSignature: Codable, Equatable, CustomStringConvertible {
        var cpu: String
        var avx2: Bool
        var fma: Bool
        var openblasCore: String
        var openblasConfig: String

        var description: String { "'\(cpu)' avx2=\(avx2) fma=\(fma) openblas=\(openblasCore) (\(openblasConfig))" }

        static let current: MachineSignature = {
            let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
            func field(_ name: String) -> String? {
                info.split(separator: "\n").first { $0.hasPrefix(name) && $0.contains(":") }
                    .map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) }
            }
            let flags = Set((field("flags") ?? field("Features") ?? "").split(separator: " ").map(String.init))
            return MachineSignature(cpu: field("model name") ?? field("CPU part") ?? "unknown",
                                    avx2: flags.contains("avx2"), fma: flags.contains("fma"),
                                    openblasCore: openblasString("openblas_get_corename"),
                                    openblasConfig: openblasString("openblas_get_config"))
        }()

        /// Asks the OpenBLAS the test process links (the one `pipeline` links too) through `dlsym`.
        private static func openblasString(_ symbol: String) -> String {
            typealias Getter = @convention(c) () -> UnsafePointer<CChar>?
            var function = dlsym(dlopen(nil, RTLD_NOW), symbol)
            if function == nil {
                for library in ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"] where function == nil {
                    if let handle = dlopen(library, RTLD_NOW) { function = dlsym(handle, symbol) }
                }
            }
            guard let function, let text = unsafeBitCast(function, to: Getter.self)() else { return "unknown" }
            return String(cString: text).trimmingCharacters(in: .whitespaces)
        }
    }

    static var fixtureSpecNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: CLI.repoRoot + "/" + fixturesFolder)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// The specs in the pins file (the test's arguments); empty when there are none yet.
    static var pinnedSpecNames: [String] { load()?.specs.keys.sorted() ?? [] }

    static func load() -> File? {
        FileManager.default.contents(atPath: pinsPath).flatMap { try? JSONDecoder().decode(File.self, from: $0) }
    }

    static func hasModel(_ spec: String) -> Bool {
        let text = (try? String(contentsOfFile: CLI.repoRoot + "/" + fixturesFolder + "/" + spec, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").contains { $0.hasPrefix("model:") }
    }

    /// The command line a spec is pinned with (the output folder last).
    static func arguments(for spec: String, output: String) -> [String] {
        let path = fixturesFolder + "/" + spec
        return hasModel(spec) ? ["run", path, "--quiet", "--set", "train.epochs=\(epochs)", "--output", output]
                              : ["prepare", path, "--quiet", "--output", output]
    }

    /// Runs `spec` with the `pipeline` binary in a fresh temporary folder and hashes its outputs.
    static func produce(_ spec: String) throws -> Pin {
        let scratch = NSTemporaryDirectory() + "pins-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let output = scratch + "/out"
        let arguments = arguments(for: spec, output: output)
        let result = try CLI.run(arguments + ["--cache-dir", scratch + "/cache"])
        guard result.code == 0 else {
            throw PinError("\(spec): pipeline \(arguments.joined(separator: " ")) exited \(result.code): \(result.stderr)")
        }
        // A run's arrays live in the prepared-data cache entry its data.json names (the same bytes `data/` held before).
        var preparedFolder = hasModel(spec) ? output + "/data" : output
        if hasModel(spec), let raw = FileManager.default.contents(atPath: output + "/data.json"),
           let reference = try JSONSerialization.jsonObject(with: raw) as? [String: Any], let entry = reference["entry"] as? String {
            preparedFolder = entry
        }
        let excluded: Set<String> = ["meta.json", ".pipeline-manifest.json", "entry.json"]
        var prepared: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: preparedFolder) where !excluded.contains(name) {
            let data = try Data(contentsOf: URL(fileURLWithPath: preparedFolder + "/" + name))
            prepared[hasModel(spec) ? "data/" + name : name] = hex(SHA256.hash(data: data))
        }
        let weights = hasModel(spec) ? try tensorDigests(output + "/model.safetensors") : nil
        return Pin(arguments: self.arguments(for: spec, output: "<out>"), prepared: prepared, weights: weights)
    }

    /// One digest per tensor of a safetensors file: "dtype [shape] sha256(name, dtype, shape, data)".
    static func tensorDigests(_ path: String) throws -> [String: String] {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        guard bytes.count >= 8 else { throw PinError("\(path): shorter than a safetensors header") }
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        guard 8 + headerLength <= bytes.count,
              let header = try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<8 + headerLength)) as? [String: Any]
        else { throw PinError("\(path): unreadable safetensors header") }
        var digests: [String: String] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2,
                  8 + headerLength + offsets[1] <= bytes.count, offsets[0] <= offsets[1]
            else { throw PinError("\(path): tensor \(name) has a malformed entry") }
            let shapeText = "[" + shape.map(String.init).joined(separator: ",") + "]"
            var hasher = SHA256()
            hasher.update(data: Data("\(name)\0\(dtype)\0\(shapeText)\0".utf8))
            hasher.update(data: bytes.subdata(in: 8 + headerLength + offsets[0]..<8 + headerLength + offsets[1]))
            digests[name] = "\(dtype) \(shapeText) \(hex(hasher.finalize()))"
        }
        return digests
    }

    /// One line per key that is missing, new or different, labelled with the spec and the file.
    static func differences(label: String, pinned: [String: String], now: [String: String]) -> [String] {
        Set(pinned.keys).union(now.keys).sorted().compactMap { key in
            switch (pinned[key], now[key]) {
            case let (p?, n?) where p != n: "\(label): \(key) differs: pinned \(p), now \(n)"
            case (_?, nil): "\(label): \(key) pinned but no longer written"
            case (nil, _?): "\(label): \(key) written but not pinned"
            default: nil
            }
        }
    }

    static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    struct PinError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
