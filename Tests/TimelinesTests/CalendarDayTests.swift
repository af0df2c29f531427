import Testing
@testable import Timelines

@Suite struct CalendarDayTests {
    @Test func epochAndKnownDates() {
        #expect(CalendarDay(year: 1970, month: 1, day: 1).daysSinceEpoch == 0)
        #expect(CalendarDay(year: 2000, month: 3, day: 1).daysSinceEpoch == 11_017)
        #expect(CalendarDay(year: 1969, month: 12, day: 31).daysSinceEpoch == -1)
        #expect(CalendarDay(year: 2025, month: 12, day: 31).iso == "2025-12-31")
    }

    /// Every day from 1850 to 2150 converts to a civil date and back.
    @Test func roundTripsEveryDayOverThreeCenturies() {
        let start = CalendarDay(year: 1850, month: 1, day: 1).daysSinceEpoch
        let end = CalendarDay(year: 2150, month: 12, day: 31).daysSinceEpoch
        var previous: (Int, Int, Int)?
        for d in start...end {
            let day = CalendarDay(daysSinceEpoch: d)
            let (y, m, dd) = day.components
            #expect(CalendarDay(year: y, month: m, day: dd) == day)
            if let (py, pm, pd) = previous {
                let advanced = (dd == pd + 1 && m == pm && y == py) ||
                    (dd == 1 && ((m == pm + 1 && y == py) || (m == 1 && pm == 12 && y == py + 1)))
                if !advanced { Issue.record("calendar did not advance by one day at \(day.iso)") }
            }
            previous = (y, m, dd)
        }
    }

    @Test(arguments: ["2023-02-29", "2023-02-30", "2024-13-01", "2024-00-10", "2024-1-01", "20240101", "abcd-ef-gh",
                      "2100-02-29"])
    func rejectsImpossibleDates(text: String) {
        #expect(CalendarDay(iso: text) == nil)
    }

    @Test func acceptsLeapDays() {
        #expect(CalendarDay(iso: "2024-02-29")?.iso == "2024-02-29")
        #expect(CalendarDay(iso: "2000-02-29") != nil)
    }

    @Test func yearsAndDays() {
        let birth = CalendarDay(year: 2000, month: 1, day: 1)
        #expect(birth.adding(years: 1).iso == "2000-12-31")
        #expect(abs(birth.years(to: CalendarDay(year: 2020, month: 1, day: 1)) - 20.0) < 0.01)
        #expect(birth.days(to: birth.adding(days: 45)) == 45)
    }
}
