import Learning
import Randomness
import Statistics

/// How synthetic records are turned into observation windows.
public enum WindowPolicy: String, Sendable, CaseIterable {
    /// Sample windows when the synthetic records are clearly longer than the real ones.
    case automatic
    /// Always sample windows from the synthetic records.
    case sample
    /// Use the synthetic records as they are.
    case asRecorded = "as-is"
}

/// What was done to the synthetic records, for the report.
public struct WindowingSummary: Sendable {
    /// Whether windows were sampled (false: records used as they are).
    public var sampled: Bool
    public var policy: WindowPolicy
    public var realMedianSpanYears: Double
    public var realMedianVisits: Double
    /// Of the synthetic records before windowing.
    public var syntheticMedianSpanYears: Double
    public var syntheticMedianVisits: Double
    /// Synthetic records for which no real window's start fitted, windowed at their end instead.
    public var fallbacks: Int
    /// Synthetic records without visits (dropped).
    public var dropped: Int
}

/// Cuts long synthetic records into windows as a registry would have recorded them: enrolment
/// at a point of the course like the real records', then follow-up for a time like theirs,
/// ended by death when the patient dies first.
///
/// For each synthetic record, a real window (the donor) is drawn at random. The synthetic window
/// starts at the first visit at or after the donor's start, measured as years since diagnosis
/// when both records know the diagnosis age (else as age); a donor whose start the synthetic
/// record does not reach (it ends earlier, or has no visit within 2 years of that point) is
/// redrawn, up to 25 times, after which the window is taken at the end of the record (a
/// fallback, counted). Follow-up lasts a time drawn from the real records' follow-up
/// distribution: the Kaplan–Meier estimate of the years from first to last visit, with windows
/// ended by death counted as censored (death competes with the end of follow-up, so the real
/// spans of survivors alone would be too short); mass the estimate leaves beyond the longest
/// real follow-up means "to the end of the record". The window holds the visits in that time;
/// a death belongs to it when it falls within the follow-up plus half the real median gap
/// between visits (a registry learns of a death that happens before the next visit). Each
/// record has its own random stream, so the result does not depend on the thread count.
public struct WindowSampler: Sendable {
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
    public let seed: UInt64

    /// Years a visit may fall before the donor's start and still open the window.
    static let earlyTolerance = 0.5
    /// Years a visit may fall after the donor's start and still open the window.
    static let lateTolerance = 2.0
    /// Years a visit may fall past the follow-up and still close the window (visit jitter).
    static let spanTolerance = 0.1
    static let attempts = 25

    /// A sampler drawing windows like `real` (which must not be empty).
    public init(real: [PatientWindow], seed: UInt64) {
        donors = real.map { Donor(startDuration: $0.durationAtStart, startAge: $0.startAge) }
        self.seed = seed
        var times: [Double] = [], cdf: [Double] = []
        if let curve = try? KaplanMeier.estimate(times: real.map(\.spanYears), events: real.map { $0.deathAge == nil }) {
            for (t, s) in zip(curve.times, curve.survival) {
                times.append(t)
                cdf.append(1 - s)
            }
        }
        followUpTimes = times
        followUpCDF = cdf
        deathGrace = Self.median(real.flatMap(\.gaps)) / 2
    }

    /// Whether synthetic records are long enough, relative to the real windows, to need cutting:
    /// their median span exceeds 1.5 × the real median + 1 year, or their median visit count
    /// 1.5 × the real median + 1.
    public static func needsWindows(realSpans: [Double], realVisits: [Double],
                                    syntheticSpans: [Double], syntheticVisits: [Double]) -> Bool {
        let rs = median(realSpans), ss = median(syntheticSpans)
        let rv = median(realVisits), sv = median(syntheticVisits)
        return ss > 1.5 * rs + 1 || sv > 1.5 * rv + 1
    }

    /// A follow-up time in years (infinity: to the end of the record).
    func followUp(_ rng: inout RandomStream) -> Double {
        let u = rng.nextUnit()
        guard let k = followUpCDF.firstIndex(where: { $0 >= u }) else { return .infinity }
        return followUpTimes[k]
    }

    /// The window of synthetic record `index`, and whether it was a fallback.
    public func window(of sequence: PatientSequence, index: Int) -> (window: PatientWindow, fallback: Bool)? {
        let ages = sequence.visits.map(\.age)
        guard !ages.isEmpty, !donors.isEmpty else { return nil }
        var rng = RandomStream(seed: seed, stream: 0x5749_4E44_0000_0000 | UInt64(index))
        let years = followUp(&rng)
        for _ in 0..<Self.attempts {
            let donor = donors[rng.nextInt(below: donors.count)]
            let target: Double
            if let d = donor.startDuration, let anchor = sequence.diagnosisAge ?? sequence.onsetAge {
                target = anchor + d
            } else {
                target = donor.startAge
            }
            guard let first = ages.firstIndex(where: { $0 >= target - Self.earlyTolerance }),
                  ages[first] <= target + Self.lateTolerance else { continue }
            let end = ages[first] + years + Self.spanTolerance
            let last = ages.lastIndex(where: { $0 <= end }) ?? first
            return PatientWindow(sequence: sequence, visits: first..<(last + 1), deathUntil: end + deathGrace).map { ($0, false) }
        }
        let last = ages.count - 1
        let first = ages.firstIndex(where: { $0 >= ages[last] - years - Self.spanTolerance }) ?? last
        return PatientWindow(sequence: sequence, visits: first..<(last + 1), deathUntil: .infinity).map { ($0, true) }
    }

    static func median(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return 0 }
        let s = x.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
