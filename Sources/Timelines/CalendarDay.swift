/// A calendar date as a count of days since 1970-01-01 (proleptic Gregorian, no time zone).
///
/// Clinical events here are dated to the day; keeping dates as integers makes the simulator's
/// arithmetic exact and the export independent of time zones and locale.
package struct CalendarDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    package var daysSinceEpoch: Int32

    @inlinable
    package init(daysSinceEpoch: Int32) { self.daysSinceEpoch = daysSinceEpoch }

    /// The day with the given civil date (Howard Hinnant's days_from_civil algorithm).
    package init(year: Int, month: Int, day: Int) {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        daysSinceEpoch = Int32(era * 146_097 + doe - 719_468)
    }

    /// Parses `YYYY-MM-DD`, rejecting impossible dates such as 2023-02-30.
    package init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= CalendarDay.daysInMonth(year: y, month: m) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The civil date (year, month, day).
    package var components: (year: Int, month: Int, day: Int) {
        let z = Int(daysSinceEpoch) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `YYYY-MM-DD`.
    package var iso: String {
        let (y, m, d) = components
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: Swift.max(0, w - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    package var description: String { iso }

    @inlinable
    package static func < (a: CalendarDay, b: CalendarDay) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    /// The day `days` later.
    @inlinable
    package func adding(days: Int) -> CalendarDay {
        CalendarDay(daysSinceEpoch: daysSinceEpoch + Int32(days))
    }

    /// Days from `self` to `other`.
    @inlinable
    package func days(to other: CalendarDay) -> Int { Int(other.daysSinceEpoch - daysSinceEpoch) }

    /// Mean days in a year; ages and durations in years convert through it.
    package static let daysPerYear = 365.25

    /// The day at `years` (fractional) after `self`, rounded down to whole days.
    @inlinable
    package func adding(years: Double) -> CalendarDay {
        CalendarDay(daysSinceEpoch: daysSinceEpoch + Int32((years * CalendarDay.daysPerYear).rounded(.down)))
    }

    /// Years (fractional) from `self` to `other`.
    @inlinable
    package func years(to other: CalendarDay) -> Double {
        Double(other.daysSinceEpoch - daysSinceEpoch) / CalendarDay.daysPerYear
    }

    package static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    package static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
