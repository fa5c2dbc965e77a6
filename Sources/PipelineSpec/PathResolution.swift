import Foundation
import PipelineCore

/// How paths in specs and flags are resolved.
///
/// A relative `source.url` in a spec file is relative to the spec's own folder (so
/// `pipelines/fixtures/imdb-lstm.yaml` can name `../../fixtures/aclImdb-mini.tar.gz` and run from
/// anywhere); a relative `--source` is relative to the current directory. URLs pass unchanged.
public enum PathResolution {
    public static func isURL(_ s: String) -> Bool { s.contains("://") }

    public static func absoluteIfLocal(_ s: String) -> String {
        if isURL(s) || s.hasPrefix("/") { return s }
        if s.hasPrefix("~") { return HomeDirectory.expandingTilde(s) }
        return FileManager.default.currentDirectoryPath + "/" + s
    }

    /// `url` resolved against the folder of `specFile` when it is a relative local path.
    public static func resolve(_ url: String, relativeTo specFile: String) -> String {
        if isURL(url) {
            if url.hasPrefix("file://") { return String(url.dropFirst("file://".count)) }
            return url
        }
        if url.hasPrefix("/") { return url }
        if url.hasPrefix("~") { return HomeDirectory.expandingTilde(url) }
        let dir = (absoluteIfLocal(specFile) as NSString).deletingLastPathComponent
        return ((dir as NSString).appendingPathComponent(url) as NSString).standardizingPath
    }
}
