import PipelineCore

/// Recognising the clock changes of local time in a time axis read as UTC: a jump forward by
/// one hour more than the step (spring) or back by one hour less than it (autumn), on a date
/// when the European Union or the United States change their clocks.
///
/// ```swift
/// DaylightSaving.transition(previous: t0, delta: 7200, step: 3600)   // "spring forward", on 2010-03-28
/// ```
///
/// Rules: EU, the last Sundays of March and October; US, the second Sunday of March and the
/// first Sunday of November (since 2007; before, the first Sunday of April and the last of
/// October). Other regions' dates are not recognised (the gap is then reported as an ordinary
/// gap). Used only to word messages; the repairs are those of ``TimeAxisPolicy``. Cost: O(1).
public enum DaylightSaving {
    /// "spring forward" / "fall back" when `delta` after `previous` looks like a clock change.
    public static func transition(previous: Int64, delta: Int64, step: Int64) -> String? {
        let forward = delta == step + 3600, back = delta == step - 3600 || (step == 3600 && delta == 0)
        guard forward || back else { return nil }
        let day = Int(CivilDate.day(of: previous))
        // A change seen a little after midnight UTC still belongs to the Sunday before it.
        let days = [day, day - 1]
        guard days.contains(where: { isTransitionDay($0) }) else { return nil }
        return forward ? "spring forward" : "fall back"
    }

    /// Whether days-since-1970 `day` is a Sunday of clock change in the EU or the US.
    static func isTransitionDay(_ day: Int) -> Bool {
        let (y, m, d) = CivilDate.date(day)
        guard ((day + 4) % 7 + 7) % 7 == 0 else { return false }   // 1970-01-01 was a Thursday
        let lastSunday = d + 7 > CivilDate.daysIn(month: m, year: y)
        switch m {
        case 3: return lastSunday || (y >= 2007 && d > 7 && d <= 14)
        case 10: return lastSunday
        case 11: return y >= 2007 && d <= 7
        case 4: return y < 2007 && d <= 7
        default: return false
        }
    }
}
