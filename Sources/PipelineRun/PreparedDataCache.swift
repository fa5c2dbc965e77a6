import Crypto
import Foundation
import PipelineCore

/// Prepared data kept once, by content, under the cache folder: `CACHE/prepared/KEY/` holds the
/// arrays and JSON files that `pipeline prepare` would write, plus `entry.json`, the entry's
/// manifest. `pipeline run` prepares into the cache (or finds the entry there) and the run folder
/// refers to it through `data.json` instead of holding a copy.
///
/// ```swift
/// let cache = PreparedDataCache(cacheDir: "~/.cache/pipeline")
/// if let entry = cache.entry(key) { … }            // a valid entry: every listed file, its size
/// let tmp = try cache.makeTemporary()               // CACHE/prepared/.tmp-PID-RANDOM
/// // … prepare into tmp …
/// let entry = try cache.commit(tmp, key: key, info: ["spec": .string("imdb-lstm")])
/// ```
///
/// Semantics:
/// - The key (``key(parts:)``) is the SHA-256 of everything that can change the prepared bytes:
///   the data sections of the spec, the source's identity and the tool version (see
///   `PipelineRunner.dataCacheKey`). Same key, same bytes.
/// - Writes are atomic: the data is prepared into a `.tmp-PID-RANDOM` folder of the cache, its
///   `entry.json` (file names and sizes) written last, then the folder is renamed to its key.
///   Two runs preparing the same key at once both finish; the second rename finds the first's
///   entry, and the second run uses it and removes its own folder.
/// - An entry is used only when its `entry.json` reads, names this tool and this key, and every
///   file it lists exists with the listed size. A damaged entry (a truncated or missing file) that
///   carries our `entry.json` is removed and rebuilt; a folder without one is never touched
///   (``IOFailure``: the user removes it).
/// - Nothing is evicted automatically: `pipeline cache list` shows the entries and their sizes,
///   `pipeline cache clear [--older-than DAYS] [KEY…]` removes them (only folders with our
///   `entry.json`, and stale `.tmp-` folders of processes that no longer run).
/// Cost: a lookup is one small JSON read and one `stat` per file; "last used" is `entry.json`'s
/// modification time, touched on every use.
public struct PreparedDataCache: Sendable {
    /// The folder of the entries: `CACHE/prepared`.
    public let root: String
    public static let folderName = "prepared"
    public static let manifestName = "entry.json"
    /// The run folder's reference to its entry.
    public static let runReferenceName = "data.json"

    public init(cacheDir: String) {
        let dir = HomeDirectory.expandingTilde(cacheDir)
        root = (dir.hasSuffix("/") ? String(dir.dropLast()) : dir) + "/" + Self.folderName
    }

    /// One entry as `entry.json` describes it.
    public struct Entry: Sendable {
        public var key: String
        public var path: String
        /// File names (relative to ``path``) and their sizes in bytes.
        public var files: [String: Int]
        /// What made it: spec name, spec file, source, tool version, created date.
        public var info: [String: JSONValue]
        public var lastUsed: Date
        public var bytes: Int { files.values.reduce(0, +) }
    }

    /// SHA-256 (hex) of the key's parts, each on its own line after a format tag.
    public static func key(parts: [String]) -> String {
        SHA256.hash(data: Array((["pipeline-prepared-data v1"] + parts).joined(separator: "\n").utf8)).hex
    }

    /// Whether `name` looks like a key (64 lowercase hex digits).
    static func isKey(_ name: String) -> Bool {
        name.utf8.count == 64 && name.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }

    public func path(_ key: String) -> String { root + "/" + key }

    /// The entry `key` when it is complete and valid, else nil (absent, or damaged: see ``check(_:)``).
    public func entry(_ key: String) -> Entry? {
        guard case .valid(let e) = check(key) else { return nil }
        return e
    }

    enum State { case absent, foreign, damaged(String), valid(Entry) }

