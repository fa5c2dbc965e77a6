import Foundation
import ArgumentParser
import Pipeline

/// `pipeline cache list|clear`: the prepared-data entries `pipeline run` keeps under
/// `CACHE/prepared/` (``PreparedDataCache``).
struct Cache: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List or clear the prepared data that runs share (CACHE/prepared/KEY).",
        discussion: """
        pipeline run prepares a spec's data once into the cache (key: the spec's data sections, the
        source's checksum or size and date, the tool version) and the run folder's data.json points
        at it. Nothing is evicted automatically: clear frees the space. Downloads are not touched.

        Examples:
          pipeline cache list
          pipeline cache clear --older-than 30
          pipeline cache clear 3f9a1c2b0d4e --cache-dir /scratch/pipeline-cache
        """,
        subcommands: [CacheList.self, CacheClear.self])
}

struct CacheOptions: ParsableArguments {
    @Option(name: .customLong("cache-dir"), help: "The cache folder (default ~/.cache/pipeline, as source.cache_dir).")
    var cacheDir: String = "~/.cache/pipeline"

    @Flag(help: "Print the result as one JSON object on standard output.")
    var json = false

    var cache: PreparedDataCache { PreparedDataCache(cacheDir: cacheDir) }
}

struct CacheList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show each entry: key, size, last use, and the spec and source that made it.")

    @OptionGroup var options: CacheOptions

    func run() async throws {
        let cache = options.cache
        let (entries, damaged, temporaries) = cache.list()
        let formatter = ISO8601DateFormatter()
        if options.json {
            let list: [JSONValue] = entries.map { e in
                var o = e.info
                o["key"] = .string(e.key); o["path"] = .string(e.path); o["bytes"] = .int(e.bytes)
                o["files"] = .int(e.files.count); o["last_used"] = .string(formatter.string(from: e.lastUsed))
                return .object(o)
            }
            let out: JSONValue = .object(["cache": .string(cache.root), "entries": .array(list),
                                          "bytes": .int(entries.reduce(0) { $0 + $1.bytes }),
                                          "damaged": .array(damaged.map { .string($0) }),
                                          "unfinished": .array(temporaries.map { .string($0) })])
            Console.output(out.text + "\n")
            return
        }
        guard !entries.isEmpty || !damaged.isEmpty || !temporaries.isEmpty else {
            Console.output("no prepared data in \(cache.root)\n")
            return
        }
        var lines = ["KEY           SIZE       LAST USED             SPEC / SOURCE"]
        for e in entries {
            let spec = e.info["spec"]?.string ?? "?", source = e.info["source"]?.string ?? "?"
            lines.append("\(e.key.prefix(12))  \(Self.size(e.bytes).padding(toLength: 9, withPad: " ", startingAt: 0))  "
                         + "\(formatter.string(from: e.lastUsed))  \(spec) / \(source)")
        }
        for k in damaged { lines.append("\(k.prefix(12))  damaged (rebuilt on next use; `pipeline cache clear \(k.prefix(12))` removes it)") }
        if !temporaries.isEmpty { lines.append("\(temporaries.count) unfinished folder(s) (.tmp-…): a run is preparing, or one was killed") }
        lines.append("\(entries.count) entr\(entries.count == 1 ? "y" : "ies"), \(Self.size(entries.reduce(0) { $0 + $1.bytes })) in \(cache.root)")
        Console.output(lines.joined(separator: "\n") + "\n")
    }

    static func size(_ bytes: Int) -> String {
        let b = Double(bytes)
        if bytes >= 1 << 30 { return String(format: "%.1f GB", b / Double(1 << 30)) }
        if bytes >= 1 << 20 { return String(format: "%.1f MB", b / Double(1 << 20)) }
        if bytes >= 1 << 10 { return String(format: "%.1f kB", b / 1024) }
        return "\(bytes) B"
    }
}

struct CacheClear: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clear",
        abstract: "Remove prepared-data entries (all, those unused for DAYS days, or the KEYs given); only entries pipeline wrote.")

    @OptionGroup var options: CacheOptions

    @Option(name: .customLong("older-than"), help: ArgumentHelp("Only entries not used for this many days.", valueName: "DAYS"))
    var olderThan: Double?

    @Argument(help: "Keys (or unique prefixes of at least 6 digits) of the entries to remove; all when none is given.")
    var keys: [String] = []

    func validate() throws {
        if let d = olderThan, !(d >= 0) || !d.isFinite { throw ValidationError("--older-than must be a number of days >= 0, received \(d)") }
        for k in keys where k.count < 6 { throw ValidationError("key prefix '\(k)' is too short: give at least 6 hex digits (see `pipeline cache list`)") }
    }

    func run() async throws {
        let cache = options.cache
        let (entries, damaged, _) = cache.list()
        let all = entries.map { ($0.key, $0.lastUsed, $0.bytes) } + damaged.map { ($0, Date(timeIntervalSince1970: 0), 0) }
        var chosen = all
        if !keys.isEmpty {
            chosen = []
            for k in keys {
                let matches = all.filter { $0.0.hasPrefix(k.lowercased()) }
                guard matches.count == 1 else {
                    throw ValidationError(matches.isEmpty ? "no cache entry has the key \(k) (see `pipeline cache list`)"
                                                          : "key prefix \(k) matches \(matches.count) entries; give more digits")
                }
                chosen.append(matches[0])
            }
        }
        if let days = olderThan {
            let limit = Date().addingTimeInterval(-days * 86_400)
            chosen = chosen.filter { $0.1 < limit }
        }
        var removed = 0, freed = 0
        for (key, _, bytes) in chosen where try cache.remove(key) { removed += 1; freed += bytes }
        let stale = keys.isEmpty ? cache.removeStaleTemporaries() : 0
        if options.json {
            Console.output(JSONValue.object(["removed": .int(removed), "bytes": .int(freed), "unfinished_removed": .int(stale),
                                             "cache": .string(cache.root)]).text + "\n")
        } else {
            Console.output("removed \(removed) entr\(removed == 1 ? "y" : "ies") (\(CacheList.size(freed)))"
                           + (stale > 0 ? " and \(stale) unfinished folder(s)" : "") + " from \(cache.root)\n")
        }
    }
}
