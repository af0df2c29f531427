import Foundation
import Serialization
import Timelines

extension TemplateDecoder {
    func measure(_ node: JSONNode, _ path: String) -> MeasureDefinition {
        let allowed: Set<String> = ["id", "text", "codes", "unit", "decimals", "category", "start", "initial", "slope",
                                    "floor", "ceiling", "noise", "observe", "availableFrom", "referenceRange",
                                    "plotScale", "source", "note"]
        let m = reader.object(node, path, allowed: allowed) ?? [:]
        checkSource(m["source"], "\(path).source")
        let id = reader.string(reader.required(m, "id", path, parent: node), "\(path).id") ?? "?"
        var concept = Concept(key: "measure:\(id)", kind: .measure,
                              text: reader.string(reader.required(m, "text", path, parent: node), "\(path).text") ?? id,
                              codes: codes(reader.required(m, "codes", path, parent: node), "\(path).codes"))
        concept.unit = reader.string(reader.required(m, "unit", path, parent: node), "\(path).unit")
        concept.decimals = reader.integer(m["decimals"], "\(path).decimals") ?? 1
        if !(0...6).contains(concept.decimals) {
            reader.report("\(path).decimals", m["decimals"], "decimals must be 0...6")
        }
        concept.category = reader.choice(m["category"], "\(path).category",
                                         ["laboratory", "exam", "imaging", "survey", "vital-signs"])
        let floor = reader.number(m["floor"], "\(path).floor") ?? -Double.greatestFiniteMagnitude
        let ceiling = reader.number(m["ceiling"], "\(path).ceiling") ?? Double.greatestFiniteMagnitude
        if floor > ceiling { reader.report(path, node, "floor (\(floor)) is above ceiling (\(ceiling))") }
        var noiseSD = 0.0, noiseCV = 0.0
        if let n = reader.object(m["noise"], "\(path).noise", allowed: ["sd", "cv", "source"]) {
            checkSource(n["source"], "\(path).noise.source")
            noiseSD = reader.number(n["sd"], "\(path).noise.sd", in: 0...1e9) ?? 0
            noiseCV = reader.number(n["cv"], "\(path).noise.cv", in: 0...10) ?? 0
        }
        var observeProbability = 1.0, every = 1
        var observeFrom: Int?
        var observeUnless: Int?
        var minimumAge = 0.0
        let observeKeys: Set<String> = ["probability", "every", "from", "unless", "fromAge", "source"]
        if let o = reader.object(m["observe"], "\(path).observe", allowed: observeKeys) {
            checkSource(o["source"], "\(path).observe.source")
            minimumAge = reader.number(o["fromAge"], "\(path).observe.fromAge", in: 0...110) ?? 0
            observeUnless = state(o["unless"], "\(path).observe.unless")
            observeProbability = probability(o["probability"], "\(path).observe.probability") ?? 1
            every = reader.integer(o["every"], "\(path).observe.every") ?? 1
            if every < 1 { reader.report("\(path).observe.every", o["every"], "must be at least 1"); every = 1 }
            observeFrom = state(o["from"], "\(path).observe.from")
        }
        var definition = MeasureDefinition(
            id: id, concept: concept, startState: state(m["start"], "\(path).start"),
            initial: predictor(reader.required(m, "initial", path, parent: node), "\(path).initial"),
            slope: predictor(reader.required(m, "slope", path, parent: node), "\(path).slope",
                             timeVaryingAllowed: false),
            floor: floor, ceiling: ceiling, noiseSD: noiseSD, noiseCV: noiseCV,
            observeProbability: observeProbability, observeEvery: every, observeFrom: observeFrom,
            observeUnless: observeUnless)
        definition.availableFrom = day(m["availableFrom"], "\(path).availableFrom")
        definition.minimumAge = minimumAge
        definition.referenceRange = referenceRange(m["referenceRange"], "\(path).referenceRange")
        definition.plotScale = reader.choice(m["plotScale"], "\(path).plotScale", PlotScale.allCases.map(\.rawValue))
            .flatMap(PlotScale.init(rawValue:)) ?? .linear
        return definition
    }

