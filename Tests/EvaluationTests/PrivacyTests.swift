import DiseaseModeling
import Evaluation
import Learning
import Simulation
import Testing
import Timelines

/// A likelihood that knows who the members are: they score 0, everyone else 1.
struct MemberLikelihood: RecordLikelihood {
    let members: Set<String>
    func negativeLogLikelihoods(_ timelines: [PatientTimeline]) -> [Double] {
        timelines.map { members.contains($0.id) ? 0 : 1 }
    }
}

/// Known answers for the privacy figures: copied records, independent samples.
@Suite struct PrivacyTests {
    static let seed = Fixtures.registry(count: 120, seed: 31)
    static let holdout = Fixtures.registry(count: 120, seed: 32)

    @Test func copiedRecordsAreCaught() throws {
        let copied = Array(Self.seed.prefix(40))
        let synthetic = copied + Fixtures.registry(count: 80, seed: 33)
        let input = EvaluationInput(template: Fixtures.gaucher, real: Self.seed, synthetic: synthetic,
                                    holdout: Self.holdout,
                                    likelihood: MemberLikelihood(members: Set(Self.seed.map(\.id))))
        let e = Evaluation(input, options: Fixtures.options())
        #expect(e.metric("copies")?.value == 40)
        #expect(e.metric("copies")?.baseline == 0)
        #expect(e.metric("dcr.p5")?.value == 0)
        #expect(try #require(e.metric("dcr.share-below-holdout-p5")?.value) >= 40.0 / 120)
        // 40 of 120 members have a copy (score 0, above every non-member): AUC ≥ 1/3 · 1 + 2/3 · ~0.5.
        let mia = try #require(e.metric("mia.distance.auc")?.value)
        #expect(mia > 0.62, "distance MIA AUC \(mia)")
        #expect(e.metric("mia.likelihood.auc")?.value == 1)
        let nnaa = try #require(e.metric("nnaa.privacy-loss")?.value)
        #expect(nnaa > 0.1, "NNAA privacy loss \(nnaa)")
        #expect(e.headlines.first { $0.metric == "copies" }?.flag == .red)
    }

    @Test func identicalDataAreAllCopies() throws {
        let e = Evaluation(EvaluationInput(template: Fixtures.gaucher, real: Self.seed, synthetic: Self.seed,
                                           holdout: Self.holdout),
                           options: Fixtures.options())
        #expect(e.metric("copies")?.value == Double(Self.seed.count))
        #expect(e.metric("dcr.median")?.value == 0)
        #expect(e.metric("nnaa.train")?.value == 0)
        #expect(e.metric("mia.distance.auc")?.value == 1)
    }

    @Test func independentSampleLeaksNoMembership() throws {
        let synthetic = Fixtures.registry(count: 240, seed: 34)
        let e = Evaluation(EvaluationInput(template: Fixtures.gaucher, real: Self.seed, synthetic: synthetic,
                                           holdout: Self.holdout),
                           options: Fixtures.options())
        let mia = try #require(e.metric("mia.distance.auc")?.value)
        let se = try #require(e.metric("mia.distance.auc.se")?.value)
        #expect(abs(mia - 0.5) < 3 * se, "distance MIA AUC \(mia) ± \(se)")
        #expect(e.metric("copies")?.value == 0)
        let nnaa = try #require(e.metric("nnaa.privacy-loss")?.value)
        #expect(abs(nnaa) < 0.1)
        let advantage = try #require(e.metric("attribute-inference.genotype.advantage")?.value)
        #expect(abs(advantage) < 0.15, "attribute-inference advantage \(advantage)")
        let closer = try #require(e.metric("dcr.closer-to-seed-share")?.value)
        #expect(abs(closer - 0.5) < 0.1)
    }

    @Test func adversarialAccuracyAndNeighboursOnAToyMatrix() {
        // Points on a line: 0, 1, 3 against 0.1, 1.2, 3.5.
        let a = FeatureMatrix(rows: 3, columns: 1, values: [0, 1, 3])
        let b = FeatureMatrix(rows: 3, columns: 1, values: [0.1, 1.2, 3.5])
        let nearest = NearestNeighbours.nearest(from: a, to: b)
        #expect(nearest.map(\.index) == [0, 1, 2])
        #expect(abs(nearest[2].distance - 0.5) < 1e-12)
        let loo = NearestNeighbours.distances(from: a, to: a, excludingSelf: true)
        #expect(loo == [1, 1, 2])
        // A column mask ignores the other features.
        let x = FeatureMatrix(rows: 1, columns: 2, values: [0, 100])
        let y = FeatureMatrix(rows: 2, columns: 2, values: [5, 100, 1, -100])
        #expect(NearestNeighbours.nearest(from: x, to: y, columns: [0]).first?.index == 1)
    }

    @Test func modelLikelihoodIsTheDeterministicNegativeELBO() throws {
        let template = Fixtures.gaucher
        let concepts = TemplateConcepts(template)
        let timelines = Array(Self.seed.prefix(6))
        let sequences = timelines.map { PatientSequence(timeline: $0, template: template, concepts: concepts) }
        let model = SequenceVAE(schema: SequenceSchema.fit(template: template, sequences: sequences),
                                configuration: ModelConfiguration(hidden: 8, latent: 2), seed: 5)
        let likelihood = SequenceModelLikelihood(model: model, template: template, threads: 2)
        let scores = likelihood.negativeLogLikelihoods(timelines)
        try #require(scores.count == 6)
        #expect(scores.allSatisfy { $0.isFinite })
        #expect(scores == likelihood.negativeLogLikelihoods(timelines))
        var workspace = PassWorkspace()
        let encoder = FeatureEncoder(schema: model.schema, template: template)
        let direct = model.loss([encoder.encode(sequences[0])], noise: [0, 0], parameters: model.store.values,
                                workspace: &workspace).total
        #expect(scores[0] == direct)
    }
}
