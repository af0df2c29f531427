import Foundation
import Plotting
import Serialization

extension TrialDesignKind {
    /// A label short enough for a chart axis.
    package var shortTitle: String {
        switch self {
        case .randomized: "RCT 1:1"
        case .procova: "RCT + PROCOVA"
        case .syntheticMatching: "Synthetic (match)"
        case .syntheticWeighting: "Synthetic (weight)"
        case .hybrid: "Hybrid"
        case .hybridDynamic: "Hybrid, dynamic"
        case .externalUnadjusted: "External, unadjusted"
        }
    }
}

extension OperatingCharacteristics {
    /// The header lines: what was simulated.
    package var headerLines: [String] {
        let s = settings
        return [
            "Operating characteristics: \(title) (\(trial))",
            "endpoint: \(endpoint); effect: \(effect.summary); true value θ = \(fixed(truth, 3)) (\(scale))",
            "\(replicates) replicates, seed \(seed); per trial \(s.treated) treated, \(s.concurrentControls) "
                + "randomized controls (hybrid \(s.hybridConcurrentControls) + synthetic), \(s.externalControls) "
                + "external patients, matching 1:\(s.matchingRatio)",
            (pools > 1 ? "\(pools) independent pools, \(replicates / pools)+ replicates each; " : "")
                + "pool: \(poolSummary); \(poolSize) resampled per replicate"
                + (trainingSize > 0 ? ", \(trainingSize) more set aside to fit the prognostic score" : ""),
            selectionNote,
        ]
    }

