import Plotting
import Randomness
import Statistics

/// Privacy: what the synthetic records reveal about the seed patients they were made from.
///
/// Every check here uses distances between patient feature vectors (`FeatureSpace`), except the
/// likelihood attack, which uses the model. Passing them is not proof of privacy: they test
/// particular attacks, not all attacks; differential privacy in training is what bounds every
/// attack.
enum Privacy {
    struct Matrices {
        let seed: FeatureMatrix
        let synthetic: FeatureMatrix
        let holdout: FeatureMatrix?
    }

    /// Distances to the closest seed record, and exact or near-exact copies.
    static func closestRecords(_ x: Matrices, tolerance: Double) -> (metrics: [Metric], figures: [ReportFigure]) {
        let dS = NearestNeighbours.distances(from: x.synthetic, to: x.seed)
        let dH = x.holdout.map { NearestNeighbours.distances(from: $0, to: x.seed) }
        var out = [
            Metric(.privacy, "dcr.median", value: Compare.quantile(dS, 0.5),
                   baseline: dH.flatMap { Compare.quantile($0, 0.5) },
                   definition: "Median distance from a synthetic record to its closest seed record (DCR; standardised "
                       + "feature units); the baseline is the same for holdout records."),
            Metric(.privacy, "dcr.p5", value: Compare.quantile(dS, 0.05),
                   baseline: dH.flatMap { Compare.quantile($0, 0.05) },
                   definition: "5th percentile of the distances from synthetic records to their closest seed record; "
                       + "baseline: of holdout records to their closest seed record."),
        ]
        if let dH, let p5 = Compare.quantile(dH, 0.05), let closest = dH.min() {
            out.append(Metric(.privacy, "dcr.share-below-holdout-p5", value: share(dS) { $0 < p5 }, baseline: 0.05,
                              definition: "Share of synthetic records closer to a seed record than the 5th percentile "
                                  + "of holdout-to-seed distances (≈ 0.05 when synthetic records are no closer to "
                                  + "the seed than new real patients are)."))
            out.append(Metric(.privacy, "dcr.share-closer-than-closest-holdout", value: share(dS) { $0 < closest },
                              definition: "Share of synthetic records closer to a seed "
                                  + "record than the closest holdout record is."))
            if let h = x.holdout {
                // Compare with equally many seed and holdout records, so that neither wins by number.
                var rng = RandomStream(seed: 17, stream: 0x4443_5253)
                let n = min(x.seed.rows, h.rows)
                let s = x.seed.selecting(rows: rng.shuffledIndices(x.seed.rows).prefix(n).sorted())
                let hh = h.selecting(rows: rng.shuffledIndices(h.rows).prefix(n).sorted())
                let toSeed = NearestNeighbours.distances(from: x.synthetic, to: s)
                let toHoldout = NearestNeighbours.distances(from: x.synthetic, to: hh)
                let closer = Double(zip(toSeed, toHoldout).filter { $0 < $1 }.count)
                    + 0.5 * Double(zip(toSeed, toHoldout).filter { $0 == $1 }.count)
                out.append(Metric(.privacy, "dcr.closer-to-seed-share", value: closer / Double(max(1, toSeed.count)),
                                  baseline: 0.5,
                                  definition: "Share of synthetic records whose closest seed record is closer than "
                                      + "their closest holdout record (\(n) of each; ties count half). 0.5 = the "
                                      + "synthetic records are no closer to the patients they were made from than "
                                      + "to others."))
            }
        }
        let copies = dS.filter { $0 <= tolerance }.count
        out.append(Metric(.privacy, "copies", value: Double(copies),
                          baseline: dH.map { Double($0.filter { $0 <= tolerance }.count) },
                          definition: "Synthetic records at distance ≤ the tolerance from a seed record: exact or "
                              + "near-exact copies (must be 0). Baseline: holdout records that close to a "
                              + "seed record."))
        out.append(Metric(.privacy, "copies.tolerance", value: tolerance,
                          definition: "The copy tolerance: a Euclidean distance in standardised feature units (0.01 × "
                              + "√dimension: a root-mean-square difference below 1% of an SD per feature)."))
        var samples = [HistogramSample(name: "synthetic → seed", values: dS)]
        if let dH { samples.append(HistogramSample(name: "holdout → seed", values: dH)) }
        let figure = ReportFigure(section: .privacy, title: "Distance to the closest seed record",
                                  svg: HistogramChart(title: "Distance to the closest seed record",
                                                      xLabel: "Euclidean distance (standardised features)",
                                                      samples: samples, size: ChartSize(width: 520, height: 340)).svg(),
                                  caption: "If synthetic records sat much closer to seed records "
                                      + "than holdout records do, they would be copying patients.")
        return (out, [figure])
    }

    static func share(_ x: [Double], _ predicate: (Double) -> Bool) -> Double? {
        x.isEmpty ? nil : Double(x.filter(predicate).count) / Double(x.count)
    }

