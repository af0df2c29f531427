import Foundation
import Testing
@testable import Serialization

@Suite struct JSONParserTests {
    @Test func parsesNestedValuesWithLines() throws {
        let text = """
        {
          "a": 1.5,
          "b": [true, false, null],
          "c": {"d": "x\\n\\u00e9\\ud83d\\ude00"}
        }
        """
        let root = try JSONParser.parse(text)
        #expect(root.line == 1)
        #expect(root["a"]?.numberValue == 1.5)
        #expect(root["a"]?.line == 2)
        #expect(root["b"]?.arrayValue?.count == 3)
        #expect(root["b"]?.line == 3)
        #expect(root["c"]?["d"]?.stringValue == "x\né😀")
        #expect(root["c"]?.line == 4)
    }

    @Test func keepsKeyOrder() throws {
        let root = try JSONParser.parse(#"{"z": 1, "a": 2, "m": 3}"#)
        #expect(root.objectValue?.map(\.key) == ["z", "a", "m"])
    }

    @Test(arguments: [
        ("{\"a\": 1,}", 1, "expected a string key"),
        ("{\"a\" 1}", 1, "expected ':'"),
        ("[1, 2", 1, "unexpected end"),
        ("{\n\"a\": 01}", 2, "leading zero"),
        ("{\"a\": 1, \"a\": 2}", 1, "duplicate key"),
        ("{\"a\": tru}", 1, "invalid literal"),
        ("\"abc", 1, "unterminated string"),
        ("{}\n x", 2, "unexpected content"),
        ("[1e999]", 1, "out of range"),
    ])
    func reportsSyntaxErrorsWithLine(text: String, line: Int, message: String) {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("expected a syntax error for \(text)")
        } catch {
            #expect(error.line == line)
            #expect(error.message.contains(message), "message was: \(error.message)")
        }
    }

    @Test func parsesNumbersExactly() throws {
        let root = try JSONParser.parse("[0, -0.5, 1e3, 2.5E-2, 123456789012]")
        #expect(root.arrayValue?.map { $0.numberValue! } == [0, -0.5, 1000, 0.025, 123_456_789_012])
    }
}

@Suite struct ByteWriterTests {
    @Test(arguments: [
        (1.25, 1, "1.3"), (-1.25, 1, "-1.3"), (0.04, 1, "0.0"), (-0.04, 1, "0.0"), (12.5, 0, "13"),
        (3.0, 2, "3.00"), (117.0, 0, "117"), (0.001, 3, "0.001"), (1e6, 1, "1000000.0"), (-0.5, 0, "-1"),
    ])
    func formatsFixedDecimals(value: Double, decimals: Int, expected: String) {
        var w = ByteWriter()
        w.decimal(value, decimals: decimals)
        #expect(String(decoding: w.bytes, as: UTF8.self) == expected)
    }

    /// The stack-formatted decimal agrees with a plain reference (integer part, then each digit) on
    /// values across magnitudes, signs and decimals.
    @Test(arguments: [UInt64(1), 2, 3])
    func decimalsMatchAPlainReference(seed: UInt64) {
        func reference(_ value: Double, _ decimals: Int) -> String {
            let scale = (0..<decimals).reduce(1.0) { r, _ in r * 10 }
            let units = UInt64((value.magnitude * scale).rounded(.toNearestOrAwayFromZero))
            let power = UInt64(scale)
            var text = String(units / power)
            if decimals > 0 {
                let fraction = String(units % power)
                text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
            }
            return (value < 0 && units != 0 ? "-" : "") + text
        }
        var state = seed
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let magnitude = Double(state >> 11) / Double(1 << 53) * pow(10, Double(state % 9) - 3)
            let value = state & 1 == 0 ? magnitude : -magnitude
            let decimals = Int(state >> 60) % 5
            var w = ByteWriter(capacity: 8)
            w.decimal(value, decimals: decimals)
            #expect(String(decoding: w.bytes, as: UTF8.self) == reference(value, decimals), "\(value) \(decimals)")
        }
    }

    @Test func escapesJSONStrings() throws {
        var w = ByteWriter()
        w.jsonString("a\"b\\c\nd\u{01}é")
        let text = String(decoding: w.bytes, as: UTF8.self)
        #expect(text == "\"a\\\"b\\\\c\\nd\\u0001é\"")
        #expect(try JSONParser.parse(text).stringValue == "a\"b\\c\nd\u{01}é")
    }

    @Test func writesIntegersAndDates() {
        var w = ByteWriter()
        w.integer(-9_223_372_036_854_775_807)
        w.byte(UInt8(ascii: " "))
        w.unsigned(UInt64.max)
        w.byte(UInt8(ascii: " "))
        w.isoDate(year: 987, month: 3, day: 9)
        #expect(String(decoding: w.bytes, as: UTF8.self) == "-9223372036854775807 18446744073709551615 0987-03-09")
    }
}

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func matchesFIPSVectors(message: String, digest: String) {
        #expect(SHA256.hexDigest(of: Array(message.utf8)) == digest)
    }

    @Test func handlesMillionA() {
        #expect(SHA256.hexDigest(of: [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
