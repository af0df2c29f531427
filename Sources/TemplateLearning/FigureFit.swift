import DiseaseModeling
import Foundation
import Statistics
import Timelines

/// A covariate that splits patients into levels, each with its own learned multiplier.
enum Factor: Sendable, Hashable {
    case sex
    /// A categorical attribute (levels: its values).
    case category(Int)
    /// A continuous attribute cut at `edges` (levels: the bins between them).
    case bins(Int, edges: [Double])

    var levelCount: Int {
        switch self {
        case .sex: 2
        case .category: -1
        case .bins(_, let edges): edges.count + 1
        }
    }

    func levels(in template: DiseaseTemplate) -> Int {
        if case .category(let a) = self { return template.attributes[a].categoryValues.count }
        return levelCount
    }

    /// The patient's level, or nil when the record does not say.
    func level(of w: WindowSummary) -> Int? {
        switch self {
        case .sex: return w.sex == .male ? 0 : 1
        case .category(let a): return w.categories[a]
        case .bins(let a, let edges):
            guard let x = w.numbers[a] else { return nil }
            return edges.firstIndex { x < $0 } ?? edges.count
        }
    }

    /// The adjustment condition that selects `level`.
    func condition(_ level: Int, in template: DiseaseTemplate) -> TemplateAdjustment.Condition {
        switch self {
        case .sex: return TemplateAdjustment.Condition(sex: level == 0 ? .male : .female)
        case .category(let a):
            let attribute = template.attributes[a]
            return TemplateAdjustment.Condition(attribute: attribute.id, value: attribute.categoryValues[level])
        case .bins(let a, let edges):
            return TemplateAdjustment.Condition(attribute: template.attributes[a].id,
                                                atLeast: level > 0 ? edges[level - 1] : nil,
                                                below: level < edges.count ? edges[level] : nil)
        }
    }
}

/// How a figure is compared between the seed records and their twins.
enum Comparison: Sendable {
    /// Ratio of means (slopes, gaps); cells where the twins' mean is not clearly away from 0, or
    /// has the other sign, carry no information.
    case ratioOfMeans
    /// Ratio of proportions of 0/1 values.
    case proportion
    /// Difference of means of logs (ages, delays): a log ratio of geometric means.
    case logDifference
    /// Half the log ratio of mean variances: a ratio of SDs.
    case rootRatio
}

/// One learned figure: which template number it moves, for whom, and how it is read from a window.
struct FigureSpecification: Sendable {
    var name: String
    var target: TemplateAdjustment.Target
    /// A state that must be active for the learned multipliers to apply.
    var state: String?
    var factors: [Factor]
    var comparison: Comparison
    /// Prior SD of each log multiplier.
    var priorSD: Double
    var figure: @Sendable (WindowSummary) -> Double?
    /// Whether the figure is learned after the others have settled, with them held: a slope after
    /// an event answers for what the slopes by sex and attribute leave, never the other way round.
    var isLate = false
}

/// The per-level result of a fit.
struct LevelEstimate: Sendable {
    var condition: TemplateAdjustment.Condition
    var logMultiplier: Double
    var unshrunk: Double
    var posteriorSD: Double
    var patients: Int
    var seedFigure: Double
    var twinFigure: Double
}

/// Mean, variance and count of a list of values.
struct Moments: Sendable {
    var n = 0
    var sum = 0.0
    var sumSquares = 0.0
    mutating func add(_ x: Double) { n += 1; sum += x; sumSquares += x * x }
    var mean: Double { n > 0 ? sum / Double(n) : .nan }
    var variance: Double {
        guard n > 1 else { return .nan }
        let m = mean
        return max(0, sumSquares / Double(n) - m * m) * Double(n) / Double(n - 1)
    }
}

/// A cell's log ratio of seed to twin figure and its squared standard error; nil when uninformative.
func logRatio(seed s: Moments, twins t: Moments, _ comparison: Comparison) -> (Double, Double)? {
    guard s.n >= 5, t.n >= 5 else { return nil }
    let nS = Double(s.n), nT = Double(t.n)
    switch comparison {
    case .ratioOfMeans, .rootRatio:
        let seS = (s.variance / nS).squareRoot(), seT = (t.variance / nT).squareRoot()
        guard s.mean * t.mean > 0, abs(t.mean) > 2 * seT, abs(s.mean) > seS else { return nil }
        let r = log(s.mean / t.mean)
        let v = pow(seS / s.mean, 2) + pow(seT / t.mean, 2)
        return comparison == .rootRatio ? (r / 2, v / 4) : (r, v)
    case .proportion:
        let pS = (s.mean * nS + 0.5) / (nS + 1), pT = (t.mean * nT + 0.5) / (nT + 1)
        return (log(pS / pT), (1 - pS) / (nS * pS) + (1 - pT) / (nT * pT))
    case .logDifference:
        return (s.mean - t.mean, s.variance / nS + t.variance / nT)
    }
}

/// Multipliers stay within this factor of the template's value, whatever the records say.
package let multiplierBound = log(5.0)

