import CommandLineParsing
import DiseaseModeling
import Foundation
import Learning
import RecordImport
import Simulation
import Timelines
import TrialDesign

/// Options shared by `control-arm` and `trial-sim`.
enum TrialOptions {
    static let trial = Option<String>.required("trial", "file",
                                               help: "Trial specification (JSON; see docs/trial-specification.md).")
    static let effect = Option<Double?>(
        "effect", "x", in: -1e6...1e6,
        help: "Treatment effect: a difference in the endpoint (change or slope per year), or a hazard ratio for "
            + "time-to-event endpoints.")
    static let multiplier = Option<Double?>(
        "progression-multiplier", "m", in: 0...10,
        help: "Treatment effect as a multiplier of progression since "
            + "the index date (0.5 halves it); instead of --effect.")
    static let model = Option<String?>(
        "model", "file",
        help: "A trained model ('zebra train'): measures at trial visits come from it "
            + "(default: DiseaseModels/<disease>.model when it exists).")
    static let templateOnly = Flag("template-only",
                                   help: "Ignore any trained model: the template's trajectories and noise alone.")
    /// `--model` / `--template-only` for the trial commands.
    static let models = OptionGroup([model, templateOnly])
}

/// Loads the trial file and its template, resolves one against the other, and attaches the
/// trained model (`--model`, else the shipped one) unless `--template-only`.
func loadTrialPlan(_ arguments: ParsedArguments, console: Console) throws -> TrialPlan {
    var plan = try loadTrialPlanIgnoringModel(arguments)
    if let loaded = try loadModel(arguments, template: plan.template, console: console) {
        if let sequenceModel = loaded.sequenceModel {
            plan.observationModel = ModelGenerator(template: plan.template, model: sequenceModel)
        } else {
            // The same structure with learned numbers: the trial resolves to the same indices.
            do { plan = try TrialPlan(specification: plan.specification, template: loaded.template(base: plan.template)) }
            catch { throw CommandError(error.description) }
        }
        plan.generatorDescription = loaded.generation
    }
    return plan
}

/// Loads the trial file and its template, and resolves one against the other.
private func loadTrialPlanIgnoringModel(_ arguments: ParsedArguments) throws -> TrialPlan {
    let path = arguments[TrialOptions.trial]
    let spec: TrialSpecification
    do { spec = try TrialSpecification.load(from: path) } catch { throw CommandError(error.description) }
    let template = try loadTemplate(spec.disease, arguments)
    do { return try TrialPlan(specification: spec, template: template) } catch { throw CommandError(error.description) }
}

/// The effect from --effect or --progression-multiplier, else the trial file's, else `fallback`.
func treatmentEffect(_ arguments: ParsedArguments, plan: TrialPlan, fallback: TreatmentEffect?) throws
    -> TreatmentEffect? {
    let tte = plan.specification.endpoint.isTimeToEvent
    if arguments.wasGiven(TrialOptions.effect) && arguments.wasGiven(TrialOptions.multiplier) {
        throw UsageError("give --effect or --progression-multiplier, not both", usage: arguments.usage)
    }
    if let x = arguments[TrialOptions.effect] {
        if tte {
            guard x > 0 else {
                throw UsageError("for a time-to-event endpoint, --effect is a hazard ratio (> 0; 1 = no effect)",
                                 usage: arguments.usage)
            }
            return .hazardRatio(x)
        }
        return .difference(x)
    }
    if let m = arguments[TrialOptions.multiplier] {
        if tte { throw UsageError("a time-to-event endpoint needs --effect as a hazard ratio", usage: arguments.usage) }
        return .progressionMultiplier(m)
    }
    return plan.specification.simulation.effect ?? fallback
}

/// Reads a treated arm from a FHIR ndjson folder or file, Bundles, or a long CSV (the
/// `RecordImport` module), mapped to the trial's template; skipped records are reported.
func readTreatedRecords(_ path: String, plan: TrialPlan, console: Console, role: String = "the treated arm") throws
    -> (timelines: [PatientTimeline], concepts: TemplateConcepts) {
    let records: SeedRecords
    do { records = try SeedRecordImporter(template: plan.template).read(path: path) } catch {
        let details = error.problems.prefix(5).map { "\n  " + $0.description }.joined()
        throw CommandError("cannot read \(role): \(error.headline)\(details)")
    }
    let report = records.report
    if report.patientsSkipped > 0 || report.recordsSkippedTotal > 0 {
        console.error("  \(role) records: \(report.patientsKept) of \(report.patientsRead) patients kept, "
            + "\(report.recordsSkippedTotal) records skipped (run 'zebra inspect-records' for details)")
    }
    return (records.timelines, records.concepts)
}
