import CommandLineParsing
import FHIRExport
import Foundation
import Parallelism
import Serialization
import Simulation
import Timelines
import TrialDesign

struct ControlArmCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "control-arm",
        abstract: "Build a synthetic natural-history control arm for a treated arm and compare them.",
        discussion: """
        Simulates an eligible natural-history pool by conditioned sampling (index date = the eligibility
        date the trial's rule picks), fits a propensity score on the baseline covariates, and forms the
        control arm by nearest-neighbour matching (caliper 0.2 SD of the logit) or by ATT weights.
        With --controls PATH the pool is real registry records instead (each entering at its first
        recorded visit at which every criterion holds), or both with --pool N as well.
        Writes the control patients as FHIR ndjson with a ResearchStudy and a ResearchSubject per
        patient (or, with --format omop, as OMOP CDM tables with the arms in cohort.csv), balance.csv,
        results.json, weights.csv and SVG plots.
        """,
        options: [
            TrialOptions.trial, treated, simulateTreated, controls, out, format, method, ratio, pool, trim, Shared.seed,
            TrialOptions.effect,
            TrialOptions.multiplier, Shared.threads, Shared.overwrite, Shared.templates, TrialOptions.models,
        ])

    static let treated = Option<String?>("treated", "path",
                                         help: "Treated arm: FHIR ndjson folder or file, Bundle, or long CSV.")
    static let simulateTreated = Option<Int?>(
        "simulate-treated", "n", in: 2...1_000_000,
        help: "Simulate n treated patients from the trial's natural history instead (with --effect).")
    static let controls = Option<String?>(
        "controls", "path",
        help: "Real external controls (registry records: FHIR or long CSV) as the pool; with --pool, mixed with "
            + "that many simulated natural-history patients.")
    static let trim = Option<Double?>(
        "trim", "alpha", in: 0.001...0.2,
        help: "Leave out treated patients and candidates whose propensity score lies outside [alpha, 1 − alpha] "
            + "(Crump trimming), then refit; the estimand becomes that overlap population's.")
    static let out = Option<String?>("out", "dir", help: "Output folder (default: Output/control-arm-<trial id>).")
    static let format = Option<ArmRecordFormat>(
        "format", default: .ndjson,
        help: "The arms' records: FHIR Bulk ndjson with ResearchStudy and ResearchSubject, or OMOP CDM v5.4 tables "
            + "with the arms in cohort.csv.")
    static let method = Option<ControlMethod>("method", default: .match,
                                              help: "match (nearest neighbour), weight (ATT) or overlap (ATO weights).")
    static let ratio = Option<Int>("ratio", "k", default: 3, in: 1...20, help: "Controls matched per treated patient.")
    static let pool = Option<Int?>(
        "pool", "n", in: 10...10_000_000,
        help: "Eligible natural-history patients to simulate (default: max(2000, 10 × ratio × treated)).")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let plan = try loadTrialPlan(arguments, console: console)
        let spec = plan.specification
        let method = arguments[Self.method]
        let ratio = arguments[Self.ratio]
        let seed = Shared.seed(arguments)
        let threads = Shared.threads(arguments)
        let simulateCount = arguments[Self.simulateTreated]
        let treatedPath = arguments[Self.treated]
        guard (simulateCount == nil) != (treatedPath == nil) else {
            throw UsageError("give either --treated PATH or --simulate-treated N", usage: arguments.usage)
        }
        let out = arguments[Self.out] ?? "Output/control-arm-\(spec.id)"
        let directory: StagedDirectory
        do { directory = try StagedDirectory(path: out, replaceExisting: arguments[Shared.overwrite]) } catch {
            throw CommandError(error.message)
        }
        do {
            let code = try build(plan: plan, arguments: arguments, method: method, ratio: ratio, seed: seed,
                                 threads: threads, simulateCount: simulateCount, treatedPath: treatedPath,
                                 directory: directory, console: console)
            try directory.commit(description: "generator: zebra control-arm\n")
            console.error("control-arm: wrote \(directory.finalPath)")
            return code
        } catch {
            directory.discard()
            if let e = error as? TrialDesignError { throw CommandError(e.message) }
            if let e = error as? OutputError { throw CommandError(e.message) }
            throw error
        }
    }

    private static func build(plan: TrialPlan, arguments: ParsedArguments, method: ControlMethod, ratio: Int,
                              seed: UInt64, threads: Int, simulateCount: Int?, treatedPath: String?,
                              directory: StagedDirectory, console: Console) throws -> Int32 {
        let spec = plan.specification
        var sampler = PoolSampler(plan: plan, seed: seed, threads: threads, keepRecords: true)
        sampler.keepRecords = true
        var treatedTimelines: [PatientTimeline] = []
        var treated: TreatedArm
        var trueEffect: Double?
        var source: String
        var treatedRead = 0
        var treatedFromFiles: [PatientTimeline] = []
        let expected = simulateCount ?? spec.treatedArm.size ?? 100
        let external = try arguments[Self.controls].map { try externalControls($0, plan: plan, console: console) }
        let poolSize = external == nil ? arguments[Self.pool] ?? max(2_000, 10 * ratio * expected)
            : arguments[Self.pool] ?? 0
        console.error("control-arm: \(spec.title) [\(plan.template.name) v\(plan.template.version)], "
            + "\(method.rawValue), pool \(external.map { "\($0.subjects.count) external + " } ?? "")\(poolSize) "
            + "simulated, seed \(seed)")
        // Simulated treated patients take their effect relative to a simulated natural history, so
        // one is simulated for them even when every control is external.
        let simulated = try sampler.generate(count: poolSize > 0 ? poolSize : 2_000,
                                             progress: { console.error("  pool: " + $0) })
        if poolSize > 0 { console.error("  pool: " + simulated.summary) }
        var pool = ControlPool(simulated: poolSize > 0 ? simulated : nil, external: external)
        if let n = simulateCount {
            let effect = try treatmentEffect(arguments, plan: plan, fallback: nil)
                ?? (spec.endpoint.isTimeToEvent ? .hazardRatio(1) : .difference(0))
            let (arm, truth) = try sampler.simulateTreated(count: n, effect: effect, controls: simulated)
            treatedTimelines = arm.patients.compactMap(\.record)
            treatedRead = n
            treated = TreatedArm(subjects: arm.patients.map(\.subject), excluded: [], outsideMeasureRanges: [:])
            trueEffect = truth
            source = "simulated: \(n) patients from natural history with "
                + "\(effect.summary) (true effect \(String(format: "%.3f", truth)))"
        } else {
            let (timelines, concepts) = try readTreatedRecords(treatedPath!, plan: plan, console: console)
            treated = try TreatedArm.read(timelines, concepts: concepts, plan: plan)
            treatedRead = timelines.count
            treatedFromFiles = timelines
            source = "\(treatedPath!): \(treated.subjects.count) of \(timelines.count) patients entered"
            for e in treated.excluded.prefix(5) { console.error("  left out \(e.id): \(e.reason)") }
            if treated.excluded.count > 5 {
                console.error("  … and \(treated.excluded.count - 5) more (see results.json)")
            }
            for (m, n) in treated.outsideMeasureRanges.sorted(by: { $0.key < $1.key }) {
                console.error("  note: \(n) treated patients have a recorded "
                    + "baseline \(m) outside the screening range (kept)")
            }
        }
        console.error("  treated: " + source)
        var (treatedSubjects, poolSubjects) = (treated.subjects, pool.subjects)
        var trimmedControls = 0
        if let alpha = arguments[Self.trim] {
            if spec.missingCovariates == .impute {
                throw CommandError("--trim with \"missingCovariates\": \"impute\" is not supported: the propensity "
                    + "score to trim on differs between imputations; trim the eligibility instead")
            }
            let t = try Overlap.trimmed(plan: plan, treated: treatedSubjects, pool: poolSubjects, alpha: alpha)
            (treatedSubjects, poolSubjects) = (t.treated, t.pool)
            trimmedControls = t.droppedControls
            console.error("  trimming at \(alpha): \(t.droppedTreated) treated and \(t.droppedControls) candidates "
                + "outside [\(alpha), \(1 - alpha)] left out")
            let kept = Set(t.pool.map(\.id)), keptTreated = Set(t.treated.map(\.id))
            pool = pool.keeping(kept)
            treated = TreatedArm(subjects: t.treated, excluded: treated.excluded + treated.subjects
                .filter { !keptTreated.contains($0.id) }
                .map { .init(id: $0.id, reason: "propensity score outside [\(alpha), \(1 - alpha)] (trimmed)") },
                                 outsideMeasureRanges: treated.outsideMeasureRanges)
            if !treatedTimelines.isEmpty { treatedTimelines = treatedTimelines.filter { keptTreated.contains($0.id) } }
        }
        let result = try ControlArm.analyse(plan: plan, treated: treatedSubjects, pool: poolSubjects,
                                            method: method, ratio: ratio, seed: seed)
        if arguments[Self.format] == .omop {
            try writeOMOP(plan: plan, pool: pool, result: result, treatedTimelines: treatedTimelines, treated: treated,
                          directory: directory, threads: threads)
        } else {
            try writeFHIR(plan: plan, pool: pool, result: result, treatedTimelines: treatedTimelines,
                          treated: treated, directory: directory, threads: threads)
        }
        let endpoint = result.endpointSVG(plan: plan)
        try writeReports(plan: plan, pool: pool, result: result, treated: treated, source: source,
                         trueEffect: trueEffect, seed: seed, endpointSVG: endpoint, directory: directory)
        let steps = disposition(plan: plan, pool: pool, result: result, treated: treated, treatedRead: treatedRead,
                                trimmedControls: trimmedControls)
        try writeAnalysisFiles(plan: plan, pool: pool, result: result, treated: treated, steps: steps,
                               directory: directory)
        let events = intercurrentEvents(plan: plan, pool: pool, result: result, treated: treated,
                                        treatedRecords: treatedTimelines + treatedFromFiles)
        let html = result.html(plan: plan, source: source, seed: seed, disposition: steps, intercurrent: events,
                               endpointSVG: endpoint, trueEffect: trueEffect)
        try writeFileAtomically(Array(html.utf8), to: directory.path(of: "report.html"))
        console.print(summary(plan: plan, result: result, trueEffect: trueEffect))
        return 0
    }

    private static func writeFHIR(plan: TrialPlan, pool: ControlPool, result: ControlArmResult,
                                  treatedTimelines: [PatientTimeline], treated: TreatedArm, directory: StagedDirectory,
                                  threads: Int) throws {
        let spec = plan.specification
        let members = pool.subjects.indices.filter { result.controlWeights[$0] > 0 }
        // Real external controls are the user's records, referenced by id, not rewritten as test data.
        let records = members.filter { !pool.isExternal($0) }.map { pool.records[$0] } + treatedTimelines
        let serializer = FHIRSerializer(concepts: plan.concepts.table, source: "urn:zebra:trial:\(spec.id):control-arm")
        _ = try CohortExport(format: .ndjson, serializer: serializer, threads: threads)
            .write(count: records.count, into: directory, generate: { records[$0] })
        let study = ResearchStudyDescription(
            identifier: spec.id, title: spec.title,
            description: spec.description + " Synthetic control arm built by zebra control-arm.",
            arms: [.init(name: spec.treatedArm.id, description: spec.treatedArm.name),
                   .init(name: spec.controlArm.id, description: spec.controlArm.name)],
            condition: plan.concepts.condition)
        try writeFileAtomically(serializer.researchStudy(study) + [0x0A],
                                to: directory.path(of: "ResearchStudy.ndjson"))
        var subjects: [UInt8] = []
        for i in members {
            let s = pool.subjects[i]
            let end = studyEnd(plan, start: s.indexDay, record: pool.records[i])
            subjects += serializer.researchSubject(study: study, patientID: s.id, arm: spec.controlArm.id,
                                                   status: "off-study", start: s.indexDay, end: end) + [0x0A]
        }
        for (t, s) in zip(treatedTimelines, treated.subjects) {
            let end = studyEnd(plan, start: s.indexDay, record: t)
            subjects += serializer.researchSubject(study: study, patientID: t.id, arm: spec.treatedArm.id,
                                                   status: "off-study", start: s.indexDay, end: end) + [0x0A]
        }
        try writeFileAtomically(subjects, to: directory.path(of: "ResearchSubject.ndjson"))
        // The records end on the last day any of them covers: that is the export's transaction time.
        let ends = records.map(\.followUpEnd) + members.map { pool.records[$0].followUpEnd }
        let latest = ends.max().map { $0.iso + "T00:00:00Z" } ?? "1970-01-01T00:00:00Z"
        try BulkManifest.write(into: directory.stagingPath, transactionTime: latest,
                               request: "urn:zebra:control-arm?trial=\(spec.id)")
    }

    /// A subject's time on study ends at the last scheduled visit, or earlier at death or the end of the record.
    static func studyEnd(_ plan: TrialPlan, start: CalendarDay, record: PatientTimeline) -> CalendarDay {
        let last = start.adding(days: Int((plan.specification.visitMonths.last! * CalendarDay.daysPerYear / 12)
            .rounded()))
        return min(last, record.death ?? record.followUpEnd, record.followUpEnd)
    }

    private static func writeReports(plan: TrialPlan, pool: ControlPool, result: ControlArmResult,
                                     treated: TreatedArm, source: String, trueEffect: Double?, seed: UInt64,
                                     endpointSVG: String, directory: StagedDirectory) throws {
        let spec = plan.specification
        try writeFileAtomically(Array(result.balanceCSV().utf8), to: directory.path(of: "balance.csv"))
        let json = result.json(plan: plan, pool: pool.json, treatedCount: treated.subjects.count,
                               treatedExcluded: treated.excluded, treatedSource: source, trueEffect: trueEffect,
                               seed: seed, outsideMeasureRanges: treated.outsideMeasureRanges)
        try writeFileAtomically(Array(json.text().utf8), to: directory.path(of: "results.json"))
        try writeFileAtomically(Array(result.lovePlotSVG(title: "Covariate balance: \(spec.id)").utf8),
                                to: directory.path(of: "love-plot.svg"))
        try writeFileAtomically(Array(result.overlapSVG(title: "Propensity-score overlap: \(spec.id)",
                                                        treatedName: spec.treatedArm.name,
                                                        controlName: spec.controlArm.name).utf8),
                                to: directory.path(of: "propensity-overlap.svg"))
        let endpointFile = spec.endpoint.isTimeToEvent ? "kaplan-meier.svg" : "trajectories.svg"
        try writeFileAtomically(Array(endpointSVG.utf8), to: directory.path(of: endpointFile))
        var weights = ["patient_id,arm,index_date,propensity_score,weight"]
        for (i, s) in treated.subjects.enumerated() {
            weights.append("\(s.id),\(spec.treatedArm.id),\(s.indexDay.iso),"
                + "\(String(format: "%.6f", result.propensity.treatedScores[i])),"
                + "\(String(format: "%.6f", result.treatedWeights[i]))")
        }
        let scores = result.propensity.controlScores
        for (i, p) in pool.subjects.enumerated() where result.controlWeights[i] > 0 {
            weights.append("\(p.id),\(spec.controlArm.id),\(p.indexDay.iso),"
                + "\(String(format: "%.6f", scores[i])),\(String(format: "%.6f", result.controlWeights[i]))")
        }
        try writeFileAtomically(Array((weights.joined(separator: "\n") + "\n").utf8),
                                to: directory.path(of: "weights.csv"))
    }

    /// The analysis dataset, the disposition of both arms and the Kaplan–Meier tables, so that every
    /// figure of the report can be re-derived (docs/trial-analysis-conventions.md).
    private static func writeAnalysisFiles(plan: TrialPlan, pool: ControlPool, result: ControlArmResult,
                                           treated: TreatedArm, steps: [(arm: String, step: String, patients: Int)],
                                           directory: StagedDirectory) throws {
        let origins = pool.subjects.indices.map { pool.isExternal($0) ? SubjectOrigin.externalControl
            : .simulatedControl }
        var excluded = treated.excluded.map { (id: $0.id, origin: SubjectOrigin.treated, reason: $0.reason) }
        excluded += (pool.external?.arm.excluded ?? []).map { ($0.id, SubjectOrigin.externalControl, $0.reason) }
        let dataset = result.analysisDataset(plan: plan, treated: treated.subjects, pool: pool.subjects,
                                             poolOrigins: origins, excluded: excluded)
        try writeFileAtomically(Array(dataset.utf8), to: directory.path(of: "analysis-dataset.csv"))
        try writeFileAtomically(Array(result.dispositionCSV(steps).utf8), to: directory.path(of: "disposition.csv"))
        if !result.survival.isEmpty {
            try writeFileAtomically(Array(result.kaplanMeierCSV().utf8), to: directory.path(of: "kaplan-meier.csv"))
        }
        if let csv = result.imputationsCSV() {
            try writeFileAtomically(Array(csv.utf8), to: directory.path(of: "imputations.csv"))
        }
    }

    /// Both arms step by step, from the records read to the patients analysed.
    private static func disposition(plan: TrialPlan, pool: ControlPool, result: ControlArmResult, treated: TreatedArm,
                                    treatedRead: Int, trimmedControls: Int)
        -> [(arm: String, step: String, patients: Int)] {
        let spec = plan.specification
        let t = spec.treatedArm.id, c = spec.controlArm.id
        var steps: [(arm: String, step: String, patients: Int)] = [(t, "records read or simulated", treatedRead)]
        steps += ControlPool.countByReason(treated.excluded).map { (t, "excluded: \($0.reason)", $0.count) }
        steps.append((t, "entered (eligible at the index date)", treated.subjects.count))
        steps.append((t, "in the analysis (matched or weighted)", result.treatedWeights.filter { $0 > 0 }.count))
        steps.append((t, "analysed (endpoint available)", result.estimate.treatedCount))
        if let e = pool.external {
            steps.append((c, "external records read", e.read))
            steps += ControlPool.countByReason(e.arm.excluded).map { (c, "external excluded: \($0.reason)", $0.count) }
            steps.append((c, "external eligible", e.subjects.count))
        }
        if let s = pool.simulated {
            steps.append((c, "simulated natural-history lives", s.simulated))
            steps.append((c, "simulated eligible", s.eligible))
            steps.append((c, "simulated dropped for a missing covariate", s.droppedForMissingCovariates))
        }
        if trimmedControls > 0 { steps.append((c, "trimmed (propensity score outside the overlap)", trimmedControls)) }
        steps.append((c, "pool candidates", pool.subjects.count))
        steps.append((c, "in the control arm (matched or weighted)", result.controlWeights.filter { $0 > 0 }.count))
        steps.append((c, "analysed (endpoint available)", result.estimate.controlCount))
        return steps
    }

    /// The intercurrent events of the estimand (or the defaults: death, and a control starting a
    /// treatment), the strategy the analysis takes for each, and how many patients in each arm
    /// had one during follow-up.
    private static func intercurrentEvents(plan: TrialPlan, pool: ControlPool, result: ControlArmResult,
                                           treated: TreatedArm, treatedRecords: [PatientTimeline])
        -> [IntercurrentEventCount] {
        let spec = plan.specification
        let extractor = SubjectExtractor(plan: plan)
        let tte = spec.endpoint.isTimeToEvent
        var named = spec.intercurrentEvents
        if !named.contains(where: { $0.event == "death" }) && !plan.endpointIsDeath {
            named.append(IntercurrentEvent(event: "death", strategy: tte ? .hypothetical : .whileAlive))
        }
        if !named.contains(where: { $0.event == "treatment" }) {
            named.append(IntercurrentEvent(event: "treatment", strategy: .treatmentPolicy))
        }
        let byID = Dictionary(treatedRecords.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func count(_ name: String, _ subjects: [TrialSubject], _ weights: [Double], _ record: (Int) -> PatientTimeline?)
            -> Int {
            subjects.indices.filter { i in
                guard weights[i] > 0, let r = record(i) else { return false }
                let index = subjects[i].indexDay.daysSinceEpoch
                guard let day = extractor.intercurrentDay(name, in: r, after: index) else { return false }
                return Double(day - index) / CalendarDay.daysPerYear <= plan.horizonYears
            }.count
        }
        return named.map { ie in
            let what: String = switch ie.event {
            case "death": "death"
            case "treatment": "a disease treatment started after the index date"
            default: plan.template.events.first { $0.id == ie.event }?.concept.text ?? ie.event
            }
            let how: String = switch ie.strategy {
            case .treatmentPolicy: "treatment policy: ignored, what follows counts as observed"
            case .hypothetical: tte ? "hypothetical: follow-up censored at the event"
                : "hypothetical: values from the event on missing, the MMRM's missing-at-random estimate"
            case .composite: "composite: the event counts as an endpoint event"
            case .whileOnTreatment, .whileAlive: tte ? "while on treatment / alive: censored at the event"
                : "while on treatment / alive: values from the event on dropped (complete case in the ANCOVA)"
            }
            return IntercurrentEventCount(
                event: what, strategy: how + (spec.intercurrentEvents.contains { $0.event == ie.event } ? ""
                    : " (default)"),
                treated: count(ie.event, treated.subjects, result.treatedWeights) { byID[treated.subjects[$0].id] },
                controls: count(ie.event, pool.subjects, result.controlWeights) { pool.records[$0] })
        }
    }

    static func summary(plan: TrialPlan, result: ControlArmResult, trueEffect: Double?) -> String {
        let e = result.estimate
        let spec = plan.specification
        var lines = ["Synthetic control arm: \(spec.title)",
                     "endpoint: \(spec.endpoint.summary)",
                     "control arm: \(result.controlWeights.filter { $0 > 0 }.count) patients"
                        + String(format: " (effective size %.1f)", result.effectiveControls)
                        + (result.matched.map { "; \($0.unmatchedTreated) treated without a match within the caliper" }
                            ?? ""),
                     "", result.balanceTable(), ""]
        let f = { (x: Double) in String(format: "%.3f", x) }
        if spec.endpoint.isTimeToEvent {
            lines.append("hazard ratio \(f(exp(e.estimate))) (95 % CI \(f(exp(e.lower))) "
                + "to \(f(exp(e.upper)))), p = \(f(e.pValue)); \(e.method)")
            if let lr = result.logRank { lines.append("log-rank χ² \(f(lr.chiSquare)), p = \(f(lr.pValue))") }
            if let s = result.scoreTest {
                lines.append("robust score test (weighted Cox) χ² \(f(s.chiSquare)), p = \(f(s.pValue))")
            }
        } else {
            lines.append("difference (treated − control) \(f(e.estimate)) (95 % CI "
                + "\(f(e.lower)) to \(f(e.upper))), p = \(f(e.pValue)); \(e.method)")
        }
        lines.append("analysed: \(e.treatedCount) treated, \(e.controlCount) controls")
        if let i = result.imputation {
            let what = i.missing.map { "\($0.covariate) \($0.treated)+\($0.controls)" }.joined(separator: ", ")
            lines.append("multiple imputation: \(i.imputations) data sets (missing treated+controls: \(what)); "
                + "fraction of missing information \(f(i.pooled.fractionMissingInformation)), "
                + "df \(String(format: "%.1f", i.pooled.degreesOfFreedom))")
        }
        if let m = result.repeatedMeasures {
            lines.append("MMRM at the endpoint visit \(f(m.estimate.estimate)) (95 % CI \(f(m.estimate.lower)) to "
                + "\(f(m.estimate.upper))), Satterthwaite df \(String(format: "%.1f", m.degreesOfFreedom))")
        }
        if let s = result.sensitivity {
            var text = "E-value \(f(s.eValue)) (CI limit \(f(s.eValueConfidenceLimit)))"
            if let t = s.tippingPoint {
                text += spec.endpoint.isTimeToEvent ? "; tipping point: controls' hazard overstated × \(f(t))"
                    : "; tipping point: controls' mean outcome off by \(f(t)) (\(f(s.tippingPointSD ?? .nan)) SD)"
            }
            lines.append(text)
        }
        if let t = trueEffect, t.isFinite {
            let what = spec.endpoint.isTimeToEvent ? "true log hazard ratio (HR \(f(exp(t))))" : "true effect"
            lines.append("\(what), known for the simulated treated arm: \(f(t)); the CI "
                + "\(e.covers(t) ? "contains" : "does not contain") it")
        }
        return lines.joined(separator: "\n")
    }
}