    /// `{"low": …, "high": …, "female": {"low": …, "high": …}, "fromAge": …, "younger": [{"belowAge": …,
    /// "low": …, "high": …}], "source": …}`; at least one bound.
    private func referenceRange(_ node: JSONNode?, _ path: String) -> ReferenceRange? {
        let keys: Set<String> = ["low", "high", "female", "fromAge", "younger", "source", "note"]
        guard let node, let r = reader.object(node, path, allowed: keys) else { return nil }
        checkSource(r["source"], "\(path).source")
        var range = ReferenceRange(low: reader.number(r["low"], "\(path).low"),
                                   high: reader.number(r["high"], "\(path).high"))
        if let f = reader.object(r["female"], "\(path).female", allowed: ["low", "high"]) {
            range.femaleLow = reader.number(f["low"], "\(path).female.low")
            range.femaleHigh = reader.number(f["high"], "\(path).female.high")
        }
        range.fromAge = reader.number(r["fromAge"], "\(path).fromAge", in: 0...120) ?? 0
        for (i, item) in (reader.array(r["younger"], "\(path).younger") ?? []).enumerated() {
            let p = "\(path).younger[\(i)]"
            guard let b = reader.object(item, p, allowed: ["belowAge", "low", "high", "source", "note"]),
                  let below = reader.number(reader.required(b, "belowAge", p, parent: item), "\(p).belowAge",
                                            in: 0...120) else { continue }
            checkSource(b["source"], "\(p).source")
            let band = ReferenceRange.Band(belowAge: below, low: reader.number(b["low"], "\(p).low"),
                                           high: reader.number(b["high"], "\(p).high"))
            if band.low == nil && band.high == nil { reader.report(p, item, "give a \"low\" or a \"high\" bound") }
            if let last = range.younger.last, below <= last.belowAge {
                reader.report("\(p).belowAge", b["belowAge"], "bands must be in increasing belowAge")
            }
            range.younger.append(band)
        }
        let problems = [Sex.male, .female].compactMap { sex -> String? in
            let (low, high) = range.bounds(for: sex)
            if low == nil && high == nil { return "give a \"low\" or a \"high\" bound" }
            if let low, let high, low >= high { return "low (\(low)) is not below high (\(high))" }
            return nil
        }
        if let first = problems.first { reader.report(path, node, first) }
        return range
    }

    /// An ISO date (YYYY-MM-DD), or `{"date": …, "source": …}`, reported when it is not one.
    func day(_ node: JSONNode?, _ path: String) -> CalendarDay? {
        if let node, case .object = node.value {
            guard let o = reader.object(node, path, allowed: ["date", "source", "note"]) else { return nil }
            checkSource(o["source"], "\(path).source")
            return day(reader.required(o, "date", path, parent: node), "\(path).date")
        }
        guard let text = reader.string(node, path) else { return nil }
        guard let day = CalendarDay(iso: text) else {
            reader.report(path, node, "\"\(text)\" is not a valid YYYY-MM-DD date")
            return nil
        }
        return day
    }

    func event(_ node: JSONNode, _ path: String) -> EventDefinition {
        let allowed: Set<String> = ["id", "text", "codes", "record", "requires", "trigger", "recurrent", "effects",
                                    "source", "note"]
        let m = reader.object(node, path, allowed: allowed) ?? [:]
        checkSource(m["source"], "\(path).source")
        let id = reader.string(reader.required(m, "id", path, parent: node), "\(path).id") ?? "?"
        let record = EventDefinition.Record(rawValue: reader.choice(m["record"], "\(path).record",
                                                                    ["condition", "procedure", "none"]) ?? "condition")
            ?? .condition
        let kind: ConceptKind = record == .procedure ? .procedure : .condition
        let text = reader.string(reader.required(m, "text", path, parent: node), "\(path).text") ?? id
        let codeList = record == .none && m["codes"] == nil ? []
            : codes(reader.required(m, "codes", path, parent: node), "\(path).codes")
        let recurrent = reader.bool(m["recurrent"], "\(path).recurrent") ?? false
        let trigger = self.trigger(reader.required(m, "trigger", path, parent: node), "\(path).trigger")
        if recurrent, case .hazard = trigger {} else if recurrent {
            reader.report("\(path).recurrent", m["recurrent"], "only hazard-triggered events can recur")
        }
        return EventDefinition(id: id, concept: Concept(key: "event:\(id)", kind: kind, text: text, codes: codeList),
                               record: record, requiredStates: stateMask(m["requires"], "\(path).requires"),
                               trigger: trigger, recurrent: recurrent,
                               effects: (reader.array(m["effects"], "\(path).effects") ?? []).enumerated().compactMap {
                                   stateEffect($1, "\(path).effects[\($0)]")
                               })
    }