    /// The design × metric table with Monte Carlo standard errors in brackets.
    package func table() -> String {
        let headers = ["design", "bias", "emp. SE", "RMSE", "coverage", "power", "type I error", "model SE", "ok"]
        var rows: [[String]] = []
        for p in performance {
            func mc(_ v: MonteCarloValue?, _ d: Int) -> String {
                v.map { "\(fixed($0.value, d)) (\(fixed($0.standardError, d)))" } ?? "-"
            }
            rows.append([p.design.title, mc(p.bias, 3), mc(p.empiricalSE, 3), mc(p.rmse, 3), mc(p.coverage, 3),
                         mc(p.power, 3), mc(p.typeIError, 3), fixed(p.meanModelSE, 3), "\(p.succeeded)/\(replicates)"])
        }
        var widths = headers.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == 0 ? c + String(repeating: " ", count: widths[i] - c.count)
                    : String(repeating: " ", count: widths[i] - c.count) + c
            }.joined(separator: "  ")
        }
        var out = headerLines
        out.append("")
        out.append(line(headers))
        out.append(line(widths.map { String(repeating: "-", count: $0) }))
        out += rows.map(line)
        out.append("")
        for p in performance {
            if let borrowed = p.meanBorrowedControls, let prior = p.meanPriorEffectiveControls {
                out.append("\(p.design.title): prior effective sample size \(fixed(prior, 1)) external controls on "
                    + "average; after the concurrent data \(fixed(borrowed, 1)) borrowed on average.")
            }
        }
        out.append("Monte Carlo standard errors in brackets"
            + (pools > 1 ? " (bias, coverage, power, type I error: across the \(pools) pools, pools as clusters)"
                : " (one pool: they do not include the variation between pools; use --pools to add it)")
            + ". Power and type I error: P(95 % CI excludes 0) with and without the effect.")
        return out.joined(separator: "\n")
    }

    /// One row per design and metric: `design,metric,value,mcse`.
    package func csv() -> String {
        var lines = ["design,metric,value,monte_carlo_se,within_pool_se"]
        for p in performance {
            var metrics: [(String, MonteCarloValue?)] = [("bias", p.bias), ("empirical_se", p.empiricalSE),
                                                         ("rmse", p.rmse), ("coverage", p.coverage), ("power", p.power),
                                                         ("type_i_error", p.typeIError)]
            metrics.append(("mean_model_se", MonteCarloValue(value: p.meanModelSE, standardError: .nan)))
            for (name, v) in metrics {
                guard let v else { continue }
                lines.append("\(p.design.rawValue),\(name),\(fixed(v.value, 6)),"
                    + "\(v.standardError.isFinite ? fixed(v.standardError, 6) : ""),"
                    + (v.withinPoolStandardError.map { fixed($0, 6) } ?? ""))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Everything in the table, for `operating-characteristics.json`.
    package func json() -> ReportJSON {
        func mc(_ v: MonteCarloValue?) -> ReportJSON {
            guard let v else { return .null }
            var members: [(String, ReportJSON)] = [("value", .finite(v.value)), ("mcse", .finite(v.standardError))]
            if let w = v.withinPoolStandardError { members.append(("mcseWithinPool", .finite(w))) }
            return .object(members)
        }
        let s = settings
        return .object([
            ("trial", .string(trial)), ("title", .string(title)), ("endpoint", .string(endpoint)),
            ("effect", .string(effect.summary)), ("scale", .string(scale)), ("truth", .finite(truth)),
            ("replicates", .integer(replicates)), ("pools", .integer(pools)), ("seed", .string(String(seed))),
            ("generator", .string(generator)),
            ("design", .object([("treated", .integer(s.treated)),
                                ("concurrentControls", .integer(s.concurrentControls)),
                                ("hybridConcurrentControls", .integer(s.hybridConcurrentControls)),
                                ("externalControls", .integer(s.externalControls)),
                                ("matchingRatio", .integer(s.matchingRatio))])),
            ("pool", .object([("summary", .string(poolSummary)), ("resampled", .integer(poolSize)),
                              ("prognosticTraining", .integer(trainingSize)), ("selection", .string(selectionNote))])),
            ("designs", .array(performance.map { p in
                .object([("design", .string(p.design.rawValue)), ("title", .string(p.design.title)),
                         ("succeeded", .integer(p.succeeded)), ("nullSucceeded", .integer(p.nullSucceeded)),
                         ("bias", mc(p.bias)), ("empiricalSE", mc(p.empiricalSE)), ("rmse", mc(p.rmse)),
                         ("meanModelSE", .finite(p.meanModelSE)), ("coverage", mc(p.coverage)),
                         ("power", mc(p.power)), ("typeIError", mc(p.typeIError)),
                         ("meanPriorEffectiveControls", .finite(p.meanPriorEffectiveControls)),
                         ("meanBorrowedControls", .finite(p.meanBorrowedControls))])
            })),
        ])
    }

    /// Every replicate's estimate under each design, with and without the effect, so that every
    /// figure can be re-derived: `replicate,pool,design,…`.
    package func replicatesCSV() -> String {
        var lines = ["replicate,pool,design,estimate,se,lower95,upper95,p_value,covers_truth,rejects_null,"
            + "null_estimate,null_se,null_lower95,null_upper95,null_rejects_null,treated_mean_true_effect"]
        func cells(_ e: EffectEstimate?) -> [String] {
            guard let e else { return ["", "", "", "", ""] }
            return [e.estimate, e.standardError, e.lower, e.upper, e.pValue].map { DatasetFormat.number($0) }
        }
        for (r, result) in results.enumerated() {
            for (d, design) in designs.enumerated() {
                let e = result.estimates[d], n = result.nullEstimates[d]
                var row = ["\(r)", "\(result.pool)", design.rawValue] + cells(e)
                row += [e.map { $0.covers(truth) ? "1" : "0" } ?? "", e.map { $0.rejectsNull ? "1" : "0" } ?? ""]
                row += Array(cells(n).prefix(4)) + [n.map { $0.rejectsNull ? "1" : "0" } ?? "",
                                                    DatasetFormat.number(result.satt)]
                lines.append(row.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Coverage, power and type I error per design as grouped bars.
    package func ratesChart() -> String {
        var groups = [BarGroup(name: "Coverage", values: performance.map(\.coverage.value))]
        if !effect.isNull {
            groups.append(BarGroup(name: "Power", values: performance.map { $0.power?.value ?? .nan }))
        }
        groups.append(BarGroup(name: "Type I error", values: performance.map(\.typeIError.value)))
        return BarChart(title: "Operating characteristics: \(trial) (\(replicates) replicates)", xLabel: "Design",
                        yLabel: "Proportion of simulated trials", categories: performance.map(\.design.shortTitle),
                        groups: groups, size: ChartSize(width: 900, height: 460)).svg()
    }

    /// |Bias|, empirical SE and RMSE per design as grouped bars.
    package func errorsChart() -> String {
        BarChart(title: "Estimation error: \(trial) (\(scale))", xLabel: "Design", yLabel: "Endpoint units",
                 categories: performance.map(\.design.shortTitle),
                 groups: [BarGroup(name: "|Bias|", values: performance.map { abs($0.bias.value) }),
                          BarGroup(name: "Empirical SE", values: performance.map(\.empiricalSE.value)),
                          BarGroup(name: "RMSE", values: performance.map(\.rmse.value))],
                 size: ChartSize(width: 900, height: 460)).svg()
    }
}
