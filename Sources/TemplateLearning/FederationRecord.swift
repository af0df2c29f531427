/// How a federated learned template was made: which sites joined which rounds, with how many
/// patients, and how their numbers were combined. Kept in the model file, so that anyone
/// generating from it can see what it was learned from.
package struct FederationRecord: Sendable, Codable, Equatable {
    /// One site, by the pseudonymous label it chose.
    package struct Site: Sendable, Codable, Equatable {
        package var label: String
        /// Seed patients the site learned from in its last round.
        package var patients: Int
        /// The rounds (1-based) whose aggregate includes the site's update.
        package var rounds: [Int]
        /// What the site's updates disclosed besides the learned numbers.
        package var disclosure: String
        /// With differential privacy: the site's guarantee over the rounds it joined.
        package var privacy: SitePrivacyRecord?

        package init(label: String, patients: Int, rounds: [Int], disclosure: String,
                     privacy: SitePrivacyRecord? = nil) {
            self.label = label
            self.patients = patients
            self.rounds = rounds
            self.disclosure = disclosure
            self.privacy = privacy
        }
    }

    /// Rounds aggregated so far (0: the starting model).
    package var round: Int
    package var aggregation: String
    package var sites: [Site]
    /// The bins every site cuts continuous attributes into, by attribute id.
    package var attributeEdges: [String: [Double]]
    /// What the starting model was (the template alone, or a model file and its digest).
    package var start: String

    package init(round: Int, aggregation: String, sites: [Site], attributeEdges: [String: [Double]], start: String) {
        self.round = round
        self.aggregation = aggregation
        self.sites = sites
        self.attributeEdges = attributeEdges
        self.start = start
    }
}

/// What a site's private updates spent: its budget, each round's noise, and the composed loss.
package struct SitePrivacyRecord: Sendable, Codable, Equatable {
    package var budgetEpsilon: Double
    package var delta: Double
    /// The noise multiplier (noise SD over sensitivity) of each round the site joined, in order.
    package var noiseMultipliers: [Double]
    /// ε at `delta` of all those rounds composed (RDP accountant).
    package var epsilon: Double
    /// The L2 bound on one group's change, and the groups the site's patients were hashed into.
    package var clip: Double
    package var groups: Int

    package init(budgetEpsilon: Double, delta: Double, noiseMultipliers: [Double], epsilon: Double, clip: Double,
                 groups: Int) {
        self.budgetEpsilon = budgetEpsilon
        self.delta = delta
        self.noiseMultipliers = noiseMultipliers
        self.epsilon = epsilon
        self.clip = clip
        self.groups = groups
    }
}
