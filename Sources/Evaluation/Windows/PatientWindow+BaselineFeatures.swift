import DiseaseModeling

extension PatientWindow {
    /// Names of `baselineFeatures(_:)`, in order, and per attribute the columns it takes.
    static func baselineFeatureNames(_ template: DiseaseTemplate) -> (names: [String], attributeColumns: [[Int]]) {
        var names = ["age at first visit", "years since diagnosis at first visit", "years since diagnosis missing",
                     "male"]
        var columns: [[Int]] = []
        for a in template.attributes {
            let start = names.count
            names += a.isCategorical ? a.categoryValues.map { "\(a.id) = \($0)" } : [a.id]
            names.append("\(a.id) missing")
            columns.append(Array(start..<names.count))
        }
        return (names, columns)
    }

    /// What a window says about the patient at its start: age, years since diagnosis, sex and each
    /// attribute (one-hot or value), each missing value as NaN with a flag beside it.
    func baselineFeatures(_ template: DiseaseTemplate) -> [Double] {
        var f: [Double] = [startAge]
        if let d = durationAtStart { f += [d, 0] } else { f += [.nan, 1] }
        f.append(sex == .male ? 1 : 0)
        for (a, attribute) in template.attributes.enumerated() {
            if attribute.isCategorical {
                var onehot = [Double](repeating: 0, count: attribute.categoryValues.count)
                if let c = categories[a], c < onehot.count { onehot[c] = 1 }
                f += onehot + [categories[a] == nil ? 1 : 0]
            } else if let x = numbers[a] {
                f += [x, 0]
            } else {
                f += [.nan, 1]
            }
        }
        return f
    }
}
