import Randomness
import Simulation
import Statistics
import ZebraSupport

/// How synthetic records are turned into observation windows.
package enum WindowPolicy: String, Sendable, CaseIterable {
    /// Sample windows when the synthetic records are clearly longer than the real ones.
    case automatic
    /// Always sample windows from the synthetic records.
    case sample
    /// Use the synthetic records as they are.
    case asRecorded = "as-is"
}

/// What was done to the synthetic records, for the report.
package struct WindowingSummary: Sendable {
    /// Whether windows were sampled (false: records used as they are).
    package var sampled: Bool
    package var policy: WindowPolicy
    /// Of the real records (nil when there are none).
    package var realMedianSpanYears: Double?
    package var realMedianVisits: Double?
    /// Of the synthetic records before windowing (nil when there are none).
    package var syntheticMedianSpanYears: Double?
    package var syntheticMedianVisits: Double?
    /// Windows taken at the end of a record because no record reached the drawn start.
    package var fallbacks: Int
    /// Synthetic records that gave more than one window.
    package var reused: Int
    /// Synthetic records without visits (dropped).
    package var dropped: Int
}

/// Cuts long synthetic records into windows as a registry would have recorded them: enrolment
/// at a point of the course like the real records', then follow-up for a time like theirs,
/// ended by death when the patient dies first.
///
/// Windows are drawn start first, as many as there are synthetic records. For each, a real window
/// (the donor) is drawn at random, and its start is measured as years since diagnosis (when the
/// donor knows it; else as age). A synthetic record reaches that start when it has a visit from
/// half a year before to 2 years after it; one such record is drawn at random, preferring records
/// not used yet, and the window starts at that visit. (Drawing the record first and then a start
/// it reaches would bias the starts towards what short records reach: a registry enrols
/// survivors, so its patients are far into their disease more often than a cohort's records
/// last.) A donor no record reaches is redrawn, up to 25 times; then the next unused record is
/// windowed at its end (a fallback, counted). Follow-up lasts a time drawn from the real
/// records' follow-up distribution: the Kaplan–Meier estimate of the years from first to last
/// visit, with windows ended by death counted as censored (death competes with the end of
/// follow-up, so the spans of survivors alone would be too short); mass the estimate leaves
/// beyond the longest real follow-up means "to the end of the record". The window holds the
/// visits in that time; a death belongs to it when it falls within the follow-up plus half the
/// real median gap between visits (a registry learns of a death before the next visit).
/// Deterministic for a seed.
package struct WindowSampler: Sendable {
    struct Donor: Sendable {
        var startDuration: Double?
        var startAge: Double
    }

    let donors: [Donor]
    /// Follow-up years and the cumulative probability of follow-up ending by then.
    let followUpTimes: [Double]
    let followUpCDF: [Double]
    /// Years past the follow-up within which a death still belongs to the window.
    let deathGrace: Double
    package let seed: UInt64

    /// Years a visit may fall before the donor's start and still open the window.
    static let earlyTolerance = 0.5
    /// Years a visit may fall after the donor's start and still open the window.
    static let lateTolerance = 2.0
    /// Years a visit may fall past the follow-up and still close the window (visit jitter).
    static let spanTolerance = 0.1
    static let attempts = 25

    /// A sampler drawing windows like `real` (which must not be empty).
    package init(real: [PatientWindow], seed: UInt64) {
        donors = real.map { Donor(startDuration: $0.durationAtStart, startAge: $0.startAge) }
        self.seed = seed
        var times: [Double] = [], cdf: [Double] = []
        if let curve = try? KaplanMeier.estimate(times: real.map(\.spanYears),
                                                 events: real.map { $0.deathAge == nil }) {
            for (t, s) in zip(curve.times, curve.survival) {
                times.append(t)
                cdf.append(1 - s)
            }
        }
        followUpTimes = times
        followUpCDF = cdf
        // Without a single gap (every real record has one visit) there is no grace period.
        deathGrace = (median(real.flatMap(\.gaps)) ?? 0) / 2
    }

    /// Whether synthetic records are long enough, relative to the real windows, to need cutting:
    /// their median span exceeds 1.5 × the real median + 1 year, or their median visit count
    /// 1.5 × the real median + 1. False when either side has no records (nothing to cut, or
    /// nothing to cut to).
    package static func needsWindows(realSpans: [Double], realVisits: [Double],
                                    syntheticSpans: [Double], syntheticVisits: [Double]) -> Bool {
        guard let rs = median(realSpans), let ss = median(syntheticSpans),
              let rv = median(realVisits), let sv = median(syntheticVisits) else { return false }
        return ss > 1.5 * rs + 1 || sv > 1.5 * rv + 1
    }

    /// A follow-up time in years (infinity: to the end of the record).
    func followUp(_ rng: inout RandomStream) -> Double {
        let u = rng.nextUnit()
        guard let k = followUpCDF.firstIndex(where: { $0 >= u }) else { return .infinity }
        return followUpTimes[k]
    }

    /// The start age a donor asks of a synthetic record whose diagnosis (or onset) age is `anchor`.
    func target(_ donor: Donor, anchor: Double?) -> Double {
        if let d = donor.startDuration, let anchor { return anchor + d }
        return donor.startAge
    }

    /// The index of the visit that opens a window starting at `target`, if any.
    static func opening(_ ages: [Double], target: Double) -> Int? {
        var lo = 0, hi = ages.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ages[mid] < target - earlyTolerance { lo = mid + 1 } else { hi = mid }
        }
        return lo < ages.count && ages[lo] <= target + lateTolerance ? lo : nil
    }

    /// One window per synthetic record (records without visits are dropped), with the number
    /// of fallbacks and of records used for more than one window.
    package func windows(of sequences: [PatientSequence]) -> (windows: [PatientWindow], fallbacks: Int, reused: Int) {
        let records = sequences.filter { !$0.visits.isEmpty }
        guard !records.isEmpty, !donors.isEmpty else { return ([], 0, 0) }
        let ages = records.map { $0.visits.map(\.age) }
        let anchors = records.map { $0.diagnosisAge ?? $0.onsetAge }
        var rng = RandomStream(seed: seed, stream: 0x5749_4E44_4F57)
        var uses = [Int](repeating: 0, count: records.count)
        var out: [PatientWindow] = []
        var fallbacks = 0
        for _ in records.indices {
            let years = followUp(&rng)
            var chosen: (record: Int, first: Int)?
            for _ in 0..<Self.attempts where chosen == nil {
                let donor = donors[rng.nextInt(below: donors.count)]
                var fresh: [(Int, Int)] = [], used: [(Int, Int)] = []
                for r in records.indices {
                    guard let first = Self.opening(ages[r], target: target(donor, anchor: anchors[r])) else { continue }
                    if uses[r] == 0 { fresh.append((r, first)) } else { used.append((r, first)) }
                }
                let pool = fresh.isEmpty ? used : fresh
                if !pool.isEmpty { chosen = pool[rng.nextInt(below: pool.count)] }
            }
            let window: PatientWindow?
            if let (r, first) = chosen {
                let end = ages[r][first] + years + Self.spanTolerance
                let last = ages[r].lastIndex(where: { $0 <= end }) ?? first
                window = PatientWindow(sequence: records[r], visits: first..<(last + 1), deathUntil: end + deathGrace)
                uses[r] += 1
            } else {
                let r = uses.firstIndex(of: 0) ?? rng.nextInt(below: records.count)
                let a = ages[r], last = a.count - 1
                let first = a.firstIndex(where: { $0 >= a[last] - years - Self.spanTolerance }) ?? last
                window = PatientWindow(sequence: records[r], visits: first..<(last + 1), deathUntil: .infinity)
                uses[r] += 1
                fallbacks += 1
            }
            if let window { out.append(window) }
        }
        return (out, fallbacks, uses.filter { $0 > 1 }.count)
    }
}
