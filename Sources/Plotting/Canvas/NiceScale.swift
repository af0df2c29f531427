import Foundation

/// An axis range widened to round numbers, with tick marks on a 1–2–5 grid.
package struct NiceScale: Sendable, Equatable {
    /// The lower end of the axis.
    package let lower: Double
    /// The upper end of the axis.
    package let upper: Double
    /// The distance between ticks: 1, 2 or 5 times a power of ten.
    package let step: Double
    /// The tick values, from the lowest to the highest inside `lower...upper`.
    package let ticks: [Double]
    /// How many decimals the tick labels need to tell the ticks apart.
    package let decimals: Int

    /// A scale covering `minimum...maximum` with about `targetTickCount` ticks. With
    /// `expand` the ends move out to the enclosing ticks; otherwise the range is kept as given.
    /// Non-finite input gives 0...1; an empty range is widened around its value.
    package init(minimum: Double, maximum: Double, targetTickCount: Int = 5, expand: Bool = true) {
        var lo = Swift.min(minimum, maximum), hi = Swift.max(minimum, maximum)
        if !lo.isFinite || !hi.isFinite {
            lo = 0
            hi = 1
        }
        if hi - lo <= Swift.max(Swift.abs(lo), Swift.abs(hi)) * 1e-12 {
            let pad = lo == 0 ? 1 : Swift.abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let (mantissa, exponent) = Self.niceStep(raw: (hi - lo) / Double(Swift.max(targetTickCount, 1)))
        let step = Self.value(Double(mantissa), exponent: exponent)
        if expand {
            lo = Self.value((lo / step).rounded(.down) * Double(mantissa), exponent: exponent)
            hi = Self.value((hi / step).rounded(.up) * Double(mantissa), exponent: exponent)
        }
        // Tick k sits at k·m·10^e, computed so that decimal ticks such as 0.3 come out exactly
        // as the literal would.
        let first = (lo / step - 1e-9).rounded(.up)
        let last = (hi / step + 1e-9).rounded(.down)
        var ticks: [Double] = []
        if last >= first, last - first < 1000 {
            var k = first
            while k <= last {
                ticks.append(Self.value(k * Double(mantissa), exponent: exponent))
                k += 1
            }
        }
        self.lower = lo
        self.upper = hi
        self.step = step
        self.ticks = ticks
        self.decimals = Swift.max(0, -exponent)
    }

    /// The tick labels, each with `decimals` decimals.
    package var labels: [String] {
        ticks.map { SVGFormat.fixed($0, decimals: decimals) }
    }

    /// The 1–2–5 step nearest to `raw` on a log scale, as (mantissa, power of ten): the
    /// switch points √2, √10 and √50 are the geometric midpoints between neighbours.
    package static func niceStep(raw: Double) -> (mantissa: Int, exponent: Int) {
        guard raw.isFinite, raw > 0 else { return (1, 0) }
        var exponent = Int(Foundation.log10(raw).rounded(.down))
        let fraction = raw / value(1, exponent: exponent)
        let mantissa: Int
        if fraction >= 50.0.squareRoot() {
            mantissa = 1
            exponent += 1
        } else if fraction >= 10.0.squareRoot() {
            mantissa = 5
        } else if fraction >= 2.0.squareRoot() {
            mantissa = 2
        } else {
            mantissa = 1
        }
        return (mantissa, exponent)
    }

    /// x·10^e with a single rounding: dividing by an exact power of ten for negative e.
    static func value(_ x: Double, exponent: Int) -> Double {
        var p = 1.0
        for _ in 0..<Swift.min(Swift.abs(exponent), 308) { p *= 10 }
        return exponent >= 0 ? x * p : x / p
    }
}

/// A map from a data interval onto a pixel interval (which may run backwards, as the y axis
/// does): linear, or linear in log10 of the value for a logarithmic axis.
package struct LinearScale: Sendable, Equatable {
    /// The data value mapped to `rangeStart`.
    package let domainLower: Double
    /// The data value mapped to `rangeEnd`.
    package let domainUpper: Double
    /// The pixel position of `domainLower`.
    package let rangeStart: Double
    /// The pixel position of `domainUpper`.
    package let rangeEnd: Double
    /// Whether equal differences (linear) or equal ratios (logarithmic) take equal distances.
    package let spacing: AxisScale

    /// Creates the map; a zero-width domain maps everything to the middle of the range. A
    /// logarithmic map needs a positive domain.
    package init(domainLower: Double, domainUpper: Double, rangeStart: Double, rangeEnd: Double,
                 spacing: AxisScale = .linear) {
        self.domainLower = domainLower
        self.domainUpper = domainUpper
        self.rangeStart = rangeStart
        self.rangeEnd = rangeEnd
        self.spacing = spacing
    }

    /// The pixel position of the data value `v`; on a logarithmic map NaN for a value that is not
    /// positive (it has no position), which callers skip.
    package func map(_ v: Double) -> Double {
        if spacing == .logarithmic { return logMap(v) }
        let width = domainUpper - domainLower
        if width == 0 { return 0.5 * (rangeStart + rangeEnd) }
        return rangeStart + (v - domainLower) / width * (rangeEnd - rangeStart)
    }

    private func logMap(_ v: Double) -> Double {
        guard v > 0, domainLower > 0, domainUpper > 0 else { return .nan }
        let low = Foundation.log10(domainLower)
        let width = Foundation.log10(domainUpper) - low
        if width == 0 { return 0.5 * (rangeStart + rangeEnd) }
        return rangeStart + (Foundation.log10(v) - low) / width * (rangeEnd - rangeStart)
    }
}
