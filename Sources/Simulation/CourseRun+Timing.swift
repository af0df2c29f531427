import DiseaseModeling
import Foundation

/// When the next hazard-driven or threshold-driven event happens, given the current state.
extension CourseRun {
    /// The hazard rate of event `e` now: its predictor times any active treatments' hazard ratios.
    func eventRate(_ e: Int, _ rate: Predictor) -> Double {
        var r = rate.value(in: context)
        for state in template.stateEffects.indices where context.isActive(state) {
            for effect in template.stateEffects[state] {
                if case .eventHazard(let target, let ratio) = effect, target == e { r *= ratio.value(in: context) }
            }
        }
        return max(r, 0)
    }

    /// The age that a hazard's clock measures from (0 for age), or nil if its state never began.
    func clockOrigin(_ clockState: Int?) -> Double? {
        guard let s = clockState else { return 0 }
        let a = context.stateAges[s]
        return a.isNaN ? nil : a
    }

    /// ∫ rate multiplier over ages [a, b] for a hazard on a clock with piecewise knots.
    func clockIntegral(clockState: Int?, knots: [(time: Double, multiplier: Double)], from a: Double, to b: Double)
        -> Double {
        guard let origin = clockOrigin(clockState) else { return 0 }
        return knotIntegral(knots, from: a - origin, to: b - origin)
    }

    /// The age at which a hazard with constant `rate` (times knots) uses up `budget`.
    func hazardTime(budget: Double, rate: Double, clockState: Int?, knots: [(time: Double, multiplier: Double)])
        -> Double {
        guard rate > 0, !budget.isNaN, let origin = clockOrigin(clockState) else { return .infinity }
        let target = max(budget, 0) / rate
        let c0 = now - origin
        return now + timeToAccumulate(knots, from: c0, amount: target)
    }

    // MARK: Mortality

    func mortalityRates() -> (ratio: Double, excess: Double) {
        let m = template.mortality
        var ratio = max(m.hazardRatio.value(in: context), 0)
        for state in template.stateEffects.indices where context.isActive(state) {
            for effect in template.stateEffects[state] {
                if case .mortalityHazard(let r) = effect { ratio *= max(r.value(in: context), 0) }
            }
        }
        var excess = max(m.excess.value(in: context), 0)
        for cause in m.causes where !cause.takesBackground { excess += max(cause.excess.value(in: context), 0) }
        return (ratio, excess)
    }

    /// The cause of a death now: each cause with the chance of its share of the hazard at this age.
    func causeOfDeath(_ u: Double) -> Int? {
        let m = template.mortality
        guard let background = m.backgroundCause else { return nil }
        let (ratio, _) = mortalityRates()
        let shares = m.causes.map { cause in
            cause.takesBackground ? 0 : max(cause.excess.value(in: context), 0) * knotMultiplier(m.excessAgeKnots, now)
        }
        let total = ratio * m.background(for: course.sex).hazard(atAge: now)
            + max(m.excess.value(in: context), 0) * knotMultiplier(m.excessAgeKnots, now) + shares.reduce(0, +)
        guard total > 0 else { return background }
        var threshold = u * total
        for (c, share) in shares.enumerated() where share > 0 {
            if threshold < share { return c }
            threshold -= share
        }
        return background
    }

    func mortalityIntegral(from a: Double, to b: Double) -> Double {
        mortalityIntegral(from: a, to: b, rates: mortalityRates())
    }

    /// The same with the current hazard ratio and excess given (they do not change with the end age).
    func mortalityIntegral(from a: Double, to b: Double, rates: (ratio: Double, excess: Double)) -> Double {
        let background = template.mortality.background(for: course.sex)
        return rates.ratio * background.cumulative(from: a, to: b)
            + rates.excess * knotIntegral(template.mortality.excessAgeKnots, from: a, to: b)
    }

    /// The age of death if nothing changes before it.
    func timeOfDeath() -> Double {
        let limit = CourseSimulator.maximumAge
        if now >= limit { return now }
        let rates = mortalityRates()
        if mortalityIntegral(from: now, to: limit, rates: rates) < deathBudget { return limit }
        var lo = now, hi = limit
        // The cumulative hazard is increasing in the end age: bisect to a hundredth of a day.
        while hi - lo > 2.7e-5 {
            let mid = 0.5 * (lo + hi)
            if mortalityIntegral(from: now, to: mid, rates: rates) < deathBudget { lo = mid } else { hi = mid }
        }
        return hi
    }