    private func trigger(_ node: JSONNode?, _ path: String) -> EventDefinition.Trigger {
        let fallback = EventDefinition.Trigger.hazard(rate: Predictor(0), clockState: nil, knots: [])
        guard let m = reader.object(node, path, allowed: ["threshold", "hazard", "incidence"]) else { return fallback }
        guard m.count == 1, let (kind, body) = m.first.map({ ($0.key, $0.value) }) else {
            reader.report(path, node, "give exactly one trigger: threshold, hazard or incidence")
            return fallback
        }
        let p = "\(path).\(kind)"
        switch kind {
        case "threshold":
            guard let t = reader.object(body, p, allowed: ["measure", "below", "above", "source", "note"]) else {
                return fallback
            }
            checkSource(t["source"], "\(p).source")
            guard let name = reader.string(reader.required(t, "measure", p, parent: body), "\(p).measure") else {
                return fallback
            }
            guard let measure = symbols.measures[name] else {
                reader.report("\(p).measure", t["measure"], "no measure named \"\(name)\" is defined")
                return fallback
            }
            switch (t["below"], t["above"]) {
            case (let b?, nil): return .threshold(measure: measure, below: true, value: predictor(b, "\(p).below"))
            case (nil, let a?): return .threshold(measure: measure, below: false, value: predictor(a, "\(p).above"))
            default:
                reader.report(p, body, "give exactly one of \"below\" or \"above\"")
                return fallback
            }
        case "hazard":
            guard let h = reader.object(body, p, allowed: ["rate", "clock", "knots", "source", "note"]) else {
                return fallback
            }
            checkSource(h["source"], "\(p).source")
            let rate = predictor(reader.required(h, "rate", p, parent: body), "\(p).rate", timeVaryingAllowed: false)
            if rate.isConstant && rate.base < 0 {
                reader.report("\(p).rate", h["rate"], "a hazard rate must not be negative")
            }
            return .hazard(rate: rate, clockState: state(h["clock"], "\(p).clock"),
                           knots: knots(h["knots"], "\(p).knots"))
        default:
            guard let i = reader.object(body, p, allowed: ["probability", "delay", "from", "source", "note"]) else {
                return fallback
            }
            checkSource(i["source"], "\(p).source")
            let probability = predictor(reader.required(i, "probability", p, parent: body), "\(p).probability")
            if probability.isConstant && !(0...1).contains(probability.base) {
                reader.report("\(p).probability", i["probability"], "a probability must lie in 0...1")
            }
            return .incidence(probability: probability,
                              delay: distribution(reader.required(i, "delay", p, parent: body), "\(p).delay"),
                              fromState: state(i["from"], "\(p).from"))
        }
    }

