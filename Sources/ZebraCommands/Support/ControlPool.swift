import Serialization
import Timelines
import TrialDesign

/// The patients a control arm is chosen from: real external controls read from records, a
/// simulated natural-history pool, or both (external first).
struct ControlPool {
    /// Real controls read from records, with the patients left out and why.
    struct External {
        var path: String
        var records: [PatientTimeline]
        var arm: TreatedArm
        var read: Int

        var subjects: [TrialSubject] { arm.subjects }
    }

    var simulated: NaturalHistoryPool?
    var external: External?
    /// Every candidate, external first, and the record of each in the same order.
    let subjects: [TrialSubject]
    let records: [PatientTimeline]

    init(simulated: NaturalHistoryPool?, external: External?) {
        self.simulated = simulated
        self.external = external
        var subjects: [TrialSubject] = [], records: [PatientTimeline] = []
        if let external {
            let byID = Dictionary(external.records.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for s in external.subjects { subjects.append(s); records.append(byID[s.id]!) }
        }
        for p in simulated?.patients ?? [] { subjects.append(p.subject); records.append(p.record!) }
        self.subjects = subjects
        self.records = records
    }

    /// The pool with only the candidates whose ids are in `kept` (after trimming).
    func keeping(_ kept: Set<String>) -> ControlPool {
        var simulated = self.simulated, external = self.external
        simulated?.patients.removeAll { !kept.contains($0.subject.id) }
        external?.arm.subjects.removeAll { !kept.contains($0.id) }
        return ControlPool(simulated: simulated, external: external)
    }

    /// Whether candidate `i` is a real external control (they come first).
    func isExternal(_ i: Int) -> Bool { i < (external?.subjects.count ?? 0) }

    /// The pool as `results.json` reports it.
    var json: ReportJSON {
        var parts: [(String, ReportJSON)] = [("patients", .integer(subjects.count))]
        if let e = external {
            parts.append(("external", .object([
                ("source", .string(e.path)), ("recordsRead", .integer(e.read)),
                ("patients", .integer(e.subjects.count)),
                ("excluded", .integer(e.arm.excluded.count)),
                ("excludedByReason", .object(Self.countByReason(e.arm.excluded).map { ($0.reason, .integer($0.count)) })),
                ("excludedPatients", .array(e.arm.excluded.map {
                    .object([("id", .string($0.id)), ("reason", .string($0.reason))])
                })),
            ])))
        }
        if let s = simulated { parts.append(("simulated", s.json)) }
        return .object(parts)
    }

    /// How many exclusions of each kind of reason, sorted by reason.
    static func countByReason(_ excluded: [TreatedArm.Exclusion]) -> [(reason: String, count: Int)] {
        var counts: [String: Int] = [:]
        for e in excluded { counts[reasonKind(e.reason), default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// An exclusion reason without its patient-specific numbers ("age 41.2 outside 16–40" → "age").
    static func reasonKind(_ reason: String) -> String {
        if reason.hasPrefix("no recorded visit") { return reason }
        if reason.hasPrefix("missing baseline covariate") { return "missing baseline covariate" }
        return String(reason.prefix { $0 != " " && $0 != ":" })
    }
}

/// Reads real external controls and reports what was left out.
func externalControls(_ path: String, plan: TrialPlan, console: Console) throws -> ControlPool.External {
    let (timelines, concepts) = try readTreatedRecords(path, plan: plan, console: console, role: "external controls")
    let condition = concepts.condition
    let carriers = timelines.filter { t in t.events.contains { $0.kind == .condition && $0.concept == condition } }
    guard !carriers.isEmpty else {
        throw CommandError("\(path): none of the \(timelines.count) patients has a \(plan.template.condition.text) "
            + "Condition, so they cannot be controls for this trial (records of another disease? "
            + "'zebra inspect-records --records \(path)' names it)")
    }
    let arm: TreatedArm
    do { arm = try TreatedArm.readControls(timelines, concepts: concepts, plan: plan) } catch {
        throw CommandError("\(path): \(error.message)")
    }
    console.error("  external controls: \(arm.subjects.count) of \(timelines.count) patients of \(path) eligible"
        + (arm.excluded.isEmpty ? "" : " (\(arm.excluded.count) left out, reasons in results.json)"))
    return ControlPool.External(path: path, records: timelines, arm: arm, read: timelines.count)
}
