import Foundation
import Testing
import TrialDesign
import ZebraTestSupport

/// Trial files: the examples resolve against their templates; mistakes are reported with the
/// file, line and JSON path, and names the template lacks are named.
struct SpecificationTests {
    @Test(arguments: ["friedreich-ataxia-moxie.json", "friedreich-ataxia-ambulation.json", "fabry-egfr-slope.json",
                      "duchenne-6mwd.json", "pompe-late-onset-lots.json", "spinal-muscular-atrophy-endear.json",
                      "huntington-tfc.json", "progressive-supranuclear-palsy-pspr.json",
                      "gaucher-spleen.json"])
    func exampleTrialsResolve(file: String) throws {
        let plan = try Fixtures.plan(file)
        #expect(!plan.covariates.isEmpty)
        #expect(plan.visitYears.first == 0)
        if let m = plan.endpointMeasure {
            #expect(plan.specification.visitMonths[plan.endpointVisit] == plan.specification.endpoint.months)
            #expect(plan.template.measures[m].id == plan.specification.endpoint.measure)
        } else {
            #expect(plan.endpointEvent != nil || plan.endpointIsDeath)
        }
    }

    /// Every example in DiseaseModels/trials loads against its template; together they cover the three
    /// original diseases and the trials designers most often need (SMA, DMD, late-onset Pompe; issue 15).
    @Test func examplesCoverEveryDisease() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestSupport.trialsDirectory)
            .filter { $0.hasSuffix(".json") }.sorted()
        try #require(files.count >= 8)
        let diseases = try files.map { try Fixtures.plan($0).template.id }
        #expect(Set(diseases).isSuperset(of: ["friedreich-ataxia", "fabry", "gaucher", "spinal-muscular-atrophy",
                                              "duchenne", "pompe-late-onset"]))
    }

    @Test func moxieExampleReadsAsWritten() throws {
        let plan = try Fixtures.plan("friedreich-ataxia-moxie.json")
        let spec = plan.specification
        #expect(spec.eligibility.age == ValueRange(minimum: 16, maximum: 40))
        #expect(spec.eligibility.absentEvents == ["loss-of-ambulation"])
        #expect(spec.visitMonths == [0, 12, 24, 36])
        #expect(spec.simulation.treated == 136)
        #expect(spec.simulation.effect == .progressionMultiplier(0.5))
        #expect(plan.covariates.map(\.name) == ["age", "sex=male", "disease-duration", "gaa1", "mfars"])
        #expect(plan.horizonYears == 3)
    }

    @Test func syntaxProblemsNameLineAndPath() throws {
        let json = """
        {
          "format": "zebra-trial", "formatVersion": 1, "id": "t", "disease": "friedreich-ataxia",
          "eligibility": {"age": {"min": 40, "max": 16}, "sexx": ["male"]},
          "endpoint": {"type": "change", "measure": "mfars", "months": 36},
          "visits": {"months": [0, 12, 24]}
        }
        """
        let error = #expect(throws: TrialSpecificationError.self) { try Fixtures.plan(json: json, file: "bad.json") }
        let text = error?.description ?? ""
        #expect(text.contains("bad.json:3: $.eligibility.age: min 40.0 is greater than max 16.0"))
        #expect(text.contains("bad.json:3: $.eligibility.sexx: unknown key"))
        #expect(text.contains("no visit at the endpoint time (36 months)"))
    }

    @Test func namesTheTemplateLacksAreReportedWithTheirLine() throws {
        let json = """
        {
          "format": "zebra-trial", "formatVersion": 1, "id": "t", "disease": "fabry",
          "eligibility": {
            "attributes": {"phenotype": ["classical"]},
            "measures": {"gfr": {"min": 30}}
          },
          "endpoint": {"type": "time-to-event", "event": "proteinuria", "months": 24},
          "visits": {"everyMonths": 6},
          "covariates": ["age", "weight"]
        }
        """
        let error = #expect(throws: TrialSpecificationError.self) { try Fixtures.plan(json: json, file: "names.json") }
        let text = error?.description ?? ""
        #expect(text.contains("names.json:4: $.eligibility.attributes.phenotype: \"classical\" "
            + "is not a value of phenotype; values: classic, later-onset"))
        #expect(text.contains("names.json:5: $.eligibility.measures.gfr: no measure \"gfr\" in fabry"))
        #expect(text.contains("$.endpoint.event: event \"proteinuria\" is not recorded in patient records"))
        #expect(text.contains("$.covariates[1]: unknown covariate \"weight\""))
    }

    @Test func contradictoryEventsAreRejected() throws {
        let json = try Fixtures.moxieJSON { o in
            var e = o["eligibility"] as! [String: Any]
            e["eventsPresent"] = ["loss-of-ambulation"]
            o["eligibility"] = e
        }
        let error = #expect(throws: TrialSpecificationError.self) { try Fixtures.plan(json: json) }
        #expect(error?.description.contains("\"loss-of-ambulation\" is required both absent and present") == true)
    }
}