    func treatment(_ node: JSONNode, _ path: String) -> TreatmentDefinition {
        let allowed: Set<String> = ["id", "text", "codes", "record", "availableFrom", "start", "stop", "effects",
                                    "source", "note"]
        let m = reader.object(node, path, allowed: allowed) ?? [:]
        checkSource(m["source"], "\(path).source")
        let id = reader.string(reader.required(m, "id", path, parent: node), "\(path).id") ?? "?"
        let recordName = reader.choice(m["record"], "\(path).record", ["medicationStatement", "procedure"])
            ?? "medicationStatement"
        let record = TreatmentDefinition.Record(rawValue: recordName) ?? .medicationStatement
        let concept = Concept(key: "treatment:\(id)", kind: record == .procedure ? .procedure : .medication,
                              text: reader.string(reader.required(m, "text", path, parent: node), "\(path).text") ?? id,
                              codes: codes(reader.required(m, "codes", path, parent: node), "\(path).codes"))
        let availableFrom = day(m["availableFrom"], "\(path).availableFrom")
        let startNode = reader.required(m, "start", path, parent: node)
        let s = reader.object(startNode, "\(path).start",
                              allowed: ["requires", "minAge", "probability", "delay", "source", "note"]) ?? [:]
        checkSource(s["source"], "\(path).start.source")
        let probability = predictor(reader.required(s, "probability", "\(path).start", parent: startNode),
                                    "\(path).start.probability")
        var stopRate = 0.0
        if let stop = reader.object(m["stop"], "\(path).stop", allowed: ["ratePerYear", "source", "note"]) {
            checkSource(stop["source"], "\(path).stop.source")
            stopRate = reader.number(stop["ratePerYear"], "\(path).stop.ratePerYear", in: 0...100) ?? 0
        }
        let effects = (reader.array(m["effects"], "\(path).effects") ?? []).enumerated().compactMap {
            stateEffect($1, "\(path).effects[\($0)]")
        }
        return TreatmentDefinition(
            id: id, concept: concept, record: record, availableFrom: availableFrom,
            requiredStates: stateMask(s["requires"], "\(path).start.requires"),
            minimumAge: reader.number(s["minAge"], "\(path).start.minAge", in: 0...150) ?? 0,
            probability: probability,
            delay: s["delay"].map { distribution($0, "\(path).start.delay") } ?? Distribution(.fixed(Predictor(0))),
            stopRatePerYear: stopRate, effects: effects)
    }

    func stateEffect(_ node: JSONNode, _ path: String) -> StateEffect? {
        let allowed: Set<String> = ["measure", "event", "slopeMultiply", "slopeAdd", "approach", "hazardRatio",
                                    "source", "note"]
        guard let m = reader.object(node, path, allowed: allowed) else { return nil }
        checkSource(m["source"], "\(path).source")
        if let name = reader.string(m["measure"], "\(path).measure") {
            guard let measure = symbols.measures[name] else {
                reader.report("\(path).measure", m["measure"], "no measure named \"\(name)\" is defined")
                return nil
            }
            if m["hazardRatio"] != nil {
                reader.report("\(path).hazardRatio", m["hazardRatio"],
                              "a hazard ratio applies to an \"event\", not a measure")
            }
            if let a = m["approach"] {
                if m["slopeMultiply"] != nil || m["slopeAdd"] != nil {
                    reader.report(path, node, "put \"approach\" and slope changes in separate effects")
                }
                let p = "\(path).approach"
                guard let o = reader.object(a, p,
                                            allowed: ["fraction", "add", "toward", "direction", "halfLifeYears",
                                                      "wearsOff", "source", "note"]) else {
                    return nil
                }
                checkSource(o["source"], "\(p).source")
                let halfLife = reader.number(reader.required(o, "halfLifeYears", p, parent: a), "\(p).halfLifeYears",
                                             in: 0.001...100) ?? 1
                let targets = ["fraction", "add", "toward"].filter { o[$0] != nil }
                guard targets.count == 1, let key = targets.first else {
                    reader.report(p, a, "give exactly one of \"fraction\", \"add\" or \"toward\"")
                    return nil
                }
                let value = predictor(o[key], "\(p).\(key)")
                var direction = StateEffect.ApproachDirection.either
                if let d = o["direction"] {
                    if key != "toward" {
                        reader.report("\(p).direction", d, "\"direction\" applies to \"toward\" only")
                    } else if let name = reader.string(d, "\(p).direction") {
                        if let parsed = StateEffect.ApproachDirection(rawValue: name) {
                            direction = parsed
                        } else {
                            reader.report("\(p).direction", d, "give \"either\", \"rising\" or \"falling\"")
                        }
                    }
                }
                let target: StateEffect.ApproachTarget = key == "fraction" ? .fraction(value)
                    : key == "add" ? .add(value) : .toward(value, direction)
                let wearsOff = o["wearsOff"].flatMap { reader.bool($0, "\(p).wearsOff") } ?? false
                if wearsOff && key != "add" {
                    reader.report("\(p).wearsOff", o["wearsOff"], "\"wearsOff\" applies to \"add\" only")
                }
                return .measureApproach(measure: measure, target: target, halfLifeYears: halfLife,
                                        wearsOff: wearsOff && key == "add")
            }
            if m["slopeMultiply"] == nil && m["slopeAdd"] == nil {
                reader.report(path, node, "a measure effect needs \"slopeMultiply\", \"slopeAdd\" or \"approach\"")
                return nil
            }
            return .measureSlope(measure: measure,
                                 multiply: m["slopeMultiply"].map {
                                     predictor($0, "\(path).slopeMultiply", timeVaryingAllowed: false)
                                 } ?? Predictor(1),
                                 add: m["slopeAdd"].map { predictor($0, "\(path).slopeAdd", timeVaryingAllowed: false) }
                                     ?? Predictor(0))
        }
        if let name = reader.string(m["event"], "\(path).event") {
            guard let ratioNode = reader.required(m, "hazardRatio", path, parent: node) else { return nil }
            let ratio = predictor(ratioNode, "\(path).hazardRatio", timeVaryingAllowed: false)
            if ratio.isConstant && ratio.base < 0 {
                reader.report("\(path).hazardRatio", ratioNode, "a hazard ratio must not be negative")
            }
            if name == "death" { return .mortalityHazard(ratio: ratio) }
            guard let event = symbols.events[name] else {
                reader.report("\(path).event", m["event"], "no event named \"\(name)\" is defined (or use \"death\")")
                return nil
            }
            return .eventHazard(event: event, ratio: ratio)
        }
        reader.report(path, node, "an effect names a \"measure\" or an \"event\"")
        return nil
    }

