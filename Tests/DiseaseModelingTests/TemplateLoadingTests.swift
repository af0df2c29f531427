import Foundation
import Testing
import ZebraTestSupport
@testable import DiseaseModeling

@Suite struct ShippedTemplateTests {
    @Test(arguments: TestSupport.shippedDiseases)
    func shippedTemplatesLoad(id: String) throws {
        let t = try TestSupport.shippedTemplate(id)
        #expect(t.id == id)
        #expect(!t.measures.isEmpty)
        #expect(t.digest.count == 64)
        #expect(t.stateNames.count == 2 + t.events.count + t.treatments.count)
        // Every figure in a shipped template names a source in its table (the decoder enforces it);
        // the table itself is not empty.
        #expect(t.sources.count >= 5)
    }

    /// Every code a shipped template writes (condition, attributes, measures, events, treatments, causes of
    /// death) is listed for its disease in DiseaseModels/codebook/codebook.json, under the same code system.
    @Test(arguments: TestSupport.shippedDiseases)
    func templateCodesAreInTheCodebook(id: String) throws {
        let path = TestSupport.modelsDirectory + "/codebook/codebook.json"
        let book = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
            as? [String: Any])
        let systems = try #require(book["systems"] as? [String: String])
        let entry = try #require((book["diseases"] as? [String: Any])?[id] as? [String: Any], "\(id) not in codebook")
        var listed: Set<String> = []
        let condition = try #require(entry["condition"] as? [String: String])
        for (system, code) in condition where system != "status" {
            listed.insert("\(systems[system] ?? system)|\(code)")
        }
        for key in ["attributes", "measures", "events", "treatments", "causes"] {
            for item in entry[key] as? [[String: Any]] ?? [] {
                let system = try #require(item["system"] as? String), code = try #require(item["code"] as? String)
                try #require(systems[system] != nil, "\(id).\(key): unknown system \(system)")
                try #require(item["status"] is String, "\(id).\(key) \(code) has no status")
                listed.insert("\(systems[system]!)|\(code)")
            }
        }
        let t = try TestSupport.shippedTemplate(id)
        let concepts = [t.condition] + t.attributes.map(\.concept) + t.measures.map(\.concept)
            + t.events.filter { $0.record != .none }.map(\.concept) + t.treatments.map(\.concept)
            + t.mortality.causes.map(\.concept)
        #expect(concepts.count >= 4)
        for concept in concepts {
            for code in concept.codes {
                #expect(listed.contains("\(code.system)|\(code.code)"),
                        "\(id): \(concept.text) \(code.system)|\(code.code) is not in DiseaseModels/codebook/codebook.json")
            }
        }
    }

    /// Codes come from ../shared/reference/codebook.json; pinned here so a typo cannot slip in.
    @Test func templatesUseTheCodebookCodes() throws {
        let fa = try TestSupport.shippedTemplate("friedreich-ataxia")
        #expect(fa.condition.codes.contains { $0.system == "http://snomed.info/sct" && $0.code == "10394003" })
        #expect(fa.measures[0].concept.codes.first?.code == "mfars")
        let fabry = try TestSupport.shippedTemplate("fabry")
        #expect(fabry.measures.map { $0.concept.codes.first!.code } == ["98979-8", "2890-2", "90234-6", "lvmi"])
        let gaucher = try TestSupport.shippedTemplate("gaucher")
        #expect(gaucher.measures.map { $0.concept.codes.first!.code }
            == ["spleen-mn", "liver-mn", "718-7", "777-3", "chitotriosidase"])
        #expect(gaucher.events.first { $0.id == "splenectomy" }?.concept.codes.first?.code == "234319005")
    }

    /// Right-skewed labs spread over decades are drawn on a log axis; the rest keep the linear default.
    @Test func skewedMeasuresAskForALogAxis() throws {
        func scales(_ id: String) throws -> [String: PlotScale] {
            let t = try TestSupport.shippedTemplate(id)
            return Dictionary(uniqueKeysWithValues: t.measures.map { ($0.id, $0.plotScale) })
        }
        #expect(try scales("fabry") == ["egfr": .linear, "upcr": .log, "lyso-gb3": .log, "lvmi": .linear])
        #expect(try scales("gaucher") == ["spleen-mn": .log, "liver-mn": .linear, "hemoglobin": .linear,
                                          "platelets": .linear, "chitotriosidase": .log])
        #expect(try scales("friedreich-ataxia") == ["mfars": .linear])
    }

    @Test func plotScaleDecodesAndDefaultsToLinear() throws {
        let text = TestSupport.minimalTemplate
        let old = #""noise": {"sd": 1}"#
        #expect(text.contains(old))
        func decoded(_ replacement: String) throws -> PlotScale {
            let edited = text.replacingOccurrences(of: old, with: replacement)
            return try DiseaseTemplate.decode(Array(edited.utf8), file: "toy.json").measures[0].plotScale
        }
        #expect(try decoded(old) == .linear)
        #expect(try decoded(old + #", "plotScale": "log""#) == .log)
        #expect(try decoded(old + #", "plotScale": "linear""#) == .linear)
    }

    @Test func minimalTemplateLoads() throws {
        let t = try DiseaseTemplate.decode(Array(TestSupport.minimalTemplate.utf8), file: "toy.json")
        #expect(t.stateNames == ["onset", "diagnosis", "milestone", "complication", "drug"])
        #expect(t.randomEffectCholesky.count == 4)
        #expect(abs(t.randomEffectCholesky[2] - 0.5) < 1e-12)
    }
}

