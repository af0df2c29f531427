import CommandLineParsing
import Foundation
import Parallelism
import Serialization
import TrialDesign

struct TrialSimCommand: ZebraCommand {
    static let specification = CommandSpecification(
        name: "trial-sim", abstract: "Estimate a trial design's bias, coverage, power and type I error by simulation.",
        discussion: """
        Simulates many trials from natural history with a known treatment effect (ADEMP) and analyses
        each under every design: 1:1 randomized; randomized with a prognostic score (PROCOVA-style);
        single arm + synthetic control by matching and by weighting; hybrid (fewer concurrent controls
        plus synthetic ones); and single arm + external control without adjustment. Reports bias,
        empirical SE, RMSE, coverage, power and type I error (at no effect), each with its Monte Carlo
        SE. Deterministic for a seed, whatever the thread count.
        """,
        options: [
            trialOption, effectOption, multiplierOption,
            .value("replicates", "n", help: "Simulated trials.", default: "1000"),
            .value("seed", "n", help: "Random seed.", default: "1"),
            .value("treated", "n", help: "Treated patients per trial (default: from the trial file)."),
            .value("external", "n", help: "External natural-history patients available to each trial (default: from the trial file)."),
            .value("ratio", "k", help: "Controls matched per treated patient (default: from the trial file)."),
            .value("pool", "n", help: "Eligible natural-history patients to simulate and resample (default: 5 × one trial's draw)."),
            .value("designs", "list", help: "Comma-separated designs (default: all): " + TrialDesignKind.allCases.map(\.rawValue).joined(separator: ", ")),
            .value("out", "dir", help: "Output folder (default: Output/trial-sim-<trial id>)."),
            .value("threads", "n", help: "Worker threads (default: all cores)."),
            .flag("overwrite", help: "Replace the output folder if it exists."),
            templatesOption,
        ] + trialModelOptions)

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let plan = try loadTrialPlan(arguments, console: console)
        let spec = plan.specification
        let replicates = try arguments.integer("replicates", in: 2...1_000_000)!
        let seed = UInt64(try arguments.integer("seed", in: 0...Int.max)!)
        let threads = try arguments.integer("threads", in: 1...1024) ?? defaultThreadCount
        guard let effect = try treatmentEffect(arguments, plan: plan, fallback: nil) else {
            throw UsageError("give --effect (or --progression-multiplier), or an effect in the trial file's simulation section", usage: arguments.usage)
        }
        var designs = TrialDesignKind.allCases
        if let list = arguments.string("designs") {
            designs = try list.split(separator: ",").map { name in
                guard let d = TrialDesignKind(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw UsageError("unknown design '\(name)'; designs: \(TrialDesignKind.allCases.map(\.rawValue).joined(separator: ", "))", usage: arguments.usage)
                }
                return d
            }
        }
        var simulation = TrialSimulation(plan: plan, effect: effect, replicates: replicates, seed: seed, threads: threads, designs: designs)
        if let n = try arguments.integer("treated", in: 5...100_000) {
            simulation.settings.treated = n
            simulation.settings.concurrentControls = n
            simulation.settings.hybridConcurrentControls = min(simulation.settings.hybridConcurrentControls, max(n / 2, 1))
        }
        if let n = try arguments.integer("external", in: 10...1_000_000) { simulation.settings.externalControls = n }
        if let k = try arguments.integer("ratio", in: 1...20) { simulation.settings.matchingRatio = k }
        simulation.poolSize = try arguments.integer("pool", in: 100...10_000_000)
        let out = arguments.string("out") ?? "Output/trial-sim-\(spec.id)"
        let directory: StagedDirectory
        do { directory = try StagedDirectory(path: out, replaceExisting: arguments.flag("overwrite")) } catch {
            throw CommandError(error.message)
        }
        console.error("trial-sim: \(spec.title), \(effect.summary), \(replicates) replicates, seed \(seed), \(threads) threads")
        let start = Date()
        do {
            let oc = try simulation.run(progress: { console.error("  pool: " + $0) })
            try writeFileAtomically(Array(oc.json().text().utf8), to: directory.path(of: "operating-characteristics.json"))
            try writeFileAtomically(Array(oc.csv().utf8), to: directory.path(of: "operating-characteristics.csv"))
            try writeFileAtomically(Array(oc.ratesChart().utf8), to: directory.path(of: "operating-characteristics.svg"))
            try writeFileAtomically(Array(oc.errorsChart().utf8), to: directory.path(of: "estimation-error.svg"))
            try writeFileAtomically(Array((oc.table() + "\n").utf8), to: directory.path(of: "operating-characteristics.txt"))
            try directory.commit()
            console.print(oc.table())
            console.error("trial-sim: " + String(format: "%.1f", Date().timeIntervalSince(start)) + " s; wrote \(directory.finalPath)")
            return 0
        } catch {
            directory.discard()
            if let e = error as? TrialDesignError { throw CommandError(e.message) }
            if let e = error as? OutputError { throw CommandError(e.message) }
            throw error
        }
    }
}
