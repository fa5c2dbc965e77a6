import PipelineCore

/// Guessing how a column's timestamps are written, from a few of its cells.
///
/// ```swift
/// TimestampFormat.detect(["2010/1/1 0:00", "2010/1/1 1:00"])?.pattern   // "yyyy/M/d H:mm"
/// TimestampFormat.detect(["1704067200"])?.pattern                         // "epoch_seconds"
/// TimestampFormat.detect(["NW", "3.5"])                                   // nil
/// ```
///
/// Semantics: the candidates of ``detectionCandidates`` are tried in order and the first that
/// parses every sample wins. Day-first and month-first dates (`01/02/2010`) are told apart only
/// by a day above 12; when the samples cannot tell, month-first (US) is tried before day-first,
/// and a file that disagrees later fails at its first cell that does not parse, naming the
/// detected format so the user can set `timeseries.time.format`. Epoch numbers are recognised
/// only with 9–10 digits (seconds, 1973–2286) or 12–13 digits (milliseconds), so a year or an
/// index column is never taken for a timestamp. Cost: at most ~40 parses per sample.
extension TimestampFormat {
    /// The patterns tried by ``detect(_:)``, most specific first.
    public static let detectionCandidates: [String] = [
        "iso8601",
        "dd.MM.yyyy HH:mm:ss", "dd.MM.yyyy HH:mm", "d.M.yyyy H:mm:ss", "d.M.yyyy H:mm", "d.M.yyyy",
        "yyyy/M/d H:mm:ss", "yyyy/M/d H:mm", "yyyy/M/d h:mm:ss a", "yyyy/M/d h:mm a", "yyyy/M/d",
        "yyyy-M-d H:mm:ss", "yyyy-M-d H:mm", "yyyy-M-d'T'H:mm:ss", "yyyy-M-d'T'H:mm",
        "M/d/yyyy h:mm:ss a", "M/d/yyyy h:mm a", "M/d/yyyy H:mm:ss", "M/d/yyyy H:mm", "M/d/yyyy",
        "d/M/yyyy h:mm:ss a", "d/M/yyyy h:mm a", "d/M/yyyy H:mm:ss", "d/M/yyyy H:mm", "d/M/yyyy",
        "M-d-yyyy H:mm:ss", "M-d-yyyy H:mm", "d-M-yyyy H:mm:ss", "d-M-yyyy H:mm",
        "yyyyMMddHHmmss", "yyyyMMddHHmm", "yyyyMMdd'T'HHmmss",
        "epoch_seconds", "epoch_milliseconds",
    ]

    /// The first candidate format that parses every sample (trimmed of spaces), or nil.
    public static func detect(_ samples: [String]) -> TimestampFormat? {
        let texts = samples.map { Array($0.utf8).trimmingSpaces() }.filter { !$0.isEmpty }
        guard !texts.isEmpty else { return nil }
        for name in detectionCandidates {
            guard let f = try? TimestampFormat(name) else { continue }
            if f.kind == .epochSeconds || f.kind == .epochMilliseconds {
                let digits = f.kind == .epochSeconds ? 9...10 : 12...13
                guard texts.allSatisfy({ t in
                    let whole = t.prefix { $0 != UInt8(ascii: ".") }.drop { $0 == UInt8(ascii: "-") }
                    return digits.contains(whole.count)
                }) else { continue }
            }
            if texts.allSatisfy({ f.parse($0) != nil }) { return f }
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    /// The bytes without leading and trailing spaces.
    func trimmingSpaces() -> [UInt8] {
        var lo = startIndex, hi = endIndex
        while lo < hi && self[lo] == 32 { lo += 1 }
        while hi > lo && self[hi - 1] == 32 { hi -= 1 }
        return Array(self[lo..<hi])
    }
}
