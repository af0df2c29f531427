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

        With --shard K/N it simulates only the K-th of N disjoint blocks of replicates and writes them,
        exactly, to trial-sim-part.tsv; 'zebra merge' joins the N parts into the unsharded run's folder,
        byte for byte. A pool whose replicates fall in two shards is simulated by both.
        """,
        options: [
            TrialOptions.trial, TrialOptions.effect, TrialOptions.multiplier, replicates, Shared.seed, treated,
            external, ratio, pool, pools, designs, out, Shard.option, Shared.threads, Shared.overwrite, Shared.templates,
            TrialOptions.models,
        ])

    static let replicates = Option<Int>("replicates", "n", default: 1000, in: 2...1_000_000, help: "Simulated trials.")
    static let treated = Option<Int?>("treated", "n", in: 5...100_000,
                                      help: "Treated patients per trial (default: from the trial file).")
    static let external = Option<Int?>(
        "external", "n", in: 10...1_000_000,
        help: "External natural-history patients available to each trial (default: from the trial file).")
    static let ratio = Option<Int?>("ratio", "k", in: 1...20,
                                    help: "Controls matched per treated patient (default: from the trial file).")
    static let pool = Option<Int?>(
        "pool", "n", in: 100...10_000_000,
        help: "Eligible natural-history patients to simulate and resample (default: 5 × one trial's draw).")
    static let designs = Option<[TrialDesignKind]?>(
        "designs", "list",
        help: "Comma-separated designs (default: all): "
            + TrialDesignKind.allCases.map(\.rawValue).joined(separator: ", "),
        expectation: "a comma-separated list of " + TrialDesignKind.allCases.map(\.rawValue).joined(separator: ", "),
        parse: { text in
            let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let kinds = names.compactMap(TrialDesignKind.init(rawValue:))
            return kinds.count == names.count && !kinds.isEmpty ? kinds : nil
        })
    static let out = Option<String?>("out", "dir", help: "Output folder (default: Output/trial-sim-<trial id>).")
    static let pools = Option<Int>(
        "pools", "k", default: 5, in: 1...1_000,
        help: "Independent natural-history pools the replicates are spread over, so that the Monte Carlo SEs "
            + "include the variation between pools (1: one pool, SEs within it only).")

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let plan = try loadTrialPlan(arguments, console: console)
        let spec = plan.specification
        let replicates = arguments[Self.replicates]
        let seed = Shared.seed(arguments)
        let threads = Shared.threads(arguments)
        guard let effect = try treatmentEffect(arguments, plan: plan, fallback: nil) else {
            throw UsageError("give --effect (or --progression-multiplier), or "
                + "an effect in the trial file's simulation section", usage: arguments.usage)
        }
        // Dynamic borrowing is implemented for measure endpoints only.
        let designs = arguments[Self.designs] ?? TrialDesignKind.allCases.filter {
            $0 != .hybridDynamic || !spec.endpoint.isTimeToEvent
        }
        var simulation = TrialSimulation(plan: plan, effect: effect, replicates: replicates, seed: seed,
                                         threads: threads, designs: designs)
        if let n = arguments[Self.treated] {
            simulation.settings.treated = n
            simulation.settings.concurrentControls = n
            simulation.settings.hybridConcurrentControls = min(simulation.settings.hybridConcurrentControls,
                                                               max(n / 2, 1))
        }
        if let n = arguments[Self.external] { simulation.settings.externalControls = n }
        if let k = arguments[Self.ratio] { simulation.settings.matchingRatio = k }
        simulation.poolSize = arguments[Self.pool]
        simulation.pools = arguments[Self.pools]
        let out = arguments[Self.out] ?? "Output/trial-sim-\(spec.id)"
        let directory: StagedDirectory
        do { directory = try StagedDirectory(path: out, replaceExisting: arguments[Shared.overwrite]) } catch {
            throw CommandError(error.message)
        }
        console.error("trial-sim: \(spec.title), \(effect.summary), "
            + "\(replicates) replicates, seed \(seed), \(threads) threads")
        let start = Date()
        do {
            if let shard = arguments[Shard.option] {
                let part = try simulation.runPart(shard.range(of: replicates),
                                                  progress: { console.error("  pool: " + $0) })
                try writeFileAtomically(Array(part.text().utf8), to: directory.path(of: TrialSimPart.fileName))
                try directory.commit(description: description + shard.descriptionLine + "\n")
                console.error("trial-sim: shard \(shard.index)/\(shard.count), replicates \(part.range), "
                    + String(format: "%.1f", Date().timeIntervalSince(start)) + " s; wrote \(directory.finalPath)")
                return 0
            }
            let oc = try simulation.run(progress: { console.error("  pool: " + $0) })
            try write(oc, into: directory)
            try directory.commit(description: description)
            console.print(oc.table())
            console.error("trial-sim: " + String(format: "%.1f", Date().timeIntervalSince(start))
                + " s; wrote \(directory.finalPath)")
            return 0
        } catch {
            directory.discard()
            if let e = error as? TrialDesignError { throw CommandError(e.message) }
            if let e = error as? OutputError { throw CommandError(e.message) }
            throw error
        }
    }

    /// The first line of the folder's run description (a shard adds its 'shard:' line).
    static let description = "generator: zebra trial-sim\n"

    /// The files of a trial-sim folder: tables, every replicate, charts.
    static func write(_ oc: OperatingCharacteristics, into directory: StagedDirectory) throws {
        try writeFileAtomically(Array(oc.json().text().utf8), to: directory.path(of: "operating-characteristics.json"))
        try writeFileAtomically(Array(oc.csv().utf8), to: directory.path(of: "operating-characteristics.csv"))
        try writeFileAtomically(Array(oc.replicatesCSV().utf8), to: directory.path(of: "replicates.csv"))
        try writeFileAtomically(Array(oc.ratesChart().utf8), to: directory.path(of: "operating-characteristics.svg"))
        try writeFileAtomically(Array(oc.errorsChart().utf8), to: directory.path(of: "estimation-error.svg"))
        try writeFileAtomically(Array((oc.table() + "\n").utf8), to: directory.path(of: "operating-characteristics.txt"))
    }
}
