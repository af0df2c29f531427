import DiseaseModeling
import Foundation
import Serialization
import Simulation
import Testing
import ZebraTestSupport
@testable import Learning

@Suite struct CheckpointTests {
    func sample() throws -> (ModelCheckpoint, DiseaseTemplate) {
        let (base, _) = try PlantedTemplates.pair(hidden: false, plant: "")
        let people = CohortSimulator(template: base, options: PlantedTemplates.registry).patients(0..<30, threads: 1)
        var options = TrainingOptions()
        options.epochs = 3
        let result = TrainingPipeline(template: base, configuration: ModelConfiguration(hidden: 8, latent: 2),
                                      options: options, pretrainPatients: 0, pretrainEpochs: 0)
            .run(seed: PlantedTemplates.sequences(people, base: base), seedLabel: "test")
        return (result.checkpoint, base)
    }

    @Test func roundTripsExactly() throws {
        let (checkpoint, template) = try sample()
        let path = try TestSupport.temporaryDirectory() + "/m.model"
        try checkpoint.write(to: path)
        let read = try ModelCheckpoint.read(from: path, template: template)
        #expect(read.header == checkpoint.header)
        #expect(read.parameters == checkpoint.parameters)
        let model = try read.model()
        #expect(model.store.values == checkpoint.parameters)
        #expect(model.latentPrior == checkpoint.header.latentPrior)
        #expect(try read.encoded() == checkpoint.encoded())
    }

    @Test func refusesCorruptedTruncatedAndForeignFiles() throws {
        let (checkpoint, template) = try sample()
        let bytes = try checkpoint.encoded()
        func error(_ data: [UInt8], template: DiseaseTemplate? = nil) -> String {
            do {
                _ = try ModelCheckpoint.decode(data, file: "m.model", template: template)
                return "accepted"
            } catch { return error.message }
        }
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x10
        #expect(error(flipped).contains("checksum mismatch"))
        #expect(error(Array(bytes.prefix(bytes.count - 200))).contains("checksum") ||
                error(Array(bytes.prefix(bytes.count - 200))).contains("truncated"))
        #expect(error(Array(bytes.prefix(40))).contains("truncated"))
        #expect(error(Array("{\"not\": \"a model\"}".utf8)).contains("not a Zebra model"))
        var future = bytes
        future[ModelCheckpoint.magic.utf8.count + 1] = UInt8(ascii: "9")
        #expect(error(future).contains("format version 9"))
        let fabry = try TestSupport.shippedTemplate("fabry")
        #expect(error(bytes, template: fabry).contains("trained for template \"planted\", not \"fabry\""))
        let edited = try DiseaseTemplate.decode(Array(PlantedTemplates.text.replacingOccurrences(of: "HIDDEN", with: "")
            .replacingOccurrences(of: "PLANT", with: "")
                .replacingOccurrences(of: "\"sd\": 4", with: "\"sd\": 5").utf8), file: "edited.json")
        #expect(error(bytes, template: edited).contains("another version of template"))
        #expect(error(bytes, template: template) == "accepted")
        #expect(error(bytes).contains("m.model") == false)
    }
}