    /// What the folder `key` holds: nothing, a folder without our manifest, a damaged entry, or a valid one.
    func check(_ key: String) -> State {
        let dir = path(key)
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &isDir) else { return .absent }
        guard isDir.boolValue, let raw = fm.contents(atPath: dir + "/" + Self.manifestName) else { return .foreign }
        guard case .object(let o)? = try? JSONValue.parse([UInt8](raw)), o["written_by"] == .string(ToolInfo.name) else { return .foreign }
        guard o["key"] == .string(key), case .object(let fileObject)? = o["files"], !fileObject.isEmpty else {
            return .damaged("its entry.json does not describe this key")
        }
        var files: [String: Int] = [:]
        for (name, v) in fileObject {
            guard let size = v.int, !name.hasPrefix("/"), !name.split(separator: "/").contains("..") else {
                return .damaged("its entry.json lists \(name) without a size")
            }
            let actual = (try? fm.attributesOfItem(atPath: dir + "/" + name)[.size] as? Int) ?? nil
            guard actual == size else { return .damaged("\(name) holds \(actual.map { "\($0)" } ?? "nothing") bytes, \(size) expected") }
            files[name] = size
        }
        var info = o
        for k in ["written_by", "key", "files"] { info[k] = nil }
        let used = (try? fm.attributesOfItem(atPath: dir + "/" + Self.manifestName)[.modificationDate] as? Date) ?? nil
        return .valid(Entry(key: key, path: dir, files: files, info: info, lastUsed: used ?? Date(timeIntervalSince1970: 0)))
    }

    /// Marks the entry as used now (the modification time of its `entry.json`).
    public func touch(_ entry: Entry) {
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: entry.path + "/" + Self.manifestName)
    }

    /// A fresh temporary folder in the cache to prepare into (`.tmp-PID-RANDOM`).
    public func makeTemporary() throws -> String {
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw IOFailure("cannot create the prepared-data cache: \(error.localizedDescription)", path: root,
                            hint: "check the permissions of the cache folder, or pass --cache-dir")
        }
        var template = Array("\(root)/.tmp-\(getpid())-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw IOFailure("cannot create a folder in the prepared-data cache: \(String(cString: strerror(errno)))", path: root,
                            hint: "check the permissions of the cache folder, or pass --cache-dir")
        }
        return String(cString: made)
    }

    /// Writes `tmp`'s `entry.json` (every file and its size, `info`) and renames `tmp` to `key`.
    /// When the key already holds a valid entry (a concurrent run won), `tmp` is removed and that
    /// entry returned; a damaged entry of ours is removed and replaced; a foreign folder is an ``IOFailure``.
    public func commit(_ tmp: String, key: String, info: [String: JSONValue]) throws -> Entry {
        var files: [String: JSONValue] = [:]
        for (name, size) in Self.listFiles(tmp) where name != Self.manifestName { files[name] = .int(size) }
        var o = info
        o["written_by"] = .string(ToolInfo.name)
        o["key"] = .string(key)
        o["files"] = .object(files)
        try AtomicFile.write(JSONValue.object(o).text + "\n", to: tmp + "/" + Self.manifestName)
        let final = path(key)
        for attempt in 0..<2 {
            if rename(tmp, final) == 0, case .valid(let e) = check(key) { return e }
            switch check(key) {
            case .valid(let e):
                Self.removeTree(tmp)
                return e
            case .damaged where attempt == 0:
                try remove(key)
            case .foreign:
                Self.removeTree(tmp)
                throw IOFailure("the prepared-data cache holds a folder that pipeline did not write under this key", path: final,
                                hint: "remove it yourself, or pass another --cache-dir")
            default:
                break
            }
        }
        Self.removeTree(tmp)
        throw IOFailure("cannot store prepared data in the cache: \(String(cString: strerror(errno)))", path: final,
                        hint: "check the permissions of the cache folder, or pass --cache-dir")
    }

    /// Every valid or damaged entry of ours (folders named by a key with our `entry.json`), sorted
    /// by last use, oldest first; damaged ones have `files` empty.
    public func list() -> (entries: [Entry], damaged: [String], temporaries: [String]) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
        var entries: [Entry] = [], damaged: [String] = [], temporaries: [String] = []
        for name in names {
            if name.hasPrefix(".tmp-") { temporaries.append(name); continue }
            guard Self.isKey(name) else { continue }
            switch check(name) {
            case .valid(let e): entries.append(e)
            case .damaged: damaged.append(name)
            case .absent, .foreign: continue
            }
        }
        return (entries.sorted { $0.lastUsed < $1.lastUsed }, damaged, temporaries)
    }

    /// Removes the entry `key` if it is ours (a valid or damaged entry with our `entry.json`);
    /// returns false for an absent one, ``IOFailure`` for a foreign folder.
    @discardableResult
    public func remove(_ key: String) throws -> Bool {
        switch check(key) {
        case .absent: return false
        case .foreign:
            throw IOFailure("not an entry pipeline wrote (no entry.json of ours); left alone", path: path(key),
                            hint: "remove it yourself if you are sure")
        case .damaged, .valid:
            // Rename first, so that no run ever sees a half-removed entry under its key.
            let trash = root + "/.tmp-\(getpid())-removing-\(key.prefix(12))"
            guard Foundation.rename(path(key), trash) == 0 else {
                throw IOFailure("cannot remove a cache entry: \(String(cString: strerror(errno)))", path: path(key),
                                hint: "check the permissions of the cache folder")
            }
            Self.removeTree(trash)
            return true
        }
    }

    /// Removes the `.tmp-PID-…` folders whose process no longer runs; returns how many.
    public func removeStaleTemporaries() -> Int {
        var n = 0
        for name in list().temporaries {
            let pid = name.dropFirst(".tmp-".count).split(separator: "-").first.flatMap { Int32($0) }
            if let pid, pid == getpid() || kill(pid, 0) == 0 || errno == EPERM { continue }
            Self.removeTree(root + "/" + name)
            n += 1
        }
        return n
    }

    /// Regular files under `dir` (relative paths) and their sizes.
    static func listFiles(_ dir: String) -> [String: Int] {
        var out: [String: Int] = [:]
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: dir) else { return out }
        while let rel = e.nextObject() as? String {
            let attrs = try? fm.attributesOfItem(atPath: dir + "/" + rel)
            guard attrs?[.type] as? FileAttributeType == .typeRegular else { continue }
            out[rel] = (attrs?[.size] as? Int) ?? 0
        }
        return out
    }

    static func removeTree(_ path: String) { try? FileManager.default.removeItem(atPath: path) }
}
