import DiseaseModeling
import Timelines

/// A chosen cohort composition by sex and categorical attributes (phenotype, genotype), for
/// users who must correct a registry's bias: each patient is assigned a stratum, its sex and
/// attribute values are fixed to it, and everything else is drawn from the template's
/// distribution given those values, so that within-group distributions are not distorted.
package struct Composition: Sendable, Equatable {
    package struct Variable: Sendable, Equatable {
        /// The attribute balanced, or nil for sex.
        package var attribute: Int?
        /// Target share of each value (sex: male, female; an attribute: its values in order).
        package var shares: [Double]
    }

    package var variables: [Variable]
    private var strata: [(values: [Int], cumulative: Double)] = []

    package static func == (a: Composition, b: Composition) -> Bool { a.variables == b.variables }

    package init(variables: [Variable]) {
        self.variables = variables
        var strata: [(values: [Int], share: Double)] = [([], 1)]
        for variable in variables {
            strata = strata.flatMap { stratum in
                variable.shares.enumerated().compactMap { v, share in
                    share > 0 ? (stratum.values + [v], stratum.share * share) : nil
                }
            }
        }
        var cumulative = 0.0
        self.strata = strata.map { cumulative += $0.share; return ($0.values, cumulative) }
    }

    /// A named population's composition: its sex ratio and attribute mixes.
    package init(population variant: PopulationVariant) {
        var variables: [Variable] = []
        if let male = variant.maleProbability { variables.append(Variable(attribute: nil, shares: [male, 1 - male])) }
        variables += variant.mixes.map { Variable(attribute: $0.attribute, shares: $0.shares) }
        self.init(variables: variables)
    }

    /// This composition with `other`'s variables in place of any it balances too.
    package func overridden(by other: Composition) -> Composition {
        let kept = variables.filter { v in !other.variables.contains { $0.attribute == v.attribute } }
        return Composition(variables: kept + other.variables)
    }

    /// The stratum of patient `index`: the value index of each variable. Patients are spread over
    /// the strata by a golden-ratio sequence, so any run of n patients is within a few patients
    /// of the target shares (not just in expectation).
    package func stratum(for index: Int) -> [Int] {
        let u = (Double(index) + 1) * 0.618_033_988_749_894_8
        let x = (u - u.rounded(.down)) * (strata.last?.cumulative ?? 1)
        return (strata.first { x < $0.cumulative } ?? strata.last)?.values ?? []
    }

    /// Parses `sex=0.5` (the male share), `sex=male:0.4,female:0.6`, `phenotype=classic:0.5,later-onset:0.5`;
    /// several variables separated by spaces or semicolons. Shares of a variable must sum to 1.
    package static func parse(_ text: String, template: DiseaseTemplate) throws(CompositionError) -> Composition {
        var variables: [Variable] = []
        for part in text.split(whereSeparator: { $0 == " " || $0 == ";" }) {
            let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pieces.count == 2 else {
                throw CompositionError("'\(part)' is not NAME=SHARES (e.g. sex=0.5 "
                    + "or phenotype=classic:0.5,later-onset:0.5)")
            }
            let (name, spec) = (pieces[0], pieces[1])
            let values: [String]
            let attribute: Int?
            if name == "sex" {
                values = ["male", "female"]
                attribute = nil
            } else if let a = template.attributeIndex(name), template.attributes[a].isCategorical {
                values = template.attributes[a].categoryValues
                attribute = a
            } else {
                let names = ["sex"] + template.attributes.filter(\.isCategorical).map(\.id)
                throw CompositionError("cannot balance '\(name)'; balanceable: \(names.joined(separator: ", "))")
            }
            var shares = [Double](repeating: 0, count: values.count)
            if name == "sex", let male = Double(spec) {
                shares = [male, 1 - male]
            } else {
                for entry in spec.split(separator: ",") {
                    let kv = entry.split(separator: ":", maxSplits: 1).map(String.init)
                    guard kv.count == 2, let share = Double(kv[1]) else {
                        throw CompositionError("'\(entry)' is not VALUE:SHARE")
                    }
                    guard let v = values.firstIndex(of: kv[0]) else {
                        throw CompositionError("'\(kv[0])' is not a value of \(name) "
                            + "(\(values.joined(separator: ", ")))")
                    }
                    shares[v] = share
                }
            }
            guard shares.allSatisfy({ $0 >= 0 && $0 <= 1 }), abs(shares.reduce(0, +) - 1) < 1e-6 else {
                throw CompositionError("the shares of \(name) must lie in 0…1 "
                    + "and sum to 1 (got \(shares.reduce(0, +)))")
            }
            if variables.contains(where: { $0.attribute == attribute }) {
                throw CompositionError("\(name) is balanced twice")
            }
            variables.append(Variable(attribute: attribute, shares: shares))
        }
        guard !variables.isEmpty else { throw CompositionError("empty composition") }
        return Composition(variables: variables)
    }

    /// A readable description: `sex male 50 %, female 50 %`.
    package func describe(_ template: DiseaseTemplate) -> String {
        variables.map { v in
            let values = v.attribute.map { template.attributes[$0].categoryValues } ?? ["male", "female"]
            let name = v.attribute.map { template.attributes[$0].id } ?? "sex"
            return name + " "
                + zip(values, v.shares).map { "\($0) \(Int(($1 * 1000).rounded()) / 10) %" }.joined(separator: ", ")
        }.joined(separator: "; ")
    }
}

/// A composition that cannot be used: names what is wrong.
package struct CompositionError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
