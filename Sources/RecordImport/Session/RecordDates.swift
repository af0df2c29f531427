import Timelines

/// Dates as seed records write them.
enum RecordDates {
    /// A FHIR `date`, `dateTime` or `instant` as a day: `YYYY-MM-DD`, optionally followed by a
    /// time (`T…`, whose date is taken as written, ignoring the zone), or a partial date `YYYY`
    /// or `YYYY-MM`, completed to the middle of the year (1 July) or month (the 15th) and flagged.
    /// Nil for anything else, including impossible dates such as 2023-02-30.
    static func parse(_ text: String) -> (day: CalendarDay, partial: Bool)? {
        let utf8 = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= utf8.count else { return nil }
            var v = 0
            for i in range {
                let b = utf8[i]
                guard b >= 0x30 && b <= 0x39 else { return nil }
                v = v * 10 + Int(b - 0x30)
            }
            return v
        }
        guard let year = digits(0..<4), year >= 1 else { return nil }
        if utf8.count == 4 { return (CalendarDay(year: year, month: 7, day: 1), true) }
        guard utf8.count >= 7, utf8[4] == UInt8(ascii: "-"), let month = digits(5..<7), (1...12).contains(month) else {
            return nil
        }
        if utf8.count == 7 { return (CalendarDay(year: year, month: month, day: 15), true) }
        guard utf8.count >= 10, utf8[7] == UInt8(ascii: "-"), let day = digits(8..<10),
              day >= 1, day <= CalendarDay.daysInMonth(year: year, month: month) else { return nil }
        guard utf8.count == 10 || utf8[10] == UInt8(ascii: "T") else { return nil }
        return (CalendarDay(year: year, month: month, day: day), false)
    }
}
