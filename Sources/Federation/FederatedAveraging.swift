import DiseaseModeling
import Foundation
import TemplateLearning

/// The coordinator's step: each number of the next model from the sites' values of it. A site
/// whose records say nothing of a number (a paediatric centre and an adult complication) gives it
/// no weight, so no site drags the model towards its own population on what it has not seen; a
/// number no site informs keeps the current model's value.
package enum FederatedAveraging {
    /// How the sites' values are combined.
    package enum Method: String, Sendable, CaseIterable {
        /// Precision-weighted: the sites' evidence on each multiplier (its unshrunk estimate and
        /// precision) combined, and the template's prior applied once, which is the posterior
        /// pooled records would give when each figure's likelihood is Gaussian. Mixes as in FedAvg.
        case precision
        /// FedAvg per number: the sites' learned values averaged, weighted by the patients behind
        /// each (log scale for multipliers, probabilities for mixes).
        case fedavg
    }

    /// The next round's model from `updates` to `model` (refused unless all are of this round).
    package static func aggregate(model: LearnedTemplate, modelDigest: String, updates: [SiteUpdate])
        throws(FederationError) -> LearnedTemplate {
        guard var federation = model.federation else {
            throw FederationError("the model is not a federated one (make round 0 with 'zebra federated init')")
        }
        guard let method = Method(rawValue: federation.aggregation) else {
            throw FederationError("the model's aggregation '\(federation.aggregation)' is not one this Zebra knows "
                + "(" + Method.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        guard !updates.isEmpty else { throw FederationError("no site updates to aggregate") }
        var labels = Set<String>()
        for u in updates {
            guard labels.insert(u.site).inserted else { throw FederationError("two updates from site '\(u.site)'") }
            guard u.templateID == model.templateID, u.templateDigest == model.templateDigest else {
                throw FederationError("site '\(u.site)' learned for another template (\(u.templateID))")
            }
            guard u.modelDigest == modelDigest, u.round == federation.round + 1 else {
                throw FederationError("site '\(u.site)' sent an update for round \(u.round) from another model "
                    + "(sha256 \(u.modelDigest.prefix(12))…), not from this one (round \(federation.round), "
                    + "sha256 \(modelDigest.prefix(12))…)")
            }
        }
        for u in updates {
            if let past = federation.sites.first(where: { $0.label == u.site })?.privacy {
                guard let now = u.privacy, now.noiseMultipliers.count == past.noiseMultipliers.count + 1,
                      Array(now.noiseMultipliers.dropLast()) == past.noiseMultipliers else {
                    throw FederationError("site '\(u.site)' joined earlier rounds with differential privacy, and its "
                        + "update does not carry on that record (every round it joined, then this one)")
                }
            }
        }
        // Sites in label order: the average does not depend on the order the files were given.
        let sites = updates.sorted { $0.site < $1.site }
        let current = model.adjustments.combinedByKey()
        var order = current.map(AdjustmentKey.init)
        var seen = Set(order)
        var byKey: [AdjustmentKey: [(number: SiteUpdate.Number, site: String)]] = [:]
        for u in sites {
            for n in u.numbers {
                let key = AdjustmentKey(n.adjustment)
                if seen.insert(key).inserted { order.append(key) }
                byKey[key, default: []].append((n, u.site))
            }
        }
        let currentByKey = Dictionary(current.map { (AdjustmentKey($0), $0) }, uniquingKeysWith: { a, _ in a })
        let spread = changeSpread(order.map { key in (byKey[key] ?? []).map(\.number) }, keys: order)
        let adjustments = order.compactMap { key -> TemplateAdjustment? in
            let values = (byKey[key] ?? []).filter { $0.number.patients > 0 }
            guard !values.isEmpty else { return currentByKey[key] }
            return average(values.map(\.number), key: key, method: method, spread: spread)
        }
        let round = federation.round + 1
        for u in sites {
            let disclosure = u.privacy == nil ? SiteUpdate.disclosure : SiteUpdate.privateDisclosure
            if let i = federation.sites.firstIndex(where: { $0.label == u.site }) {
                federation.sites[i].patients = u.patients
                federation.sites[i].rounds.append(round)
                federation.sites[i].privacy = u.privacy
                if federation.sites[i].disclosure != disclosure {
                    federation.sites[i].disclosure += "; then " + disclosure
                }
            } else {
                federation.sites.append(.init(label: u.site, patients: u.patients, rounds: [round],
                                              disclosure: disclosure, privacy: u.privacy))
            }
        }
        federation.round = round
        let patients = sites.reduce(0) { $0 + $1.patients }
        let learning = LearningRecord(
            seedRecords: "federated: " + sites.map { "\($0.site) (\($0.patients))" }.joined(separator: ", "),
            patients: patients, rounds: sites[0].learnerRounds, twinsPerPatient: sites[0].twinsPerPatient,
            seed: sites[0].seed)
        var next = model
        next.learning = learning
        next.adjustments = adjustments.filter { $0.male != nil || $0.value != ($0.target.isMixTarget ? $0.prior : 1) }
        next.federation = federation
        return next
    }

    /// The sites' values of one number combined, with their evidence pooled.
    static func average(_ numbers: [SiteUpdate.Number], key: AdjustmentKey, method: Method,
                        spread: (multipliers: Double, mixes: Double) = (0, 0)) -> TemplateAdjustment {
        let weights = numbers.map { Double($0.patients) }
        let total = weights.reduce(0, +)
        func mean(_ f: (SiteUpdate.Number) -> Double) -> Double {
            zip(numbers, weights).reduce(0) { $0 + f($1.0) * $1.1 } / total
        }
        var result = numbers[0].adjustment
        var fusedSD: Double?
        let releases = numbers.compactMap(\.release)
        if releases.count == numbers.count {
            return combinePrivate(releases, like: result, key: key, tau: key.isMix ? spread.mixes : spread.multipliers)
        }
        if key.isMix {
            result.value = mean { $0.adjustment.value }
            if let first = result.male, let female = result.female {
                result.male = first.indices.map { i in mean { $0.adjustment.male?[i] ?? first[i] } }
                result.female = female.indices.map { i in mean { $0.adjustment.female?[i] ?? female[i] } }
            }
        } else if method == .precision, numbers.allSatisfy({ $0.logEstimate != nil && $0.precision != nil }) {
            let prior = 1 / (key.target.learningPriorSD * key.target.learningPriorSD)
            let precision = numbers.reduce(0.0) { $0 + $1.precision! }
            let weighted = numbers.reduce(0.0) { $0 + $1.precision! * $1.logEstimate! }
            result.value = exp(min(max(weighted / (precision + prior), -multiplierBound), multiplierBound))
            fusedSD = (1 / (precision + prior)).squareRoot()
        } else {
            result.value = exp(mean { log($0.adjustment.value) })
        }
        let evidence = numbers.compactMap(\.adjustment.evidence)
        if evidence.count == numbers.count {
            let precision = evidence.reduce(0.0) { $0 + 1 / max($1.posteriorSD * $1.posteriorSD, 1e-12) }
            result.evidence = TemplateAdjustment.Evidence(
                patients: numbers.reduce(0) { $0 + $1.patients },
                observations: evidence.reduce(0) { $0 + $1.observations },
                seedFigure: mean { $0.adjustment.evidence!.seedFigure },
                templateFigure: mean { $0.adjustment.evidence!.templateFigure },
                unshrunk: exp(mean { log(max($0.adjustment.evidence!.unshrunk, 1e-300)) }),
                posteriorSD: fusedSD ?? (1 / precision).squareRoot())
        }
        return result
    }
}

extension FederatedAveraging {
    /// The sites' combined noisy change of each coordinate (precision-weighted) and its noise variance.
    static func pooledChanges(_ releases: [SiteUpdate.PrivateRelease]) -> [(change: Double, variance: Double)] {
        releases[0].start.indices.map { i in
            let precision = releases.reduce(0.0) { $0 + 1 / ($1.noiseSD * $1.noiseSD) }
            let weighted = releases.reduce(0.0) { $0 + $1.change[i] / ($1.noiseSD * $1.noiseSD) }
            return (weighted / precision, 1 / precision)
        }
    }

    /// How far the private releases say the numbers really moved, beyond their noise: the SD of the
    /// true changes, `τ² = max(0, mean(Δ² − v))` over all coordinates of multipliers (and, apart,
    /// of mixes), an empirical-Bayes (James–Stein) estimate from the released values only.
    static func changeSpread(_ numbersByKey: [[SiteUpdate.Number]], keys: [AdjustmentKey])
        -> (multipliers: Double, mixes: Double) {
        var sums = [0.0, 0.0], counts = [0.0, 0.0]
        for (numbers, key) in zip(numbersByKey, keys) {
            let releases = numbers.compactMap(\.release)
            guard !releases.isEmpty, releases.count == numbers.count else { continue }
            let g = key.isMix ? 1 : 0
            for c in pooledChanges(releases) {
                sums[g] += c.change * c.change - c.variance
                counts[g] += 1
            }
        }
        return ((max(0, sums[0] / max(counts[0], 1))).squareRoot(), (max(0, sums[1] / max(counts[1], 1))).squareRoot())
    }

    /// Private releases of one number combined: each site's noisy change weighted by its noise
    /// precision, then shrunk towards no change by the spread `tau` of the true changes,
    /// `Δ = c · τ² / (τ² + v)`: the posterior mean of the change given the noisy releases, with the
    /// prior's SD estimated from them. It uses only what was released and the public noise SDs: it
    /// is post-processing, and spends no privacy. With nothing but noise released, τ is 0 and the
    /// model stays where it was.
    static func combinePrivate(_ releases: [SiteUpdate.PrivateRelease], like first: TemplateAdjustment,
                               key: AdjustmentKey, tau: Double) -> TemplateAdjustment {
        let start = releases[0].start
        let change = pooledChanges(releases).map { c in tau > 0 ? c.change * tau * tau / (tau * tau + c.variance) : 0 }
        var result = first
        result.evidence = nil
        if let male = first.male {
            let k = male.count
            result.male = CoordinateLayout.normalised((0..<k).map { start[$0] + change[$0] })
            result.female = CoordinateLayout.normalised((0..<k).map { start[k + $0] + change[k + $0] })
        } else if key.target == .sexMix {
            result.value = min(max(start[0] + change[0], 0.01), 0.99)
        } else {
            result.value = exp(min(max(start[0] + change[0], -multiplierBound), multiplierBound))
        }
        return result
    }
}

extension TemplateAdjustment.Target {
    var isMixTarget: Bool {
        switch self {
        case .sexMix, .categoryMix: true
        default: false
        }
    }
}
