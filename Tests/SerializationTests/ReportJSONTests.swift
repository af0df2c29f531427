import Testing
import Serialization

@Suite struct ReportJSONTests {
    /// Quotes, backslashes and control characters are escaped; other text, non-ASCII included, is kept.
    @Test func escapesStrings() throws {
        let text = ReportJSON.string("a\"b\\c\nd\te\r\u{01}é–").text()
        #expect(text == #""a\"b\\c\nd\te\r\u0001é–""# + "\n")
        let parsed = try JSONParser.parse(text)
        #expect(parsed.stringValue == "a\"b\\c\nd\te\r\u{01}é–")
    }

    /// Integral values as integers, others in the shortest exact form, non-finite as null.
    @Test func formatsNumbers() {
        #expect(ReportJSON.number(3).text() == "3\n")
        #expect(ReportJSON.number(-0.0).text() == "0\n")
        #expect(ReportJSON.number(0.1).text() == "0.1\n")
        #expect(ReportJSON.number(1e-7).text() == "1e-07\n")
        #expect(ReportJSON.number(1e20).text() == "1e+20\n")
        #expect(ReportJSON.finite(.nan).text() == "null\n")
        #expect(ReportJSON.finite(.infinity).text() == "null\n")
        #expect(ReportJSON.finite(nil).text() == "null\n")
        #expect(ReportJSON.number(.nan).text() == "null\n")
        #expect(ReportJSON.unsigned(.max).text() == "18446744073709551615\n")
        #expect(ReportJSON.integer(.min).text() == "-9223372036854775808\n")
        #expect(ReportJSON.nullable(nil).text() == "null\n")
    }

    /// With significant digits, non-integral numbers are rounded (`%.6g`); integral ones are not.
    @Test func roundsToSignificantDigits() {
        let layout = ReportJSON.Layout(flatObjectsInline: false, scalarArraysInline: true, significantDigits: 6)
        #expect(ReportJSON.number(0.123456789).text(layout: layout) == "0.123457\n")
        #expect(ReportJSON.number(2.99795123).text(layout: layout) == "2.99795\n")
        #expect(ReportJSON.number(0.0000123456789).text(layout: layout) == "1.23457e-05\n")
        #expect(ReportJSON.number(1_234_567).text(layout: layout) == "1234567\n")
    }

    /// The standard layout: every object over lines, scalar arrays on one line.
    @Test func standardLayout() {
        let value: ReportJSON = .object([("a", .integer(1)), ("b", .array([.integer(1), .string("x")])),
                                         ("c", .object([])), ("d", .array([])), ("e", .object([("f", .bool(true))]))])
        #expect(value.text() == """
        {
          "a": 1,
          "b": [1, "x"],
          "c": {},
          "d": [],
          "e": {
            "f": true
          }
        }

        """)
    }

    /// Flat objects inline and arrays one item per line (the layout of metrics.json).
    @Test func inlineFlatObjectsLayout() throws {
        let layout = ReportJSON.Layout(flatObjectsInline: true, scalarArraysInline: false, significantDigits: nil)
        let value: ReportJSON = .object([("inputs", .object([("real", .string("r")), ("model", .null)])),
                                         ("rows",
                                          .array([.object([("x", .number(0.5))]), .object([("x", .integer(2))])])),
                                         ("notes", .array([.string("one"), .string("two")]))])
        let text = value.text(layout: layout)
        #expect(text == """
        {
          "inputs": {"real": "r", "model": null},
          "rows": [
            {"x": 0.5},
            {"x": 2}
          ],
          "notes": [
            "one",
            "two"
          ]
        }

        """)
        let parsed = try JSONParser.parse(text)
        #expect(parsed["rows"]?.arrayValue?.count == 2)
        #expect(parsed["inputs"]?["real"]?.stringValue == "r")
    }
}
