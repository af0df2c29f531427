import DiseaseModeling
import Timelines

/// Patient feature vectors in row-major order.
package struct FeatureMatrix: Sendable {
    package var rows: Int
    package var columns: Int
    package var values: [Double]

    package init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "feature matrix size")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    package func row(_ i: Int) -> ArraySlice<Double> { values[(i * columns)..<((i + 1) * columns)] }

    package func column(_ j: Int) -> [Double] { (0..<rows).map { values[$0 * columns + j] } }

    /// The rows `indices`, in that order.
    package func selecting(rows indices: [Int]) -> FeatureMatrix {
        var out: [Double] = []
        out.reserveCapacity(indices.count * columns)
        for i in indices { out += row(i) }
        return FeatureMatrix(rows: indices.count, columns: columns, values: out)
    }

    /// Rows of `self` followed by rows of `other`.
    package func appending(_ other: FeatureMatrix) -> FeatureMatrix {
        precondition(other.columns == columns, "feature matrix columns")
        return FeatureMatrix(rows: rows + other.rows, columns: columns, values: values + other.values)
    }
}

/// The patient-level feature vector used by detection, distances, membership and attribute
/// inference, standardised with the real (seed) records' means and standard deviations.
///
/// Per window: age at the first visit; years since diagnosis at the first visit (with a
/// missing flag); sex (1 = male); per categorical attribute one indicator per value and a
/// missing flag; per continuous attribute its value and a missing flag; per measure the mean
/// and the least-squares slope per year of the observed values, each with a missing flag (a
/// slope needs two values half a year apart); per recorded event a flag (recorded by the
/// window's end); per treatment a flag (started by the window's end); the number of visits;
/// the mean gap between visits in years (with a missing flag for a single visit). A missing
/// value is imputed with the seed mean of that feature before standardising; every column,
/// flags included, is then centred and scaled by the seed mean and SD (SD 0 → 1).
package struct FeatureSpace: Sendable {
    /// Column names, unique.
    package let names: [String]
    /// Per template attribute: the columns that carry it (values and missing flag).
    package let attributeColumns: [[Int]]
    /// The sex column.
    package let sexColumn: Int
    /// Seed means and SDs of the raw columns, and the values that impute missing ones.
    package let standardiser: Standardiser
    let template: DiseaseTemplate
    /// Template events that appear in records (`record != none`).
    let recordedEvents: [Int]

    /// The feature space of `template`, standardised on `reference` (the seed windows).
    package init(template: DiseaseTemplate, reference: [PatientWindow]) {
        self.template = template
        let recorded = template.events.indices.filter { template.events[$0].record != .none }
        recordedEvents = recorded
        var (names, attributeColumns) = PatientWindow.baselineFeatureNames(template)
        sexColumn = 3
        for m in template.measures {
            names += ["\(m.id) mean", "\(m.id) mean missing", "\(m.id) slope", "\(m.id) slope missing"]
        }
        names += recorded.map { "\(template.events[$0].id) recorded" }
        names += template.treatments.map { "\($0.id) started" }
        names += ["visits", "mean gap", "mean gap missing"]
        self.names = names
        self.attributeColumns = attributeColumns
        // Imputation and standardisation come from the seed records alone.
        standardiser = Standardiser(reference: reference.map { Self.raw($0, template: template,
                                                                        recordedEvents: recorded) },
                                    columns: names.count)
    }

    package var dimension: Int { names.count }

    /// The raw features of a window, NaN where missing (flags are never missing).
    static func raw(_ w: PatientWindow, template: DiseaseTemplate, recordedEvents: [Int]) -> [Double] {
        var f = w.baselineFeatures(template)
        for m in template.measures.indices {
            if let mean = w.mean(m) { f += [mean, 0] } else { f += [.nan, 1] }
            if let slope = w.slope(m) { f += [slope, 0] } else { f += [.nan, 1] }
        }
        for e in recordedEvents { f.append(w.eventAges[e] == nil ? 0 : 1) }
        for t in template.treatments.indices { f.append(w.treatedByEnd(t) ? 1 : 0) }
        f.append(Double(w.visits.count))
        let gaps = w.gaps
        if gaps.isEmpty { f += [.nan, 1] } else { f += [gaps.reduce(0, +) / Double(gaps.count), 0] }
        return f
    }

    /// The standardised, imputed features of `windows`.
    package func matrix(_ windows: [PatientWindow]) -> FeatureMatrix {
        standardiser.apply(windows.map { Self.raw($0, template: template, recordedEvents: recordedEvents) })
    }
}

/// Imputes missing values (NaN) with the reference mean of the observed values, then centres
/// and scales every column by the reference mean and SD (SD 0 → 1).
package struct Standardiser: Sendable {
    package let imputation: [Double]
    package let means: [Double]
    package let deviations: [Double]

    /// Means and SDs of `reference` rows of `columns` raw values.
    package init(reference rows: [[Double]], columns p: Int) {
        var imputation = [Double](repeating: 0, count: p)
        for j in 0..<p {
            let observed = rows.compactMap { $0[j].isNaN ? nil : $0[j] }
            imputation[j] = observed.isEmpty ? 0 : observed.reduce(0, +) / Double(observed.count)
        }
        var means = imputation, deviations = [Double](repeating: 1, count: p)
        let n = Double(rows.count)
        if rows.count > 1 {
            for j in 0..<p {
                let column = rows.map { $0[j].isNaN ? imputation[j] : $0[j] }
                let mean = column.reduce(0, +) / n
                let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
                means[j] = mean
                deviations[j] = variance > 1e-24 ? variance.squareRoot() : 1
            }
        }
        self.imputation = imputation
        self.means = means
        self.deviations = deviations
    }

    /// The standardised, imputed rows.
    package func apply(_ rows: [[Double]]) -> FeatureMatrix {
        let p = means.count
        var values: [Double] = []
        values.reserveCapacity(rows.count * p)
        for raw in rows {
            for j in 0..<p {
                let x = raw[j].isNaN ? imputation[j] : raw[j]
                values.append((x - means[j]) / deviations[j])
            }
        }
        return FeatureMatrix(rows: rows.count, columns: p, values: values)
    }
}
