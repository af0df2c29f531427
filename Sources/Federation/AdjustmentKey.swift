import DiseaseModeling

/// Which template number an adjustment sets: its target and for whom. Two adjustments with one
/// key act on the same number (multipliers multiply; a mix replaces the one before).
struct AdjustmentKey: Hashable, Sendable {
    var target: TemplateAdjustment.Target
    var condition: TemplateAdjustment.Condition

    init(_ a: TemplateAdjustment) {
        target = a.target
        condition = a.condition
    }

    /// Whether the adjustment gives a value (a mix) rather than a multiplier.
    var isMix: Bool { target.isMixTarget }
}

extension [TemplateAdjustment] {
    /// One adjustment per key, in order of first appearance, with the same effect on a template as
    /// the whole list: multipliers of one key multiplied, the last mix of a key kept. The evidence
    /// is the last adjustment's, and so is a mix's prior unless an earlier one of its key had one.
    func combinedByKey() -> [TemplateAdjustment] {
        var order: [AdjustmentKey] = []
        var combined: [AdjustmentKey: TemplateAdjustment] = [:]
        for a in self {
            let key = AdjustmentKey(a)
            guard var existing = combined[key] else {
                order.append(key)
                combined[key] = a
                continue
            }
            if key.isMix {
                let prior = existing.prior
                existing = a
                existing.prior = prior
            } else {
                existing.value *= a.value
                existing.evidence = a.evidence ?? existing.evidence
            }
            combined[key] = existing
        }
        return order.map { combined[$0]! }
    }
}
