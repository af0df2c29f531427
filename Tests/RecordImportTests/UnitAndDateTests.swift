import Foundation
@testable import RecordImport
import Testing
import Timelines

@Suite struct UnitAndDateTests {
    struct Conversion: Sendable, CustomTestStringConvertible {
        var from: String?
        var to: String
        var value: Double
        var expected: Double?
        var testDescription: String { "\(from ?? "nil") → \(to)" }
    }

    static let conversions: [Conversion] = [
        Conversion(from: "g/dL", to: "g/dL", value: 12.4, expected: 12.4),
        Conversion(from: "g/L", to: "g/dL", value: 124, expected: 12.4),
        Conversion(from: "mg/dL", to: "g/dL", value: 1240, expected: 1.24),
        Conversion(from: "g/dl", to: "g/L", value: 13.5, expected: 135),
        Conversion(from: "g/100 mL", to: "g/dL", value: 13.5, expected: 13.5),
        Conversion(from: "ug/L", to: "ng/mL", value: 5.5, expected: 5.5),
        Conversion(from: "pg/mL", to: "ng/mL", value: 2500, expected: 2.5),
        Conversion(from: "10^9/L", to: "10*9/L", value: 150, expected: 150),
        Conversion(from: "x10^9/L", to: "10*9/L", value: 150, expected: 150),
        Conversion(from: "10*3/uL", to: "10*9/L", value: 150, expected: 150),
        Conversion(from: "10*3/µL", to: "10*9/L", value: 150, expected: 150),
        Conversion(from: "/nL", to: "10*9/L", value: 150, expected: 150),
        Conversion(from: "/uL", to: "10*9/L", value: 150_000, expected: 150),
        Conversion(from: "mL/min/1.73m2", to: "mL/min/{1.73_m2}", value: 88, expected: 88),
        Conversion(from: "mL/min/1.73 m^2", to: "mL/min/{1.73_m2}", value: 88, expected: 88),
        Conversion(from: "mg/g", to: "g/g", value: 250, expected: 0.25),
        Conversion(from: "mg/mg", to: "g/g", value: 0.25, expected: 0.25),
        Conversion(from: "nmol/mL/h", to: "nmol/h/mL", value: 2000, expected: 2000),
        Conversion(from: nil, to: "{score}", value: 40, expected: 40),
        Conversion(from: "1", to: "{MN}", value: 8.5, expected: 8.5),
        Conversion(from: "{Score}", to: "{score}", value: 40, expected: 40),
        // Different dimensions (molar vs mass, counts vs mass) and unknown units are rejected.
        Conversion(from: "nmol/L", to: "ng/mL", value: 5, expected: nil),
        Conversion(from: "mmol/L", to: "g/dL", value: 7.5, expected: nil),
        Conversion(from: "g/L", to: "10*9/L", value: 1, expected: nil),
        Conversion(from: "mg/mmol", to: "g/g", value: 30, expected: nil),
        Conversion(from: nil, to: "g/dL", value: 12, expected: nil),
        Conversion(from: "{score}", to: "{MN}", value: 1, expected: nil),
    ]

    @Test(arguments: conversions)
    func unitConversion(_ c: Conversion) {
        #expect(UnitConversion.convert(c.value, from: c.from, to: c.to) == c.expected)
    }

    @Test(arguments: [
        ("2024-02-29", "2024-02-29", false), ("2021-03-04T23:30:00-05:00", "2021-03-04", false),
        ("1984", "1984-07-01", true), ("1984-03", "1984-03-15", true),
    ])
    func validDates(_ text: String, _ iso: String, _ partial: Bool) throws {
        let parsed = try #require(RecordDates.parse(text))
        #expect(parsed.day.iso == iso && parsed.partial == partial)
    }

    @Test(arguments: ["2023-02-29", "2023-02-30", "2023-04-31", "1984-13", "1984-00-10", "84-01-01", "2020-01-01x", "",
                      "2020/01/01"])
    func invalidDates(_ text: String) {
        #expect(RecordDates.parse(text) == nil)
    }

    @Test func summaryReadsAsDocumented() {
        var report = ImportReport(source: "x")
        report.patientsRead = 300
        report.patientsKept = 298
        report.patientsSkippedByReason = ["no birth date": 2]
        report.recordsRead = ["Observation": 5084, "Encounter": 1394, "MedicationStatement": 1]
        report.recordsKept = ["Observation": 5072, "Encounter": 1394, "MedicationStatement": 1]
        report.recordsSkippedByReason = ["unknown code": 7, "observation before birth": 5]
        #expect(report.summary() == """
        read 300 patients, 1,394 encounters, 5,084 observations, 1 medication statement; kept 298 patients, 6,467 \
        records
        skipped 2 patients: 2 no birth date
        skipped 12 records: 7 unknown code, 5 observation before birth
        """)
    }
}
