import Foundation

/// What every part of one `trial-sim` run shares: everything the operating characteristics
/// report besides the replicates' estimates.
package struct TrialSimContext: Sendable, Equatable {
    package var trial: String
    package var title: String
    package var endpoint: String
    package var effect: TreatmentEffect
    package var replicates: Int
    package var seed: UInt64
    package var designs: [TrialDesignKind]
    /// Treated, concurrent, hybrid concurrent and external patients per trial, and the matching ratio.
    package var sizes: [Int]
    package var poolSize: Int
    package var trainingSize: Int
    package var selectionNote: String
    package var generator: String
    /// Pools the replicates are spread over (pool k draws the contiguous block k of them).
    package var pools: Int

    /// The replicates pool `k` draws: `[k·R/P, (k+1)·R/P)`.
    func block(ofPool k: Int) -> Range<Int> { k * replicates / pools ..< (k + 1) * replicates / pools }

    var settings: SimulationSettings {
        SimulationSettings(treated: sizes[0], concurrentControls: sizes[1], hybridConcurrentControls: sizes[2],
                           externalControls: sizes[3], matchingRatio: sizes[4], effect: nil,
                           treatedSelection: TreatedSelection())
    }
}

/// The replicates `range` of one `trial-sim` run, with their estimates kept exactly, so that
/// parts simulated on different machines (`trial-sim --shard K/N`) give, put together, the
/// operating characteristics of the unsharded run byte for byte.
///
/// Its text form (`trial-sim-part.tsv`) is one tab-separated record per line: the context, the
/// pools' summaries, then a line per replicate whose numbers are written in Swift's shortest
/// round-trip form, so that reading it back gives the same doubles.
package struct TrialSimPart: Sendable {
    package var context: TrialSimContext
    package var range: Range<Int>
    /// The summary of each pool this part drew from, by pool index.
    var poolSummaries: [(pool: Int, summary: String)]
    var results: [ReplicateResult]

    package static let fileName = "trial-sim-part.tsv"
    static let magic = "zebra-trial-sim-part\t1"

    /// The operating characteristics of the whole run from all its parts, in any order; refused
    /// unless they are of one run and their replicates cover it once.
    package static func operatingCharacteristics(_ parts: [TrialSimPart]) throws(TrialDesignError)
        -> OperatingCharacteristics {
        guard let context = parts.first?.context else { throw TrialDesignError("no trial-sim parts to join") }
        for part in parts where part.context != context {
            throw TrialDesignError("the trial-sim parts are of different runs (their settings differ)")
        }
        let ordered = parts.sorted { $0.range.lowerBound < $1.range.lowerBound }
        var next = 0
        for part in ordered {
            guard part.range.lowerBound == next else {
                throw TrialDesignError(part.range.lowerBound > next
                    ? "replicates \(next)..<\(part.range.lowerBound) are in no part"
                    : "replicates from \(part.range.lowerBound) are in two parts")
            }
            next = part.range.upperBound
        }
        guard next == context.replicates else {
            throw TrialDesignError("replicates \(next)..<\(context.replicates) are in no part")
        }
        let results = ordered.flatMap(\.results)
        var summaries: [Int: String] = [:]
        for part in ordered { for (k, s) in part.poolSummaries { summaries[k] = s } }
        guard let first = summaries[0], summaries.count == context.pools else {
            throw TrialDesignError("the parts describe \(summaries.count) of \(context.pools) pools")
        }
        var oc = OperatingCharacteristics(
            trial: context.trial, title: context.title, endpoint: context.endpoint, effect: context.effect,
            truth: TrialSimulation.truth(context.effect, results), replicates: context.replicates,
            seed: context.seed, designs: context.designs, results: results, settings: context.settings,
            poolSummary: context.pools == 1 ? first : "\(context.pools) pools; first: \(first)",
            poolSize: context.poolSize, trainingSize: context.trainingSize, selectionNote: context.selectionNote,
            pools: context.pools)
        oc.generator = context.generator
        return oc
    }
}

// MARK: - Text form

