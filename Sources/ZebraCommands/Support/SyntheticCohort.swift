import CommandLineParsing
import DiseaseModeling
import Simulation
import Timelines

/// The simulator a describing command (progression, cases) uses: the shipped or `--model` learned
/// template, or the template alone with `--template-only`. A sequence model writes records only
/// through `zebra simulate`, so these commands refuse one.
func cohortSimulator(_ template: DiseaseTemplate, _ arguments: ParsedArguments, _ console: Console,
                     command: String, registry: RegistryProtocol? = nil) throws -> CohortSimulator {
    let model = try loadModel(arguments, template: template, console: console)
    if model?.sequenceModel != nil {
        throw CommandError("\(command) simulates with a template or a learned template; for a sequence model, "
            + "write its records with 'zebra simulate --model' and pass them with --records")
    }
    var options = SimulationOptions(seed: Shared.seed(arguments))
    options.registry = registry
    return CohortSimulator(template: model?.template(base: template) ?? template, options: options)
}
