import Foundation

/// How data values are spaced along an axis.
package enum AxisScale: String, Sendable, Equatable, Hashable {
    /// Equal differences take equal distances.
    case linear
    /// Equal ratios take equal distances (log10); only positive values can be drawn.
    case logarithmic
}

/// A log10 axis range widened to 1–2–5 bounds (or to powers of ten when it spans many decades),
/// with ticks chosen for the pixels available so that their labels never collide.
package struct LogScale: Sendable, Equatable {
    /// The lower end of the axis, always positive.
    package let lower: Double
    /// The upper end of the axis, always above `lower`.
    package let upper: Double

    /// Ranges wider than this many decades are padded to whole decades, where 1–2–5 ticks would crowd.
    static let decadePaddingSpan = 3.0
    /// At most this many ticks: a log axis reads by its decades, not by a dense ladder of values.
    static let maximumTickCount = 10
    /// The least distance between tick labels: 11 px digits with a clear gap between them.
    static let minimumLabelGap = ChartDecor.tickSize * 1.5

    /// A scale covering `minimum...maximum`. With `expand` the ends move out to the enclosing
    /// 1–2–5 values (or decades); otherwise the range is kept as given. A range that is not
    /// positive and finite gives 1...10; an empty range is widened around its value.
    package init(minimum: Double, maximum: Double, expand: Bool = true) {
        var lo = Swift.min(minimum, maximum), hi = Swift.max(minimum, maximum)
        if !(lo.isFinite && hi.isFinite && lo > 0) {
            lo = 1
            hi = 10
        }
        if hi <= lo * (1 + 1e-9) {
            lo /= 2
            hi *= 2
        }
        if expand {
            if Foundation.log10(hi / lo) > Self.decadePaddingSpan {
                lo = NiceScale.value(1, exponent: Self.decade(of: lo))
                let top = Self.decade(of: hi)
                hi = NiceScale.value(1, exponent: Self.isPowerOfTen(hi) ? top : top + 1)
            } else {
                lo = Self.oneTwoFive(below: lo)
                hi = Self.oneTwoFive(above: hi)
            }
        }
        lower = lo
        upper = hi
    }

    /// The decades the axis spans.
    package var decades: Double { Foundation.log10(upper / lower) }

    /// The ticks for a plot area `plotHeight` pixels tall: 1–2–5 values, or only powers of ten
    /// (every second, third… when even those crowd), or for a range narrower than a decade
    /// every 1…9 × 10ⁿ or plain linear steps. The densest grid whose labels keep
    /// `minimumLabelGap` apart is used.
    package func ticks(plotHeight: Double) -> [Double] {
        let oneTwoFive = grid([1, 2, 5])
        var candidates: [[Double]] = []
        if oneTwoFive.count < 3 {
            // Under about a decade 1–2–5 leaves one or two ticks: finer grids, if they give three.
            let finer = [grid(Array(1...9)), linearTicks()].filter { $0.count >= 3 }
            candidates += finer
        }
        candidates.append(oneTwoFive)
        let powers = grid([1])
        candidates.append(powers)
        for every in [2, 3, 5, 10, 20, 50, 100] {
            candidates.append(powers.filter { Self.decade(of: $0) % every == 0 })
        }
        if let fitting = candidates.first(where: { !$0.isEmpty && fits($0, plotHeight: plotHeight) }) {
            return fitting
        }
        // Too short for two labels: keep one, so the axis still says where it is.
        return candidates.last(where: { !$0.isEmpty }).map { [$0[0]] } ?? []
    }

    /// Whether `ticks` are few enough and far enough apart on a plot `plotHeight` pixels tall.
    func fits(_ ticks: [Double], plotHeight: Double) -> Bool {
        guard ticks.count <= Self.maximumTickCount else { return false }
        let pixelsPerDecade = plotHeight / decades
        return zip(ticks, ticks.dropFirst()).allSatisfy {
            Foundation.log10($0.1 / $0.0) * pixelsPerDecade >= Self.minimumLabelGap
        }
    }

    /// m × 10ⁿ for each mantissa in `mantissas`, inside `lower...upper`, in increasing order.
    func grid(_ mantissas: [Int]) -> [Double] {
        var ticks: [Double] = []
        for e in (Self.decade(of: lower) - 1)...(Self.decade(of: upper) + 1) {
            for m in mantissas {
                let t = NiceScale.value(Double(m), exponent: e)
                if t >= lower * (1 - 1e-9), t <= upper * (1 + 1e-9) { ticks.append(t) }
            }
        }
        return ticks
    }

    /// Evenly spaced nice values inside the range, for a range too narrow for any ratio grid.
    func linearTicks() -> [Double] {
        NiceScale(minimum: lower, maximum: upper, targetTickCount: 5, expand: false).ticks.filter { $0 > 0 }
    }

    /// Tick labels: plain decimals with no more digits than the value needs (0.05, 0.1, 1, 10,
    /// 1000, 100000); scientific notation only beyond a million or below 0.0001.
    package static func label(_ value: Double) -> String {
        guard value.isFinite, value > 0 else { return SVGFormat.fixed(value, decimals: 0) }
        let e = decade(of: value)
        if e > 6 || e < -4 {
            let mantissa = value / NiceScale.value(1, exponent: e)
            return shortest(mantissa) + "e\(e)"
        }
        return shortest(value)
    }

    /// The fewest decimals (up to 12) that print `value` without visible rounding.
    private static func shortest(_ value: Double) -> String {
        for d in 0...12 {
            let text = SVGFormat.fixed(value, decimals: d)
            if let back = Double(text), Swift.abs(back - value) <= Swift.abs(value) * 1e-9 { return text }
        }
        return SVGFormat.fixed(value, decimals: 12)
    }

    /// n such that 10ⁿ ≤ v < 10ⁿ⁺¹, robust to log10 rounding just below a power of ten.
    static func decade(of v: Double) -> Int {
        var e = Int(Foundation.log10(v).rounded(.down))
        if NiceScale.value(1, exponent: e + 1) <= v * (1 + 1e-12) { e += 1 }
        if NiceScale.value(1, exponent: e) > v * (1 + 1e-12) { e -= 1 }
        return e
    }

    static func isPowerOfTen(_ v: Double) -> Bool {
        Swift.abs(v / NiceScale.value(1, exponent: decade(of: v)) - 1) < 1e-9
    }

    /// The largest 1, 2 or 5 × 10ⁿ at or below `v`.
    static func oneTwoFive(below v: Double) -> Double {
        let e = decade(of: v)
        let m = v / NiceScale.value(1, exponent: e)
        let mantissa = m >= 5 * (1 - 1e-9) ? 5.0 : m >= 2 * (1 - 1e-9) ? 2.0 : 1.0
        return NiceScale.value(mantissa, exponent: e)
    }

    /// The smallest 1, 2 or 5 × 10ⁿ at or above `v`.
    static func oneTwoFive(above v: Double) -> Double {
        let e = decade(of: v)
        let m = v / NiceScale.value(1, exponent: e)
        if m <= 1 + 1e-9 { return NiceScale.value(1, exponent: e) }
        if m <= 2 * (1 + 1e-9) { return NiceScale.value(2, exponent: e) }
        if m <= 5 * (1 + 1e-9) { return NiceScale.value(5, exponent: e) }
        return NiceScale.value(1, exponent: e + 1)
    }
}