extension TrialSimPart {
    /// The part as `trial-sim-part.tsv`.
    package func text() -> String {
        let c = context
        var lines = [Self.magic]
        func line(_ fields: [String]) { lines.append(fields.joined(separator: "\t")) }
        line(["trial", escaped(c.trial)])
        line(["title", escaped(c.title)])
        line(["endpoint", escaped(c.endpoint)])
        switch c.effect {
        case .difference(let d): line(["effect", "difference", exact(d)])
        case .progressionMultiplier(let m): line(["effect", "progressionMultiplier", exact(m)])
        case .hazardRatio(let h): line(["effect", "hazardRatio", exact(h)])
        }
        line(["replicates", "\(c.replicates)"])
        line(["seed", "\(c.seed)"])
        line(["designs"] + c.designs.map(\.rawValue))
        line(["sizes"] + c.sizes.map(String.init))
        line(["pool-size", "\(c.poolSize)"])
        line(["training", "\(c.trainingSize)"])
        line(["selection", escaped(c.selectionNote)])
        line(["generator", escaped(c.generator)])
        line(["pools", "\(c.pools)"])
        line(["range", "\(range.lowerBound)", "\(range.upperBound)"])
        for (k, s) in poolSummaries { line(["pool", "\(k)", escaped(s)]) }
        for (j, r) in results.enumerated() {
            var fields = ["r", "\(range.lowerBound + j)", "\(r.pool)", exact(r.satt)]
            for d in c.designs.indices { fields += cells(r.estimates[d]) + cells(r.nullEstimates[d]) }
            line(fields)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads `trial-sim-part.tsv`; `file` names it in errors.
    package init(parsing text: String, file: String) throws(TrialDesignError) {
        var reader = PartReader(file: file, lines: text.split(separator: "\n", omittingEmptySubsequences: false))
        try reader.expect(Self.magic)
        let trial = try reader.text("trial"), title = try reader.text("title"), endpoint = try reader.text("endpoint")
        let effect = try reader.effect()
        let replicates = try reader.integer("replicates")
        guard let seed = UInt64(try reader.fields("seed", count: 1)[0]) else { throw reader.failure("a bad seed") }
        let designNames = try reader.fields("designs", count: nil)
        let designs = designNames.compactMap { TrialDesignKind(rawValue: String($0)) }
        guard designs.count == designNames.count, !designs.isEmpty else { throw reader.failure("an unknown design") }
        let sizes = try reader.fields("sizes", count: 5).compactMap { Int($0) }
        guard sizes.count == 5 else { throw reader.failure("sizes that are not integers") }
        let poolSize = try reader.integer("pool-size"), training = try reader.integer("training")
        let selection = try reader.text("selection"), generator = try reader.text("generator")
        let pools = try reader.integer("pools")
        let bounds = try reader.fields("range", count: 2).compactMap { Int($0) }
        guard bounds.count == 2, 0 <= bounds[0], bounds[0] <= bounds[1], bounds[1] <= replicates else {
            throw reader.failure("a replicate range outside 0..<\(replicates)")
        }
        context = TrialSimContext(
            trial: trial, title: title, endpoint: endpoint, effect: effect, replicates: replicates, seed: seed,
            designs: designs, sizes: sizes, poolSize: poolSize, trainingSize: training, selectionNote: selection,
            generator: generator, pools: pools)
        range = bounds[0]..<bounds[1]
        poolSummaries = []
        while reader.next(is: "pool") {
            let f = try reader.fields("pool", count: 2)
            guard let k = Int(f[0]), (0..<pools).contains(k) else {
                throw reader.failure("a pool outside 0..<\(pools)")
            }
            poolSummaries.append((k, unescaped(f[1])))
        }
        results = []
        for r in range {
            let f = try reader.fields("r", count: 3 + 20 * designs.count)
            guard Int(f[0]) == r, let pool = Int(f[1]), let satt = Double(f[2]) else {
                throw reader.failure("not replicate \(r)'s line")
            }
            var main: [EffectEstimate?] = [], null: [EffectEstimate?] = []
            for d in designs.indices {
                main.append(try reader.estimate(f[(3 + 20 * d)..<(13 + 20 * d)]))
                null.append(try reader.estimate(f[(13 + 20 * d)..<(23 + 20 * d)]))
            }
            results.append(ReplicateResult(estimates: main, nullEstimates: null, satt: satt, pool: pool))
        }
        try reader.expectEnd()
    }

    /// The ten fields of an estimate (all empty for a failed analysis).
    private func cells(_ e: EffectEstimate?) -> [String] {
        guard let e else { return Array(repeating: "", count: 10) }
        return [exact(e.estimate), exact(e.standardError), exact(e.lower), exact(e.upper), exact(e.pValue),
                "\(e.treatedCount)", "\(e.controlCount)", escaped(e.method),
                e.borrowedControls.map(exact) ?? "", e.priorEffectiveControls.map(exact) ?? ""]
    }
}

/// Swift's shortest form that reads back as the same double ("nan" and "inf" included).
private func exact(_ x: Double) -> String { x.description }

/// A field with its backslashes, tabs and line breaks escaped.
private func escaped(_ s: String) -> String {
    s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
        .replacingOccurrences(of: "\n", with: "\\n")
}

private func unescaped(_ s: Substring) -> String {
    var out = "", escaping = false
    for ch in s {
        if escaping {
            out.append(ch == "t" ? "\t" : ch == "n" ? "\n" : ch)
            escaping = false
        } else if ch == "\\" { escaping = true } else { out.append(ch) }
    }
    return out
}

/// Reads the lines of a part in order, naming the file and line in its errors.
private struct PartReader {
    let file: String
    let lines: [Substring]
    var index = 0

    init(file: String, lines: [Substring]) {
        self.file = file
        // The text ends with a line break: the last, empty piece is not a line.
        self.lines = lines.last == "" ? Array(lines.dropLast()) : lines
    }

    func failure(_ what: String) -> TrialDesignError {
        TrialDesignError("\(file), line \(index): \(what)")
    }

    mutating func expect(_ line: String) throws(TrialDesignError) {
        guard index < lines.count, lines[index] == line else {
            index += 1
            throw failure("not a zebra trial-sim part (expected '\(line)')")
        }
        index += 1
    }

    mutating func expectEnd() throws(TrialDesignError) {
        guard index == lines.count else {
            index += 1
            throw failure("more lines than the part's replicate range holds")
        }
    }

    func next(is key: String) -> Bool {
        index < lines.count && lines[index].split(separator: "\t", maxSplits: 1).first.map { $0 == key } == true
    }

    /// The fields after `key` on the next line (`count` of them, or any number when nil).
    mutating func fields(_ key: String, count: Int?) throws(TrialDesignError) -> [Substring] {
        guard index < lines.count else { throw failure("ends before its '\(key)' line") }
        let f = lines[index].split(separator: "\t", omittingEmptySubsequences: false)
        index += 1
        guard f.first == Substring(key) else { throw failure("expected a '\(key)' line") }
        guard count == nil || f.count - 1 == count! else {
            throw failure("a '\(key)' line with \(f.count - 1) fields, not \(count!)")
        }
        return Array(f.dropFirst())
    }

    mutating func text(_ key: String) throws(TrialDesignError) -> String {
        unescaped(try fields(key, count: 1)[0])
    }

    mutating func integer(_ key: String) throws(TrialDesignError) -> Int {
        guard let n = Int(try fields(key, count: 1)[0]), n >= 0 else { throw failure("'\(key)' is not a count") }
        return n
    }

    mutating func effect() throws(TrialDesignError) -> TreatmentEffect {
        let f = try fields("effect", count: 2)
        guard let x = Double(f[1]) else { throw failure("an effect that is not a number") }
        switch f[0] {
        case "difference": return .difference(x)
        case "progressionMultiplier": return .progressionMultiplier(x)
        case "hazardRatio": return .hazardRatio(x)
        default: throw failure("an unknown kind of effect '\(f[0])'")
        }
    }

    func estimate(_ f: ArraySlice<Substring>) throws(TrialDesignError) -> EffectEstimate? {
        let f = Array(f)
        if f.allSatisfy(\.isEmpty) { return nil }
        let numbers = f[0..<5].compactMap { Double($0) }
        guard numbers.count == 5, let treated = Int(f[5]), let control = Int(f[6]) else {
            throw failure("an estimate whose numbers do not read")
        }
        func optional(_ s: Substring) throws(TrialDesignError) -> Double? {
            if s.isEmpty { return nil }
            guard let x = Double(s) else { throw failure("an estimate whose numbers do not read") }
            return x
        }
        return EffectEstimate(estimate: numbers[0], standardError: numbers[1], lower: numbers[2], upper: numbers[3],
                              pValue: numbers[4], treatedCount: treated, controlCount: control,
                              method: unescaped(f[7]), borrowedControls: try optional(f[8]),
                              priorEffectiveControls: try optional(f[9]))
    }
}