    func visits(_ node: JSONNode?, _ path: String) -> VisitSchedule {
        var result = VisitSchedule(fromState: DiseaseTemplate.diagnosisState, rules: [], jitterDays: 0,
                                   missProbability: 0)
        guard let m = reader.object(node, path,
                                    allowed: ["from", "rules", "jitterDays", "missProbability", "source",
                                              "note"]) else {
            return result
        }
        checkSource(m["source"], "\(path).source")
        if let from = m["from"] {
            if let s = state(from, "\(path).from") { result.fromState = s } else if from.stringValue == "birth" {
                reader.report("\(path).from", from,
                              "visits cannot start at birth; use \"onset\", \"diagnosis\" or an event")
            }
        }
        result.jitterDays = reader.number(m["jitterDays"], "\(path).jitterDays", in: 0...365) ?? 0
        result.missProbability = probability(m["missProbability"], "\(path).missProbability") ?? 0
        for (i, item) in (reader.array(reader.required(m, "rules", path, parent: node), "\(path).rules")
                          ?? []).enumerated() {
            let p = "\(path).rules[\(i)]"
            guard let r = reader.object(item, p, allowed: ["state", "withinYears", "intervalMonths", "note"]) else {
                continue
            }
            let months = reader.number(reader.required(r, "intervalMonths", p, parent: item), "\(p).intervalMonths",
                                       in: 0.25...240) ?? 12
            var rule = VisitSchedule.Rule(state: nil,
                                          withinYears: reader.number(r["withinYears"], "\(p).withinYears", in: 0...200),
                                          intervalYears: months / 12)
            if let s = r["state"] { rule.state = state(s, "\(p).state") }
            if rule.withinYears != nil && rule.state == nil {
                reader.report("\(p).withinYears", r["withinYears"], "\"withinYears\" needs a \"state\"")
            }
            result.rules.append(rule)
        }
        if result.rules.isEmpty { reader.report("\(path).rules", m["rules"], "give at least one visit rule") }
        else if result.rules.last?.state != nil {
            reader.report("\(path).rules", m["rules"],
                          "the last rule must have no \"state\" so that every time has an interval")
        }
        return result
    }

