import Foundation

/// The unit of the forecast target, for results and messages: given (`timeseries.target_unit`),
/// else read from the column name's trailing parentheses as in Jena's `T (degC)` or `wv (m/s)`,
/// else none (results are then in the target's own units, unnamed).
///
/// ```swift
/// TargetUnit.resolve(column: "T (degC)", explicit: nil)     // "°C"
/// TargetUnit.resolve(column: "pm2.5", explicit: "µg/m³")    // "µg/m³"
/// TargetUnit.resolve(column: "TEMP", explicit: nil)         // nil
/// ```
///
/// `degC`, `degF` and `deg` are written `°C`, `°F` and `°`. ``celsiusKeyApplies(_:)`` says when
/// the older `…_celsius` result keys are still written (only for °C, so a forecast of pressure
/// is never labelled Celsius). Cost: O(name length).
public enum TargetUnit {
    public static func resolve(column: String, explicit: String?) -> String? {
        if let explicit, !explicit.isEmpty { return explicit }
        guard column.hasSuffix(")"), let open = column.lastIndex(of: "(") else { return nil }
        let inner = column[column.index(after: open)..<column.index(before: column.endIndex)]
            .trimmingCharacters(in: .whitespaces)
        guard !inner.isEmpty else { return nil }
        switch inner {
        case "degC": return "°C"
        case "degF": return "°F"
        case "deg": return "°"
        default: return inner
        }
    }

    /// Whether results keep the `…_celsius` keys (the unit is °C).
    public static func celsiusKeyApplies(_ unit: String?) -> Bool { unit == "°C" }

    /// `2.57 °C`, or `2.57` when there is no unit.
    public static func format(_ value: Double, _ unit: String?, decimals: Int = 2) -> String {
        let v = String(format: "%.\(decimals)f", value)
        return unit.map { "\(v) \($0)" } ?? v
    }
}
