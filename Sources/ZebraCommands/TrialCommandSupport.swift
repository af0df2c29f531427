import CommandLineParsing
import DiseaseModeling
import Foundation
import Simulation
import Timelines
import TrialDesign

/// Options shared by `control-arm` and `trial-sim`.
let trialOption = OptionSpecification.value("trial", "file", help: "Trial specification (JSON; see docs/trial-specification.md).")
let effectOption = OptionSpecification.value(
    "effect", "x", help: "Treatment effect: a difference in the endpoint (change or slope per year), or a hazard ratio for time-to-event endpoints.")
let multiplierOption = OptionSpecification.value(
    "progression-multiplier", "m", help: "Treatment effect as a multiplier of progression since the index date (0.5 halves it); instead of --effect.")

/// Loads the trial file and its template, and resolves one against the other.
func loadTrialPlan(_ arguments: ParsedArguments) throws -> TrialPlan {
    guard let path = arguments.string("trial") else {
        throw UsageError("option '--trial' is required", usage: arguments.usage)
    }
    let spec: TrialSpecification
    do { spec = try TrialSpecification.load(from: path) } catch { throw CommandError(error.description) }
    let template = try loadTemplate(spec.disease, arguments)
    do { return try TrialPlan(specification: spec, template: template) } catch { throw CommandError(error.description) }
}

/// The effect from --effect or --progression-multiplier, else the trial file's, else `fallback`.
func treatmentEffect(_ arguments: ParsedArguments, plan: TrialPlan, fallback: TreatmentEffect?) throws -> TreatmentEffect? {
    let tte = plan.specification.endpoint.isTimeToEvent
    if arguments.wasGiven("effect") && arguments.wasGiven("progression-multiplier") {
        throw UsageError("give --effect or --progression-multiplier, not both", usage: arguments.usage)
    }
    if let x = try arguments.double("effect", in: -1e6...1e6) {
        if tte {
            guard x > 0 else { throw UsageError("for a time-to-event endpoint, --effect is a hazard ratio (> 0; 1 = no effect)", usage: arguments.usage) }
            return .hazardRatio(x)
        }
        return .difference(x)
    }
    if let m = try arguments.double("progression-multiplier", in: 0...10) {
        if tte { throw UsageError("a time-to-event endpoint needs --effect as a hazard ratio", usage: arguments.usage) }
        return .progressionMultiplier(m)
    }
    return plan.specification.simulation.effect ?? fallback
}

/// Reads a treated arm from a FHIR ndjson folder or file, a Bundle, or a long CSV.
///
/// The reader is the `RecordImport` module's `SeedRecordImporter`; until that module is part of
/// the package this says so clearly instead of guessing at the formats.
func readTreatedRecords(_ path: String, plan: TrialPlan) throws -> (timelines: [PatientTimeline], concepts: TemplateConcepts) {
    guard FileManager.default.fileExists(atPath: path) else { throw CommandError("no such file or folder: \(path)") }
    throw CommandError("reading a treated arm from \(path) needs the RecordImport module (FHIR ndjson, Bundles, long CSV), "
        + "which is not part of this build yet; meanwhile use --simulate-treated N to simulate a treated arm "
        + "from the trial's natural history with a known effect")
}