/// The minimal template's mortality excess, and one cause of death, for edits that add causes.
private let excessLine = #""excess": {"value": 0, "effects": [{"state": "milestone", "add": 0.02}]}}"#
private let causeA = #""id": "a", "text": "A", "codes": [{"system": "local", "code": "a"}]"#

@Suite struct BrokenTemplateTests {
    /// Applies a textual change to the minimal template and returns the problems found.
    func problems(replacing old: String, with new: String) throws -> [TemplateProblem] {
        let text = TestSupport.minimalTemplate
        #expect(text.contains(old), "fixture does not contain \(old)")
        let broken = text.replacingOccurrences(of: old, with: new)
        do {
            _ = try DiseaseTemplate.decode(Array(broken.utf8), file: "broken.json")
            Issue.record("the broken template was accepted")
            return []
        } catch {
            #expect(error.file == "broken.json")
            return error.problems
        }
    }

    @Test(arguments: [
        // (change from, change to, expected JSON path, message fragment)
        (#""sources": {"book""#, #""sorces": {"book""#, "$.sorces",
         "unknown key \"sorces\" (did you mean \"sources\"?)"),
        (#""decimals": 1,"#, #""decimals": "one","#, "$.measures[0].decimals", "expected a number, found a string"),
        (#""name": "Toy disease","#, "", "$", "missing required key \"name\""),
        (#""male": {"a": 0.7, "b": 0.3}"#, #""male": {"a": 0.7, "b": 0.4}"#, "$.attributes[0].probabilities.male",
         "sum to 1.1"),
        (#""measure": "score", "above": 40"#, #""measure": "scor", "above": 40"#,
         "$.events[0].trigger.threshold.measure", "no measure named \"scor\""),
        (#""requires": ["diagnosis"]"#, #""requires": ["diagnose"]"#, "$.treatments[0].start.requires",
         "no state named \"diagnose\""),
        (#""r": 0.5"#, #""r": 1.5"#, "$.correlations[0].r", "outside the allowed range"),
        (#"{"state": "milestone", "multiply": 0.5}"#, #"{"state": "milestone", "multiply": 0.5, "add": 1}"#,
         "$.measures[0].slope.effects[0]", "exactly one action"),
        (#""randomEffect": "speed", "sd": 0.5"#, #""randomEffect": "sped", "sd": 0.5"#,
         "$.measures[0].slope.effects[1].randomEffect", "no random effect named \"sped\""),
        (#""lognormal": {"median": 20, "sigma": 0.3}"#, #""lognormal": {"median": -20, "sigma": 0.3}"#, "$.onset.age",
         "median must be positive"),
        (#""from": "1950-01-01""#, #""from": "1950-02-30""#, "$.population.birthDates.from",
         "not a valid YYYY-MM-DD date"),
        (#""source": "book"}]"#, #""source": "nobook"}]"#, "$.correlations[0].source", "not listed in \"sources\""),
        (#""rate": 0.05, "clock": "onset""#,
         #""rate": {"value": 0.05, "effects": [{"variable": "age", "atLeast": 40, "multiply": 2}]}, "clock": "onset""#,
         "$.events[1].trigger.hazard.rate.effects[0].variable", "changes continuously"),
        (#""format": "zebra-disease-template""#, #""format": "other""#, "$.format",
         "expected \"zebra-disease-template\""),
        (#""id": "toy""#, #""id": "Toy Disease""#, "$.id", "lowercase letters"),
        (#""rules": [{"intervalMonths": 12}]"#, #""rules": []"#, "$.visits.rules", "at least one visit rule"),
        // Issue 8: a negative random-effect SD would flip a correlation's sign; refused like a negative noise SD.
        (#""randomEffect": "speed", "sd": 0.5"#, #""randomEffect": "speed", "sd": -0.5"#,
         "$.measures[0].slope.effects[1].sd",
         "cannot be negative (-0.5); for a value that falls as \"speed\" rises, write \"loading\": -0.5"),
        (#""randomEffect": "speed", "sd": 0.5"#, #""randomEffect": "speed", "logSd": -0.2"#,
         "$.measures[0].slope.effects[1].logSd", "write \"logLoading\": -0.2"),
        (#""noise": {"sd": 1}"#, #""noise": {"sd": -1}"#, "$.measures[0].noise.sd", "outside the allowed range"),
        // Issue 10: the day a test first existed, as a date or with its source; ages it is valid from.
        (#""noise": {"sd": 1}"#, #""noise": {"sd": 1}, "availableFrom": "2005-13-01""#, "$.measures[0].availableFrom",
         "not a valid YYYY-MM-DD date"),
        (#""noise": {"sd": 1}"#, #""noise": {"sd": 1}, "availableFrom": {"date": "2005-01-01", "source": "nobook"}"#,
         "$.measures[0].availableFrom.source", "not listed in \"sources\""),
        (#""noise": {"sd": 1}"#, #""noise": {"sd": 1}, "availableFrom": {"source": "book"}"#,
         "$.measures[0].availableFrom", "missing required key \"date\""),
        (#""noise": {"sd": 1}"#, #""noise": {"sd": 1}, "observe": {"fromAge": -2}"#, "$.measures[0].observe.fromAge",
         "outside the allowed range"),
        // Issue 15: a named population's mix names defined categorical attributes, sums to 1, has a source.
        (#""sex": {"male": 0.5, "female": 0.5}}"#,
         #""sex": {"male": 0.5, "female": 0.5}, "variants": [{"id": "asia", "text": "Asia", "attributes": {"subtyp": {"a": 1, "b": 0}}, "source": "book"}]}"#,
         "$.population.variants[0].attributes.subtyp", "no attribute \"subtyp\" is defined"),
        (#""sex": {"male": 0.5, "female": 0.5}}"#,
         #""sex": {"male": 0.5, "female": 0.5}, "variants": [{"id": "asia", "text": "Asia", "attributes": {"subtype": {"a": 0.5, "b": 0.6}}, "source": "book"}]}"#,
         "$.population.variants[0].attributes.subtype", "shares sum to 1.1"),
        (#""sex": {"male": 0.5, "female": 0.5}}"#,
         #""sex": {"male": 0.5, "female": 0.5}, "variants": [{"id": "asia", "text": "Asia", "attributes": {"repeats": {"a": 1}}, "source": "book"}]}"#,
         "$.population.variants[0].attributes.repeats", "is continuous"),
        (#""sex": {"male": 0.5, "female": 0.5}}"#,
         #""sex": {"male": 0.5, "female": 0.5}, "variants": [{"id": "asia", "text": "Asia", "sex": {"male": 0.6, "female": 0.4}, "source": "nobook"}]}"#,
         "$.population.variants[0].source", "not listed in \"sources\""),
        (#""sex": {"male": 0.5, "female": 0.5}}"#,
         #""sex": {"male": 0.5, "female": 0.5}, "variants": [{"id": "asia", "text": "Asia", "source": "book"}]}"#,
         "$.population.variants[0]", "sets \"sex\", \"attributes\" or both"),
        // Issue 12: a reference range needs a bound, and low below high.
        (#""noise": {"sd": 1}"#, #""noise": {"sd": 1}, "referenceRange": {"low": 5, "high": 2}"#,
         "$.measures[0].referenceRange", "low (5.0) is not below high (2.0)"),
        (#""noise": {"sd": 1}"#, #""noise": {"sd": 1}, "referenceRange": {"source": "book"}"#,
         "$.measures[0].referenceRange", "give a \"low\" or a \"high\" bound"),
        // Children's bands come in increasing age and each needs a bound.
        (#""noise": {"sd": 1}"#,
         #""noise": {"sd": 1}, "referenceRange": {"low": 1, "younger": [{"belowAge": 12, "low": 2}, {"belowAge": 5, "low": 3}]}"#,
         "$.measures[0].referenceRange.younger[1].belowAge", "increasing belowAge"),
        (#""noise": {"sd": 1}"#, #""noise": {"sd": 1}, "referenceRange": {"low": 1, "younger": [{"belowAge": 12}]}"#,
         "$.measures[0].referenceRange.younger[0]", "give a \"low\" or a \"high\" bound"),
        // Issue 10: a one-way approach (platelets that rise on ERT and never fall) is for "toward" targets only.
        (#"{"measure": "score", "slopeMultiply": 0.5}"#,
         #"{"measure": "score", "approach": {"fraction": 0.5, "halfLifeYears": 1, "direction": "rising"}}"#,
         "$.treatments[0].effects[0].approach.direction", "applies to \"toward\" only"),
        (#"{"measure": "score", "slopeMultiply": 0.5}"#,
         #"{"measure": "score", "approach": {"toward": 20, "halfLifeYears": 1, "direction": "up"}}"#,
         "$.treatments[0].effects[0].approach.direction", "give \"either\", \"rising\" or \"falling\""),
        // A measure's chart axis is one of two words.
        (#""noise": {"sd": 1}"#, #""noise": {"sd": 1}, "plotScale": "logarithmic""#, "$.measures[0].plotScale",
         "\"logarithmic\" is not one of \"linear\", \"log\""),
        (#""noise": {"sd": 1}"#, #""noise": {"sd": 1}, "plotScale": 10"#, "$.measures[0].plotScale",
         "expected a string"),
        // Issue 15: Langbehn's onset from CAG needs an exponential term and a logistic distribution.
        (#""lognormal": {"median": 20, "sigma": 0.3}"#,
         #""logistic": {"mean": {"value": 21, "effects": [{"attribute": "repeats", "addExp": {"intercept": 9}}]}, "variance": 30}"#,
         "$.onset.age.logistic.mean.effects[0].addExp", "missing required key \"slope\""),
        (#""lognormal": {"median": 20, "sigma": 0.3}"#,
         #""logistic": {"mean": {"value": 21, "effects": [{"sex": "male", "addExp": {"intercept": 9, "slope": -0.1}}]}, "variance": 30}"#,
         "$.onset.age.logistic.mean.effects[0].addExp", "needs a continuous \"attribute\" or a \"variable\""),
        (#""lognormal": {"median": 20, "sigma": 0.3}"#, #""logistic": {"mean": 40, "variance": -3}"#, "$.onset.age",
         "variance must be positive"),
        // Issue 10: causes of death, one of which takes the background.
        (excessLine, #""excess": {"value": 0}, "causes": [{"# + causeA + #"}]}"#,
         "$.mortality.causes", "exactly one cause must take the background"),
        (excessLine, #""causes": [{"# + causeA + #", "background": true, "excess": 0.1}]}"#,
         "$.mortality.causes[0].excess", "the background cause takes the general excess"),
        (excessLine, #""causes": [{"# + causeA + #", "background": true, "requires": ["milestne"]}]}"#,
         "$.mortality.causes[0].requires[0]", "no event named \"milestne\""),
    ])
    func reportsPathAndReason(from old: String, to new: String, path: String, fragment: String) throws {
        let found = try problems(replacing: old, with: new)
        let match = found.first { $0.path == path && $0.message.contains(fragment) }
        #expect(match != nil, Comment(rawValue: "expected a problem at \(path) mentioning '\(fragment)'; "
            + "got:\n\(found.map(\.description).joined(separator: "\n"))"))
        #expect((match?.line ?? 0) > 0)
    }

    @Test func reportsEveryProblemNotJustTheFirst() throws {
        let text = TestSupport.minimalTemplate
            .replacingOccurrences(of: #""decimals": 1,"#, with: #""decimals": "x","#)
            .replacingOccurrences(of: #""measure": "score", "above": 40"#, with: #""measure": "nope", "above": 40"#)
            .replacingOccurrences(of: #""jitterDays": 10"#, with: #""jiterDays": 10"#)
        do {
            _ = try DiseaseTemplate.decode(Array(text.utf8), file: "many.json")
            Issue.record("accepted")
        } catch {
            #expect(error.problems.count == 3, "\(error)")
            #expect(error.description.hasPrefix("many.json: 3 problems found"))
        }
    }

    @Test func reportsInvalidJSONWithLine() {
        do {
            _ = try DiseaseTemplate.decode(Array("{\n  \"id\": \"x\",\n  oops\n}".utf8), file: "bad.json")
            Issue.record("accepted")
        } catch {
            #expect(error.problems.count == 1)
            #expect(error.problems[0].line == 3)
            #expect(error.problems[0].message.contains("not valid JSON"))
        }
    }

    @Test func rejectsCorrelationsThatAreNotPositiveDefinite() throws {
        let text = TestSupport.minimalTemplate
            .replacingOccurrences(of: #""randomEffects": [{"id": "speed"}, {"id": "level"}]"#,
                                  with: #""randomEffects": [{"id": "speed"}, {"id": "level"}, {"id": "third"}]"#)
            .replacingOccurrences(of: #""correlations": [{"between": ["speed", "level"], "r": 0.5, "source": "book"}]"#,
                                  with: #""correlations": [{"between": ["speed", "level"], "r": 0.9}, {"between": "#
                                      + #"["speed", "third"], "r": 0.9}, {"between": ["level", "third"], "r": -0.9}]"#)
        do {
            _ = try DiseaseTemplate.decode(Array(text.utf8), file: "pd.json")
            Issue.record("accepted")
        } catch {
            #expect(error.problems.contains { $0.path == "$.correlations" && $0.message.contains("positive definite") })
        }
    }

    @Test func missingFileIsReported() {
        do {
            _ = try DiseaseTemplate.load(from: "/no/such/template.json")
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("/no/such/template.json"))
        }
    }
}

@Suite struct PredictorTests {
    @Test func combinesAdditionsAndMultipliersUnderConditions() throws {
        let t = try DiseaseTemplate.decode(Array(TestSupport.minimalTemplate.utf8), file: "toy.json")
        var context = PatientContext(sex: .male, categories: [0, -1], numbers: [.nan, 600], randomEffects: [1.0, 0],
                                     stateCount: t.stateNames.count)
        let slope = t.measures[0].slope
        #expect(abs(slope.value(in: context) - 2.5) < 1e-12)
        context.activeStates |= 1 << UInt64(t.stateIndex("milestone")!)
        #expect(abs(slope.value(in: context) - 1.25) < 1e-12)
        let perUnit = Predictor(10, effects: [Effect(condition: EffectCondition(),
                                                     action: .addPer(variable: .attribute(1), center: 500, per: 100,
                                                                     amount: 2))])
        #expect(perUnit.value(in: context) == 12)
        var range = EffectCondition()
        range.range = (.age, 18, 30)
        let ranged = Predictor(1, effects: [Effect(condition: range, action: .multiply(3))])
        context.age = 17.9
        #expect(ranged.value(in: context) == 1)
        context.age = 18
        #expect(ranged.value(in: context) == 3)
        context.age = 30
        #expect(ranged.value(in: context) == 1)
    }
}

/// Issue 8: the digest a model is checked against covers the model's inputs, not prose.
@Suite struct TemplateDigestTests {
    func digest(_ text: String) throws -> String {
        try DiseaseTemplate.decode(Array(text.utf8), file: "toy.json").digest
    }

    @Test(arguments: [
        (#""description": "A small template for tests.""#, #""description": "Rewritten prose.""#),
        (#""name": "Toy disease","#, #""name": "Toy disease, renamed","#),
        (#""version": "0.1.0""#, #""version": "0.2.0""#),
        (#""sources": {"book": "A textbook"}"#, #""sources": {"book": "A textbook, 2nd edition"}"#),
        // A reference range only labels values in reports.
        (#""noise": {"sd": 1}"#, #""noise": {"sd": 1}, "referenceRange": {"low": 2}"#),
        // So does a chart axis.
        (#""noise": {"sd": 1}"#, #""noise": {"sd": 1}, "plotScale": "log""#),
    ])
    func proseEditsKeepTheDigest(old: String, new: String) throws {
        let text = TestSupport.minimalTemplate
        #expect(text.contains(old))
        #expect(try digest(text) == digest(text.replacingOccurrences(of: old, with: new)))
    }

    @Test(arguments: [
        (#""initial": 10"#, #""initial": 11"#),
        (#""rate": 0.05"#, #""rate": 0.06"#),
        (#""code": "456""#, #""code": "457""#),
        (#""intervalMonths": 12"#, #""intervalMonths": 6"#),
        // A key that is prose at the top (the record rules) is a model input elsewhere (the visit rules).
        (#""rules": [{"intervalMonths": 12}]"#, #""rules": [{"intervalMonths": 12}, {"intervalMonths": 3}]"#),
    ])
    func modelInputEditsChangeTheDigest(old: String, new: String) throws {
        let text = TestSupport.minimalTemplate
        #expect(text.contains(old))
        #expect(try digest(text) != digest(text.replacingOccurrences(of: old, with: new)))
    }

    @Test func recordRulesDoNotCount() throws {
        let text = TestSupport.minimalTemplate
        let withRules = String(text.dropLast(text.count - (text.lastIndex(of: "}")!.utf16Offset(in: text))))
            + #", "rules": [{"id": "r", "text": "score stays up", "after": "milestone", "measure": "score", "#
            + #""atLeast": 1}]}"#
        #expect(try DiseaseTemplate.decode(Array(withRules.utf8), file: "toy.json").rules.count == 1)
        #expect(try digest(text) == digest(withRules))
    }

    @Test func keyOrderDoesNotCount() throws {
        let text = TestSupport.minimalTemplate
        let reordered = text.replacingOccurrences(of: #""floor": 0, "ceiling": 100"#,
                                                  with: #""ceiling": 100, "floor": 0"#)
        #expect(reordered != text)
        #expect(try digest(text) == digest(reordered))
    }
}