    // MARK: Thresholds

    /// The first age ≥ now at which measure `m` is at or beyond `threshold`.
    func crossingTime(measure m: Int, below: Bool, threshold: Double) -> Double {
        guard let segment = course.segments[m].last else { return .infinity }
        let bounds = course.bounds[m]
        return firstCrossing(of: segment, from: now, threshold: threshold, below: below,
                             floor: bounds.floor, ceiling: bounds.ceiling, until: CourseSimulator.maximumAge)
    }
}

/// The first age in [from, until] at which a segment's clamped value is at or beyond a threshold
/// (at or below it when `below`), or infinity.
///
/// The raw curve `target + (y0 − target)e^(−kt) + st` has at most one turning point, so it is
/// monotone on at most two pieces; each is searched by bisection to about a hundredth of a day.
func firstCrossing(of segment: MeasureSegment, from: Double, threshold: Double, below: Bool,
                   floor: Double, ceiling: Double, until: Double) -> Double {
    func clamped(_ dt: Double) -> Double { min(max(segment.rawValue(after: dt), floor), ceiling) }
    let beyond: (Double) -> Bool = below ? { $0 <= threshold } : { $0 >= threshold }
    let offset = from - segment.startAge
    if beyond(clamped(offset)) { return from }
    if below ? threshold < floor : threshold > ceiling { return .infinity }
    let horizon = until - segment.startAge
    guard horizon > offset else { return .infinity }
    var pieces = [offset]
    if segment.rate > 0 && segment.startValue != segment.target {
        let ratio = segment.slope / (segment.rate * (segment.startValue - segment.target))
        if ratio > 0 && ratio < 1 {
            let turn = -log(ratio) / segment.rate
            if turn > offset && turn < horizon { pieces.append(turn) }
        }
    }
    pieces.append(horizon)
    for i in 0..<(pieces.count - 1) {
        var lo = pieces[i], hi = pieces[i + 1]
        guard beyond(clamped(hi)) else { continue }
        if beyond(clamped(lo)) { return segment.startAge + lo }
        while hi - lo > 2.7e-5 {
            let mid = 0.5 * (lo + hi)
            if beyond(clamped(mid)) { hi = mid } else { lo = mid }
        }
        return segment.startAge + hi
    }
    return .infinity
}

/// The multiplier of piecewise-constant knots at time `t` (1 without knots).
func knotMultiplier(_ knots: [(time: Double, multiplier: Double)], _ t: Double) -> Double {
    knots.last { $0.time <= t }?.multiplier ?? (knots.isEmpty ? 1 : 0)
}

/// ∫ of a piecewise-constant multiplier over clock times [a, b]; no knots means a multiplier of 1.
func knotIntegral(_ knots: [(time: Double, multiplier: Double)], from a: Double, to b: Double) -> Double {
    guard b > a else { return 0 }
    if knots.isEmpty { return b - a }
    var total = 0.0
    for (i, knot) in knots.enumerated() {
        let start = knot.time
        let end = i + 1 < knots.count ? knots[i + 1].time : .infinity
        let lo = max(a, start), hi = min(b, end)
        if hi > lo { total += (hi - lo) * knot.multiplier }
    }
    return total
}

/// How much clock time after `c0` it takes for the multiplier's integral to reach `amount`.
func timeToAccumulate(_ knots: [(time: Double, multiplier: Double)], from c0: Double, amount: Double) -> Double {
    if knots.isEmpty { return amount }
    var remaining = amount
    var c = c0
    for (i, knot) in knots.enumerated() {
        let end = i + 1 < knots.count ? knots[i + 1].time : .infinity
        guard end > c else { continue }
        let start = max(c, knot.time)
        if knot.multiplier > 0 {
            let need = remaining / knot.multiplier
            if start + need <= end { return start + need - c0 }
            remaining -= (end - start) * knot.multiplier
        }
        c = end
    }
    return .infinity
}
