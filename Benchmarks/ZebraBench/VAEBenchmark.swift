import DiseaseModeling
import Foundation
import Learning
import NeuralNetworks
import Parallelism
import Randomness
import Serialization
import Simulation
import ZebraSupport

/// Training and sampling throughput of the sequence VAE, and the shapes for the PyTorch twin
/// (Benchmarks/pytorch_vae.py), which builds the same architecture on data of the same shapes.
struct VAEBenchmark {
    var disease = "fabry"
    var patients = 600
    var hiddenSizes = [64, 128]
    var latent = 8
    var batch = 32
    var epochs = 8
    var threadCounts = [1, 2]
    var samplePatients = 2000
    var models = "DiseaseModels"
    var shapesPath = "Output/bench/vae-shapes.json"

    func run() throws {
        let template = try TemplateLibrary(directory: models).template(id: disease)
        var options = SimulationOptions(seed: 7)
        options.registry = RegistryProtocol()
        let simulator = CohortSimulator(template: template, options: options)
        let sequences = simulator.patients(0..<patients).map {
            PatientSequence(timeline: $0.timeline, template: template, concepts: simulator.concepts)
        }.filter { !$0.visits.isEmpty }
        let schema = SequenceSchema.fit(template: template, sequences: sequences, threads: defaultThreadCount)
        let data = sequences.map { FeatureEncoder(schema: schema, template: template).encode($0) }
        let lengths = data.map(\.steps)
        try writeShapes(schema: schema, lengths: lengths)
        print("sequence VAE, \(disease) registry records: \(data.count) sequences, \(lengths.reduce(0, +)) visits "
            + "(mean \(String(format: "%.1f", Double(lengths.reduce(0, +)) / Double(lengths.count))), max "
            + "\(lengths.max() ?? 0)); batch \(batch), latent \(latent); encoder input \(schema.encoderInputWidth), "
            + "decoder input \(schema.decoderInputWidth(latent: latent)), decoder output \(schema.decoderOutputWidth)")
        print("hidden  threads  parameters  train seq/s  ms/batch  decoder-only "
            + "sampling patients/s (40 visits)  full generation patients/s")
        for hidden in hiddenSizes {
            for threads in threadCounts {
                var model = SequenceVAE(schema: schema,
                                        configuration: ModelConfiguration(hidden: hidden, latent: latent), seed: 1)
                var training = TrainingOptions()
                training.epochs = epochs
                training.batchSize = batch
                training.threads = threads
                training.shards = 2
                training.patience = 1_000
                let trainer = Trainer(options: training)
                let summary = trainer.train(&model, training: data, validation: [])
                let perSecond = summary.sequencesPerSecond
                let sampling = decoderOnlySampling(model, patients: samplePatients, steps: 40, threads: threads)
                let generator = ModelGenerator(simulator: CohortSimulator(template: template,
                                                                          options: SimulationOptions(seed: 3)),
                                               model: model)
                let start = Date()
                _ = parallelMap(count: samplePatients, threads: threads) { generator.patient($0).visitAges.count }
                let full = Double(samplePatients) / Date().timeIntervalSince(start)
                print(String(format: "%6d  %7d  %10d  %11.0f  %8.2f  %46.0f  %26.0f", hidden, threads,
                             model.parameterCount, perSecond, 1000 * Double(batch) / perSecond, sampling, full))
            }
        }
        print(String(format: "peak RSS %.1f MB", peakResidentMegabytes() ?? .nan))
    }

    /// Patients/s of the decoder alone: z, then `steps` GRU steps with the head and sampling,
    /// one patient at a time, as the PyTorch twin does it.
    func decoderOnlySampling(_ model: SequenceVAE, patients: Int, steps: Int, threads: Int) -> Double {
        let schema = model.schema
        let width = schema.decoderInputWidth(latent: model.configuration.latent)
        let start = Date()
        let checksums: [Float] = parallelMap(count: patients, threads: threads) { i in
            var random = RandomStream(seed: 5, stream: UInt64(i))
            var hidden = [Float](repeating: 0, count: model.configuration.hidden)
            var input = (0..<width).map { _ in Float(random.nextNormal()) * 0.1 }
            var total: Float = 0
            for _ in 0..<steps {
                hidden = model.decoderStep(input: input, hidden: hidden)
                let out = model.decoderHeadOutput(hidden)
                for k in 0..<schema.measures {
                    input[width - 2 * schema.measures + 2 * k + 1] = out[2 * schema.measures + k] > 0 ? 1 : 0
                }
                total += out[0] + Float(random.nextNormal()) * 0.01
            }
            return total
        }
        _ = checksums.reduce(0, +)
        return Double(patients) / Date().timeIntervalSince(start)
    }

    func writeShapes(schema: SequenceSchema, lengths: [Int]) throws {
        func integers(_ values: [Int]) -> ReportJSON { .array(values.map { .integer($0) }) }
        let shapes: ReportJSON = .object([
            ("batch", .integer(batch)),
            ("decoder_input", .integer(schema.decoderInputWidth(latent: latent))),
            ("encoder_input", .integer(schema.encoderInputWidth)),
            ("epochs", .integer(epochs)), ("events", .integer(schema.events)), ("hidden", integers(hiddenSizes)),
            ("latent", .integer(latent)), ("lengths", integers(lengths)), ("measures", .integer(schema.measures)),
            ("sample_patients", .integer(samplePatients)), ("sample_steps", .integer(40)),
        ])
        let data = Data(shapes.bytes())
        try FileManager.default.createDirectory(atPath: (shapesPath as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: shapesPath))
    }
}
