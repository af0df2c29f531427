/// An append-only UTF-8 byte buffer with the formatting a JSON or CSV writer needs on a hot path.
///
/// Numbers are formatted here, not by `String(describing:)`, so that a value printed with
/// `decimals: 1` is the same text on every platform and Swift version.
package struct ByteWriter: Sendable {
    package var bytes: [UInt8]

    package init(capacity: Int = 4096) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    package var count: Int { bytes.count }

    package mutating func removeAll(keepingCapacity: Bool = true) {
        bytes.removeAll(keepingCapacity: keepingCapacity)
    }

    /// Appends ASCII or UTF-8 text verbatim (no escaping): for keys and fixed fragments.
    @inlinable
    package mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends bytes verbatim (pre-serialised fragments).
    @inlinable
    package mutating func raw(_ fragment: [UInt8]) {
        bytes.append(contentsOf: fragment)
    }

    @inlinable
    package mutating func byte(_ b: UInt8) {
        bytes.append(b)
    }

    /// Appends a string verbatim (the caller knows it needs no escaping).
    package mutating func rawString(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Appends `text` as a JSON string literal, quotes included.
    package mutating func jsonString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(0x5C); bytes.append(b)
            case UInt8(ascii: "\\"): bytes.append(0x5C); bytes.append(b)
            case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                raw("\\u00")
                bytes.append(Self.hexDigit(b >> 4))
                bytes.append(Self.hexDigit(b & 0xF))
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends a decimal integer.
    package mutating func integer(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            unsigned(UInt64(value.magnitude))
        } else {
            unsigned(UInt64(value))
        }
    }

    /// Appends an unsigned decimal integer.
    package mutating func unsigned(_ value: UInt64) {
        if value < 10 { bytes.append(UInt8(ascii: "0") + UInt8(value)); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while n > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[i]) }
        }
    }

    /// Appends `value` rounded half away from zero to `decimals` places, without exponent.
    ///
    /// Trailing zeros are kept (`12.50` with two decimals): a lab value's precision is part of it.
    package mutating func decimal(_ value: Double, decimals: Int) {
        precondition(decimals >= 0 && decimals <= 9, "decimals must be 0...9")
        guard value.isFinite else { raw("null"); return }
        let scale = Self.powersOfTen[decimals]
        let scaled = (value.magnitude * Double(scale)).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else { rawString(value.description); return }
        let units = UInt64(scaled)
        // Formatted right to left on the stack and appended once (a hot path of every export).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            var end = 32
            var n = units
            for place in 0..<max(decimals, 0) {
                end -= 1; buffer[end] = UInt8(ascii: "0") + UInt8(n % 10); n /= 10
                if place == decimals - 1 { end -= 1; buffer[end] = UInt8(ascii: ".") }
            }
            repeat { end -= 1; buffer[end] = UInt8(ascii: "0") + UInt8(n % 10); n /= 10 } while n > 0
            if value < 0 && units != 0 { end -= 1; buffer[end] = UInt8(ascii: "-") }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[end..<32]))
        }
    }

    /// Appends a number in Swift's shortest round-trip form (for results, not hot paths).
    package mutating func number(_ value: Double) {
        guard value.isFinite else { raw("null"); return }
        if value == value.rounded(), value.magnitude < 1e15 {
            integer(Int(value))
        } else {
            rawString(value.description)
        }
    }

    /// Appends a zero-padded ISO date `YYYY-MM-DD` (years 0–9999; others as their digits).
    package mutating func isoDate(year: Int, month: Int, day: Int) {
        guard (0...9999).contains(year) else {
            integer(year); byte(UInt8(ascii: "-")); twoDigits(month); byte(UInt8(ascii: "-")); twoDigits(day)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { b in
            let zero = UInt8(ascii: "0")
            b[0] = zero + UInt8(year / 1000); b[1] = zero + UInt8(year / 100 % 10)
            b[2] = zero + UInt8(year / 10 % 10); b[3] = zero + UInt8(year % 10)
            b[4] = UInt8(ascii: "-"); b[5] = zero + UInt8(month / 10 % 10); b[6] = zero + UInt8(month % 10)
            b[7] = UInt8(ascii: "-"); b[8] = zero + UInt8(day / 10 % 10); b[9] = zero + UInt8(day % 10)
            bytes.append(contentsOf: UnsafeBufferPointer(b))
        }
    }

    private mutating func twoDigits(_ value: Int) {
        let v = Swift.max(value, 0)
        if v >= 100 { integer(v); return }
        bytes.append(UInt8(ascii: "0") + UInt8(v / 10))
        bytes.append(UInt8(ascii: "0") + UInt8(v % 10))
    }

    private static let powersOfTen: [UInt64] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000,
                                               10_000_000, 100_000_000, 1_000_000_000]

    @inline(__always)
    private static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10
    }
}
