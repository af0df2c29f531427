import DiseaseModeling
import Foundation
import Timelines

/// One piece of a measure's noise-free trajectory:
/// `y(t) = target + (y0 − target)·e^(−k·(t − t0)) + slope·(t − t0)`, clamped to the measure's range.
package struct MeasureSegment: Sendable, Hashable {
    package var startAge: Double
    package var startValue: Double
    package var slope: Double
    package var target: Double
    package var rate: Double

    /// The unclamped value `dt` years after the segment starts.
    @inlinable
    package func rawValue(after dt: Double) -> Double {
        if rate == 0 { return startValue + slope * dt }
        return target + (startValue - target) * Foundation.exp(-rate * dt) + slope * dt
    }
}

/// A state entered or left at an age.
package struct StateChange: Sendable, Hashable {
    package var age: Double
    package var state: Int
    package var entered: Bool
}

/// What happened to one patient in truth, before any visit observed it: attributes, random
/// effects, when each state began and ended, measure trajectories, and age at death.
package struct LatentCourse: Sendable {
    package var sex: Sex
    package var birth: CalendarDay
    /// The patient's final context (attributes, random effects, state entry ages).
    package var context: PatientContext
    package var stateChanges: [StateChange]
    /// Every occurrence of an event (recurrent events occur several times): (age, event index).
    package var eventOccurrences: [(age: Double, event: Int)]
    /// Per measure, the trajectory's segments in time order (empty until the measure starts).
    package var segments: [[MeasureSegment]]
    /// Per measure, the floor and ceiling its value is clamped to.
    package var bounds: [(floor: Double, ceiling: Double)]
    /// Per measure, the value before its trajectory starts.
    package var preStartValues: [Double]
    package var deathAge: Double
    /// The index of the template's cause of death (nil when it names none).
    package var deathCause: Int? = nil

    /// The noise-free value of measure `m` at `age`.
    package func value(ofMeasure m: Int, atAge age: Double) -> Double {
        let segs = segments[m]
        guard let first = segs.first, age >= first.startAge else { return preStartValues[m] }
        var lo = 0, hi = segs.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if segs[mid].startAge <= age { lo = mid } else { hi = mid - 1 }
        }
        let s = segs[lo]
        return min(max(s.rawValue(after: age - s.startAge), bounds[m].floor), bounds[m].ceiling)
    }

    /// Whether state `s` is active at `age` (entered at or before it and not left since).
    package func isActive(state s: Int, atAge age: Double) -> Bool {
        var active = false
        for change in stateChanges where change.state == s {
            if change.age > age { break }
            active = change.entered
        }
        return active
    }

    /// The age at which state `s` was first entered, if ever.
    package func entryAge(of s: Int) -> Double? {
        let a = context.stateAges[s]
        return a.isNaN ? nil : a
    }

    /// The age at which state `s` was last left after `age`, if it was.
    package func exitAge(of s: Int, after age: Double) -> Double? {
        stateChanges.first { $0.state == s && !$0.entered && $0.age >= age }?.age
    }
}