    func mortality(_ node: JSONNode?, _ path: String) -> Mortality {
        var result = Mortality(male: .init(a: 0, b: 0, c: 0), female: .init(a: 0, b: 0, c: 0),
                               hazardRatio: Predictor(1), excess: Predictor(0), excessAgeKnots: [])
        guard let m = reader.object(node, path,
                                    allowed: ["background", "hazardRatio", "excess", "excessAgeKnots", "causes",
                                              "source", "note"]) else {
            return result
        }
        checkSource(m["source"], "\(path).source")
        let bp = "\(path).background"
        let backgroundNode = reader.required(m, "background", path, parent: node)
        if let b = reader.object(backgroundNode, bp, allowed: ["model", "male", "female", "source", "note"]) {
            checkSource(b["source"], "\(bp).source")
            _ = reader.choice(reader.required(b, "model", bp, parent: backgroundNode), "\(bp).model",
                              ["gompertz-makeham"])
            for sex in ["male", "female"] {
                let p = "\(bp).\(sex)"
                guard let g = reader.object(reader.required(b, sex, bp, parent: backgroundNode), p,
                                            allowed: ["a", "b", "c"]) else {
                    continue
                }
                let params = ["a", "b", "c"].map {
                    reader.number(reader.required(g, $0, p, parent: b[sex]), "\(p).\($0)", in: 0...10) ?? 0
                }
                let gm = Mortality.GompertzMakeham(a: params[0], b: params[1], c: params[2])
                if sex == "male" { result.male = gm } else { result.female = gm }
            }
        }
        if let hr = m["hazardRatio"] {
            result.hazardRatio = predictor(hr, "\(path).hazardRatio", timeVaryingAllowed: false)
        }
        if let ex = m["excess"] { result.excess = predictor(ex, "\(path).excess", timeVaryingAllowed: false) }
        result.excessAgeKnots = knots(m["excessAgeKnots"], "\(path).excessAgeKnots")
        if let node = m["causes"] { result.causes = causes(node, "\(path).causes") }
        return result
    }

    /// Causes of death: one takes the background hazard and the general excess, the others an excess of their own.
    private func causes(_ node: JSONNode, _ path: String) -> [DeathCause] {
        let allowed: Set<String> = ["id", "text", "codes", "excess", "background", "requires", "source", "note"]
        var result: [DeathCause] = []
        for (i, item) in (reader.array(node, path) ?? []).enumerated() {
            let p = "\(path)[\(i)]"
            guard let c = reader.object(item, p, allowed: allowed) else { continue }
            checkSource(c["source"], "\(p).source")
            let id = reader.string(reader.required(c, "id", p, parent: item), "\(p).id") ?? "?"
            let text = reader.string(reader.required(c, "text", p, parent: item), "\(p).text") ?? id
            let concept = Concept(key: "death-cause:\(id)", kind: .attributeValue, text: text,
                                  codes: codes(reader.required(c, "codes", p, parent: item), "\(p).codes"))
            let takesBackground = reader.bool(c["background"], "\(p).background") ?? false
            if takesBackground && c["excess"] != nil {
                reader.report("\(p).excess", c["excess"], "the background cause takes the general excess; "
                    + "give other causes an excess of their own")
            }
            let excess = c["excess"].map { predictor($0, "\(p).excess", timeVaryingAllowed: false) } ?? Predictor(0)
            var required: [Int] = []
            for (k, name) in (reader.array(c["requires"], "\(p).requires") ?? []).enumerated() {
                guard let text = reader.string(name, "\(p).requires[\(k)]") else { continue }
                if let e = symbols.events[text] { required.append(e) } else {
                    reader.report("\(p).requires[\(k)]", name, "no event named \"\(text)\"")
                }
            }
            result.append(DeathCause(id: id, concept: concept, excess: excess, takesBackground: takesBackground,
                                     requiredEvents: required))
        }
        let background = result.filter(\.takesBackground).count
        if !result.isEmpty && background != 1 {
            reader.report(path, node, "exactly one cause must take the background (\"background\": true); "
                + "found \(background)")
        }
        return result
    }
}
