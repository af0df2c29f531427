import DiseaseModeling
import Foundation
import Serialization
import Testing
import ZebraTestSupport
@testable import TeachingCases

/// The shipped teaching material loads against its template; mistakes in material are reported
/// with their JSON path and line.
@Suite struct CaseMaterialTests {
    @Test(arguments: TestSupport.shippedDiseases)
    func shippedMaterialLoads(_ id: String) throws {
        let template = try TestSupport.shippedTemplate(id)
        let material = try CaseMaterial.load(from: TestSupport.modelsDirectory + "/cases/\(id).json",
                                             template: template)
        #expect(material.disease == id)
        #expect(material.presentations.count >= 3)
        #expect(material.features.contains(where: \.atypical) && material.features.contains { !$0.atypical })
        #expect(material.questions.count >= 6)
        #expect(material.differentials.count >= 4)
        // Every source a passage names is in the table, with a full citation.
        #expect(material.sources.values.allSatisfy { $0.count > 40 })
    }

    static func decode(_ json: String) throws -> CaseMaterialError? {
        let template = try TestSupport.shippedTemplate("fabry")
        do {
            _ = try CaseMaterial.decode(Array(json.utf8), file: "bad.json", template: template)
            return nil
        } catch {
            return error
        }
    }

    static let minimal = """
    {"format": "zebra-cases", "formatVersion": 1, "disease": "fabry", "inheritance": "X-linked",
     "presentations": [{"id": "any", "seenBy": "a nephrologist", "complaint": "C"}],
     "questions": [QUESTION]}
    """

    @Test func minimalMaterialDecodes() throws {
        let json = Self.minimal.replacingOccurrences(of: "QUESTION", with:
            #"{"id": "q", "question": "At {diagnosis.age}?", "answer": "A", "teachingPoint": "T"}"#)
        #expect(try Self.decode(json) == nil)
    }

    @Test func unknownPlaceholdersAndIdsAreReportedWithTheirPath() throws {
        let json = Self.minimal.replacingOccurrences(of: "QUESTION", with: """
        {"id": "q", "when": {"event": "heart-attack"},
         "question": "At {event.esrd.when}?", "answer": "A", "teachingPoint": "T", "source": "nowhere"}
        """)
        let error = try #require(try Self.decode(json))
        let messages = error.problems.map(\.description)
        #expect(messages.contains { $0.contains("$.questions[0].when.event") && $0.contains("\"heart-attack\" is not an event") })
        #expect(messages.contains { $0.contains("$.questions[0].question") && $0.contains("{event.esrd.when}") })
        #expect(messages.contains { $0.contains("$.questions[0].source") && $0.contains("no source \"nowhere\"") })
        #expect(error.problems.allSatisfy { $0.line >= 1 })
    }

    @Test func materialForAnotherDiseaseIsRefused() throws {
        let json = Self.minimal.replacingOccurrences(of: "\"disease\": \"fabry\"", with: "\"disease\": \"gaucher\"")
            .replacingOccurrences(of: "QUESTION", with: #"{"id": "q", "question": "Q", "answer": "A", "teachingPoint": "T"}"#)
        let error = try #require(try Self.decode(json))
        #expect(error.problems.contains { $0.path == "$.disease" && $0.message.contains("not for template \"fabry\"") })
    }

    @Test func theLastPresentationMustCatchEveryone() throws {
        let json = Self.minimal
            .replacingOccurrences(of: #"{"id": "any", "seenBy""#, with: #"{"id": "any", "when": {"sex": "male"}, "seenBy""#)
            .replacingOccurrences(of: "QUESTION", with: #"{"id": "q", "question": "Q", "answer": "A", "teachingPoint": "T"}"#)
        let error = try #require(try Self.decode(json))
        #expect(error.problems.contains { $0.message.contains("the last presentation must have no \"when\"") })
    }
}
