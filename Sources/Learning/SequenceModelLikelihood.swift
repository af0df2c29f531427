import DiseaseModeling
import Parallelism
import Simulation
import Timelines

/// The trained sequence model's negative ELBO of each record, with the latent code at its
/// posterior mean (deterministic): what an attacker holding the model would compute.
package struct SequenceModelLikelihood: RecordLikelihood {
    package let model: SequenceVAE
    package let template: DiseaseTemplate
    package let concepts: TemplateConcepts
    package var threads: Int

    package init(model: SequenceVAE, template: DiseaseTemplate, threads: Int = defaultThreadCount) {
        self.model = model
        self.template = template
        concepts = TemplateConcepts(template)
        self.threads = threads
    }

    /// The model of a checkpoint file, checked against the template.
    package init(checkpoint path: String, template: DiseaseTemplate,
                 threads: Int = defaultThreadCount) throws(CheckpointError) {
        let checkpoint = try ModelCheckpoint.read(from: path, template: template)
        self.init(model: try checkpoint.model(), template: template, threads: threads)
    }

    package func negativeLogLikelihoods(_ timelines: [PatientTimeline]) -> [Double] {
        let encoder = FeatureEncoder(schema: model.schema, template: template)
        let noise = [Float](repeating: 0, count: model.configuration.latent)
        let (model, template, concepts) = (self.model, self.template, self.concepts)
        return parallelMap(count: timelines.count, threads: threads) { i in
            let sequence = PatientSequence(timeline: timelines[i], template: template, concepts: concepts)
            guard !sequence.visits.isEmpty else { return .nan }
            var workspace = PassWorkspace()
            return model.loss([encoder.encode(sequence)], noise: noise, parameters: model.store.values,
                              workspace: &workspace).total
        }
    }
}