    /// Nearest-neighbour adversarial accuracy (Yale et al. 2020) of target records `t` against
    /// `s`, on equally many records of each (subsampled at random):
    /// `½ [P(d_TS > d_TT) + P(d_ST > d_SS)]`, where `d_TS` is a target record's distance to the
    /// closest `s` record and `d_TT` to the closest other target record. 0.5 = an adversary
    /// cannot tell the samples apart by nearest neighbours; near 0 = records sit on each other.
    static func adversarialAccuracy(_ t: FeatureMatrix, _ s: FeatureMatrix, seed: UInt64) -> Double? {
        var rng = RandomStream(seed: seed, stream: 0x4E4E_4141)
        let n = min(t.rows, s.rows)
        guard n >= 2 else { return nil }
        let a = t.selecting(rows: rng.shuffledIndices(t.rows).prefix(n).sorted())
        let b = s.selecting(rows: rng.shuffledIndices(s.rows).prefix(n).sorted())
        let ab = NearestNeighbours.distances(from: a, to: b),
            aa = NearestNeighbours.distances(from: a, to: a, excludingSelf: true)
        let ba = NearestNeighbours.distances(from: b, to: a),
            bb = NearestNeighbours.distances(from: b, to: b, excludingSelf: true)
        let first = Double(zip(ab, aa).filter { $0 > $1 }.count) / Double(n)
        let second = Double(zip(ba, bb).filter { $0 > $1 }.count) / Double(n)
        return (first + second) / 2
    }

    static func adversarialAccuracyMetrics(_ x: Matrices, seed: UInt64) -> [Metric] {
        let train = adversarialAccuracy(x.seed, x.synthetic, seed: seed)
        let realReal = x.holdout.flatMap { adversarialAccuracy(x.seed, $0, seed: seed) }
        var out = [Metric(.privacy, "nnaa.train", value: train, baseline: realReal,
                          definition: "Nearest-neighbour adversarial accuracy (Yale et al. 2020) between seed and "
                              + "synthetic records; baseline: between seed and holdout records. 0.5 is ideal; far "
                              + "below 0.5 means synthetic records sit on seed records.")]
        if let h = x.holdout {
            let test = adversarialAccuracy(h, x.synthetic, seed: seed)
            out.append(Metric(.privacy, "nnaa.test", value: test,
                              definition: "Nearest-neighbour adversarial accuracy "
                                  + "between holdout and synthetic records."))
            out.append(Metric(.privacy, "nnaa.privacy-loss", value: test.flatMap { t in train.map { t - $0 } },
                              definition: "NNAA privacy loss: adversarial accuracy against holdout minus against seed "
                                  + "records (≈ 0 when the synthetic records are no closer to the seed than to new "
                                  + "patients)."))
        }
        return out
    }

    /// Membership inference by distance: seed records (members) and holdout records
    /// (non-members) scored by minus their distance to the closest synthetic record.
    static func distanceMembership(_ x: Matrices) -> [Metric] {
        guard let h = x.holdout else {
            return [Metric(.privacy, "mia.distance.auc", value: nil,
                           definition: "Distance-based membership inference needs --holdout (non-members).")]
        }
        let members = NearestNeighbours.distances(from: x.seed, to: x.synthetic).map { -$0 }
        let others = NearestNeighbours.distances(from: h, to: x.synthetic).map { -$0 }
        let auc = (try? TwoSample.auc(positives: members, negatives: others)).map(ScoredAUC.init)
        return [
            Metric(.privacy, "mia.distance.auc", value: auc?.auc, baseline: 0.5,
                   definition: "Membership-inference AUC of an attacker who scores a record by minus its distance to "
                       + "the closest synthetic record: seed records (members) against holdout records (non-members). "
                       + "0.5 = no membership signal."),
            Metric(.privacy, "mia.distance.auc.se", value: auc?.standardError,
                   definition: "DeLong standard error of the distance-based membership AUC."),
        ]
    }

    /// Membership inference by the model's likelihood: score = minus the negative ELBO per visit.
    static func likelihoodMembership(members: [Double], others: [Double]) -> [Metric] {
        let auc = (try? TwoSample.auc(positives: members.map { -$0 }, negatives: others.map { -$0 }))
            .map(ScoredAUC.init)
        return [
            Metric(.privacy, "mia.likelihood.auc", value: auc?.auc, baseline: 0.5,
                   definition: "Membership-inference AUC of an attacker with the model, who scores a record by its "
                       + "likelihood per visit (minus the negative ELBO with the latent code at its posterior mean, "
                       + "over the number of visits): seed records (members) against holdout records (non-members). "
                       + "Differences between the two halves that have nothing to do with training also move it; see "
                       + "the calibrated attack."),
            Metric(.privacy, "mia.likelihood.auc.se", value: auc?.standardError,
                   definition: "DeLong standard error of the likelihood membership AUC."),
        ]
    }

    /// The reference-model (calibrated) likelihood attack: score = NLL_reference − NLL_model per visit.
    static func calibratedLikelihoodMembership(members: [Double], others: [Double]) -> [Metric] {
        let auc = (try? TwoSample.auc(positives: members, negatives: others)).map(ScoredAUC.init)
        return [
            Metric(.privacy, "mia.calibrated-likelihood.auc", value: auc?.auc, baseline: 0.5,
                   definition: "Membership-inference AUC of an attacker with the model and a reference model that saw "
                       + "none of the real records (the template's shipped model by default), who scores a record by "
                       + "how much more likely the model finds it than the reference does, per visit (Carlini et al. "
                       + "2022, a one-reference LiRA): seed records against holdout records. It removes what makes a "
                       + "record likely in itself, so what is left is what training on it did."),
            Metric(.privacy, "mia.calibrated-likelihood.auc.se", value: auc?.standardError,
                   definition: "DeLong standard error of the calibrated likelihood membership AUC."),
        ]
    }
}
