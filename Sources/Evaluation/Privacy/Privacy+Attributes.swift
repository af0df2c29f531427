extension Privacy {
    /// The attribute an attacker tries to infer: the first categorical attribute with two or more
    /// values among the seed records, else sex.
    static func inferenceTarget(_ c: Cohorts, features: FeatureSpace)
        -> (name: String, label: (PatientWindow) -> Int?, hidden: [Int]) {
        for (a, attribute) in c.template.attributes.enumerated() where attribute.isCategorical {
            let seen = Set(c.real.compactMap { $0.categories[a] })
            if seen.count >= 2 { return (attribute.id, { $0.categories[a] }, features.attributeColumns[a]) }
        }
        return ("sex", { $0.sex == .male ? 1 : 0 }, [features.sexColumn])
    }

    /// Attribute inference: an attacker who knows a seed patient's other features looks up the
    /// closest synthetic record (on every feature except the attribute) and guesses its value.
    /// The baseline attacker does the same with holdout records instead: what any sample of
    /// other patients from the population would reveal.
    static func attributeInference(_ c: Cohorts, features: FeatureSpace, x: Matrices) -> [Metric] {
        let target = inferenceTarget(c, features: features)
        let visible = (0..<features.dimension).filter { !target.hidden.contains($0) }
        let seedIndices = c.real.indices.filter { target.label(c.real[$0]) != nil }
        let truth = seedIndices.map { target.label(c.real[$0])! }
        let queries = x.seed.selecting(rows: seedIndices)
        func accuracy(_ windows: [PatientWindow], _ matrix: FeatureMatrix) -> Double? {
            let known = windows.indices.filter { target.label(windows[$0]) != nil }
            guard !known.isEmpty, !seedIndices.isEmpty else { return nil }
            let nearest = NearestNeighbours.nearest(from: queries, to: matrix.selecting(rows: known), columns: visible)
            let right = zip(nearest, truth).filter { target.label(windows[known[$0.0.index]]) == $0.1 }.count
            return Double(right) / Double(truth.count)
        }
        let synthetic = accuracy(c.synthetic, x.synthetic)
        let baseline = c.holdout.flatMap { h in x.holdout.flatMap { accuracy(h, $0) } }
        var counts: [Int: Int] = [:]
        for t in truth { counts[t, default: 0] += 1 }
        let majority = truth.isEmpty ? nil : Double(counts.values.max() ?? 0) / Double(truth.count)
        var out = [
            Metric(.privacy, "attribute-inference.\(target.name).accuracy", value: synthetic, baseline: baseline,
                   definition: "Share of seed patients whose \(target.name) an attacker guesses right from the closest "
                       + "synthetic record (matched on all other features); baseline: guessing from the closest "
                       + "holdout record."),
            Metric(.privacy, "attribute-inference.\(target.name).majority", value: majority,
                   definition: "Share of seed patients in the most common \(target.name) "
                       + "class: what guessing that class for everyone achieves."),
        ]
        if let synthetic, let baseline {
            out.append(Metric(.privacy, "attribute-inference.\(target.name).advantage", value: synthetic - baseline,
                              definition: "Attribute-inference accuracy from the synthetic records minus from the "
                                  + "holdout records (≈ 0 or below when the synthetic records reveal no more about "
                                  + "the seed patients than other patients' records do)."))
        }
        return out
    }
}