/// Fits log multipliers per factor level by precision-weighted ridge regression on the cells'
/// log ratios: the Gaussian posterior with a N(0, priorSD²) prior on each log multiplier. The
/// first factor has a multiplier per level, later factors one per level beyond their first.
func fitLevels(_ spec: FigureSpecification, seed: [WindowSummary], twins: [[WindowSummary]],
               current: [Double], template: DiseaseTemplate, sensitivity: Double = 1) -> [LevelEstimate] {
    var columns: [(factor: Int, level: Int)] = []
    for (f, factor) in spec.factors.enumerated() {
        for l in (f == 0 ? 0 : 1)..<factor.levels(in: template) { columns.append((f, l)) }
    }
    if spec.factors.isEmpty { columns.append((-1, 0)) }
    func key(_ w: WindowSummary) -> [Int]? {
        var k: [Int] = []
        for factor in spec.factors {
            guard let l = factor.level(of: w) else { return nil }
            k.append(l)
        }
        return k
    }
    func row(_ k: [Int]) -> [Double] {
        columns.map { c in c.factor < 0 || k[c.factor] == c.level ? 1 : 0 }
    }
    // Slopes and variances have long tails (a kidney crashing into failure): both sides are
    // winsorised at the seed records' 5th and 95th percentiles, which keeps one patient from
    // moving a multiplier and changes seed and twin figures alike.
    let limits = winsorLimits(spec, seed)
    func figure(_ w: WindowSummary) -> Double? {
        guard let x = spec.figure(w) else { return nil }
        guard let (lo, hi) = limits else { return x }
        return min(max(x, lo), hi)
    }
    var seedCells: [[Int]: Moments] = [:], twinCells: [[Int]: Moments] = [:]
    var seedByColumn = [Moments](repeating: Moments(), count: columns.count)
    var twinByColumn = seedByColumn
    for (i, w) in seed.enumerated() {
        guard let k = key(w) else { continue }
        let r = row(k)
        if let x = figure(w) {
            seedCells[k, default: Moments()].add(x)
            for c in columns.indices where r[c] == 1 { seedByColumn[c].add(x) }
        }
        for twin in twins[i] {
            guard let x = figure(twin), let kt = key(twin) else { continue }
            twinCells[kt, default: Moments()].add(x)
            for c in columns.indices where row(kt)[c] == 1 { twinByColumn[c].add(x) }
        }
    }
    let p = columns.count
    var a = [Double](repeating: 0, count: p * p), b = [Double](repeating: 0, count: p)
    for k in seedCells.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
        guard let t = twinCells[k], let (r, v) = logRatio(seed: seedCells[k]!, twins: t, spec.comparison) else {
            continue
        }
        let x = row(k)
        // A Newton step: the log ratio over the figure's response to the log multiplier.
        let y = r / sensitivity + zip(x, current).reduce(0) { $0 + $1.0 * $1.1 }
        let w = sensitivity * sensitivity / max(v, 1e-6)
        for i in 0..<p where x[i] != 0 {
            b[i] += w * y
            for j in 0..<p where x[j] != 0 { a[i * p + j] += w }
        }
    }
    func solve(ridge: Double) -> (beta: [Double], variance: [Double])? {
        var m = a
        for i in 0..<p { m[i * p + i] += ridge }
        guard let matrix = try? Matrix(rows: p, columns: p, elements: m), let inverse = try? matrix.inverseSPD()
        else { return nil }
        let beta = (0..<p).map { i in (0..<p).reduce(0) { $0 + inverse[i, $1] * b[$1] } }
        return (beta, (0..<p).map { inverse[$0, $0] })
    }
    let prior = 1 / (spec.priorSD * spec.priorSD)
    guard let posterior = solve(ridge: prior) else { return [] }
    let unshrunk = solve(ridge: prior * 1e-4)?.beta ?? posterior.beta
    return columns.indices.map { c in
        let (f, l) = columns[c]
        var condition = f < 0 ? TemplateAdjustment.Condition() : spec.factors[f].condition(l, in: template)
        condition.state = spec.state
        return LevelEstimate(condition: condition,
                             logMultiplier: min(max(posterior.beta[c], -multiplierBound), multiplierBound),
                             unshrunk: unshrunk[c], posteriorSD: posterior.variance[c].squareRoot(),
                             patients: seedByColumn[c].n, seedFigure: seedByColumn[c].mean,
                             twinFigure: twinByColumn[c].mean)
    }
}

/// The 5th and 95th percentiles of the seed records' figure, for ratio comparisons with 20 or more values.
func winsorLimits(_ spec: FigureSpecification, _ seed: [WindowSummary]) -> (Double, Double)? {
    guard spec.comparison == .ratioOfMeans || spec.comparison == .rootRatio else { return nil }
    let values = seed.compactMap(spec.figure).sorted()
    guard values.count >= 20 else { return nil }
    return (values[values.count / 20], values[values.count - 1 - values.count / 20])
}
