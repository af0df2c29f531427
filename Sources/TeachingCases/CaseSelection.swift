/// Which difficulty of cases a set should hold.
package enum DifficultyChoice: String, Sendable, CaseIterable {
    case typical
    case atypical
    /// Half atypical (rounded down), half typical.
    case mixed
}

/// Picks records for a set of cases that covers the range of a disease: typical cases spread over
/// the ways patients present, atypical cases over the atypical features, each taken in pool order.
package struct CaseSelection {
    /// What selection needs to know about one candidate record.
    package struct Candidate: Sendable {
        package var index: Int
        package var difficulty: CaseDifficulty
        package var presentation: String
        package var atypicalFeatures: [String]
    }

    package let featureOrder: [String]
    package let presentationOrder: [String]

    package init(material: CaseMaterial) {
        featureOrder = material.features.filter(\.atypical).map(\.id)
        presentationOrder = material.presentations.map(\.id)
    }

    /// How many typical and atypical cases `count` cases of `choice` hold.
    package static func quota(_ count: Int, _ choice: DifficultyChoice) -> (typical: Int, atypical: Int) {
        switch choice {
        case .typical: (count, 0)
        case .atypical: (0, count)
        case .mixed: (count - count / 2, count / 2)
        }
    }

    /// Candidate indices for the quota, in pool order; fewer when the pool lacks them.
    package func choose(_ candidates: [Candidate], typical: Int, atypical: Int) -> [Int] {
        let typicalOnes = candidates.filter { $0.difficulty == .typical }
        let atypicalOnes = candidates.filter { $0.difficulty == .atypical }
        let a = roundRobin(atypicalOnes, want: atypical, keys: featureOrder) { $0.atypicalFeatures }
        let t = roundRobin(typicalOnes, want: typical, keys: presentationOrder) { [$0.presentation] }
        return (a + t).sorted()
    }

    /// Takes candidates key by key in turn (the next unused one that has the key), then any left.
    private func roundRobin(_ pool: [Candidate], want: Int, keys: [String], _ has: (Candidate) -> [String]) -> [Int] {
        var chosen: [Int] = []
        var used = Set<Int>()
        var progress = true
        while chosen.count < want && progress {
            progress = false
            for key in keys where chosen.count < want {
                if let c = pool.first(where: { !used.contains($0.index) && has($0).contains(key) }) {
                    used.insert(c.index)
                    chosen.append(c.index)
                    progress = true
                }
            }
        }
        for c in pool where chosen.count < want && !used.contains(c.index) {
            used.insert(c.index)
            chosen.append(c.index)
        }
        return chosen
    }
}

extension CaseWriter {
    /// What selection needs of record `r` (pool position `index`), or nil when no case can be
    /// written from it.
    package func candidate(_ r: CaseRecord, index: Int) -> CaseSelection.Candidate? {
        guard isSuitable(r), write(r, number: 0) != nil else { return nil }
        let presentation = material.presentations.first { r.holds($0.when) }?.id ?? ""
        return .init(index: index, difficulty: difficulty(of: r), presentation: presentation,
                     atypicalFeatures: features(of: r).filter(\.atypical).map(\.id))
    }
}
