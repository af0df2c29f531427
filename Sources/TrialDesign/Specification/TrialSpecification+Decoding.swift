import Serialization
import Timelines

extension TrialSpecification {
    /// The `format` value a trial file must carry.
    package static let formatName = "zebra-trial"

    /// Loads a trial specification; every syntax and structure problem found is in the error.
    /// (Names of measures, events and attributes are checked against the template by `TrialPlan`.)
    package static func load(from path: String) throws(TrialSpecificationError) -> TrialSpecification {
        let bytes: [UInt8]
        do { bytes = try readFileBytes(path) } catch {
            throw TrialSpecificationError(file: path,
                                          problems: [TrialProblem(file: path, path: "$", line: 0,
                                                                  message: error.message)])
        }
        return try decode(bytes, file: path)
    }

    /// Decodes a trial specification from JSON bytes; `file` names it in messages.
    package static func decode(_ bytes: [UInt8], file: String) throws(TrialSpecificationError) -> TrialSpecification {
        let root: JSONNode
        do { root = try JSONParser.parse(bytes) } catch {
            throw TrialSpecificationError(file: file, problems: [TrialProblem(
                file: file, path: "$", line: error.line,
                message: "not valid JSON: \(error.message) (column \(error.column))")])
        }
        let reader = JSONDocumentReader(file: file)
        let spec = SpecificationDecoder(reader: reader).decode(root)
        guard var spec, reader.problems.isEmpty else {
            throw TrialSpecificationError(file: file, problems: reader.problems)
        }
        spec.lines = reader.lines
        return spec
    }
}

/// Decodes the sections of a trial file.
struct SpecificationDecoder {
    let reader: JSONDocumentReader

    func decode(_ root: JSONNode) -> TrialSpecification? {
        let keys: Set<String> = ["$schema", "format", "formatVersion", "id", "title", "description", "disease",
                                 "intervention", "eligibility", "index", "endpoint", "visits", "arms", "covariates",
                                 "windows", "simulation", "missingCovariates", "imputations", "estimand", "notes"]
        guard let top = reader.object(root, "$", allowed: keys) else { return nil }
        if let format = reader.string(top["format"], "$.format"), format != TrialSpecification.formatName {
            reader.report("$.format", top["format"],
                          "expected \"\(TrialSpecification.formatName)\", found \"\(format)\"")
        }
        if let v = reader.integer(top["formatVersion"], "$.formatVersion", in: 0...1_000), v != 1 {
            reader.report("$.formatVersion", top["formatVersion"],
                          "unsupported format version \(v) (this Zebra reads 1)")
        }
        let id = required(top, "id", "$").flatMap { reader.string($0, "$.id") }
        let disease = required(top, "disease", "$").flatMap { reader.string($0, "$.disease") }
        let title = reader.string(top["title"], "$.title")
        let description = reader.string(top["description"], "$.description") ?? ""
        let intervention = decodeIntervention(top["intervention"])
        let eligibility = decodeEligibility(required(top, "eligibility", "$"), "$.eligibility")
        let endpoint = required(top, "endpoint", "$").flatMap(decodeEndpoint)
        let visits = required(top, "visits", "$").flatMap { decodeVisits($0, endpoint: endpoint) }
        let index = decodeIndex(top["index"], intervention: intervention)
        let arms = decodeArms(top["arms"], intervention: intervention)
        let covariates = reader.strings(top["covariates"], "$.covariates")
        let windows = reader.object(top["windows"], "$.windows", allowed: ["baselineDays", "visitDays"])
        let baselineDays = reader.integer(windows?["baselineDays"], "$.windows.baselineDays", in: 0...3_650) ?? 180
        let visitDays = reader.integer(windows?["visitDays"], "$.windows.visitDays", in: 1...730) ?? 60
        let simulation = decodeSimulation(top["simulation"], arms: arms)
        let missing = reader.choice(top["missingCovariates"], "$.missingCovariates",
                                    MissingCovariatePolicy.allCases.map(\.rawValue))
            .flatMap(MissingCovariatePolicy.init(rawValue:)) ?? .refuse
        let imputations = reader.integer(top["imputations"], "$.imputations", in: 2...1_000)
        if imputations != nil && missing != .impute {
            reader.report("$.imputations", top["imputations"], "only used with \"missingCovariates\": \"impute\"")
        }
        guard let id, let disease, let eligibility, let endpoint, let visits, let index, let arms, let simulation else {
            return nil
        }
        var spec = TrialSpecification(
            id: id, title: title ?? id, description: description, disease: disease, eligibility: eligibility,
            index: index, endpoint: endpoint, visitMonths: visits, arms: arms, intervention: intervention,
            covariates: covariates, baselineWindowDays: baselineDays, visitWindowDays: visitDays,
            simulation: simulation, file: reader.file)
        spec.missingCovariates = missing
        spec.imputations = imputations ?? 20
        spec.intercurrentEvents = decodeEstimand(top["estimand"])
        return spec
    }

    /// `{"intercurrentEvents": [{"event": "death", "strategy": "composite"}, …]}`.
    private func decodeEstimand(_ node: JSONNode?) -> [IntercurrentEvent] {
        guard let m = reader.object(node, "$.estimand", allowed: ["intercurrentEvents", "description", "note"]) else {
            return []
        }
        var events: [IntercurrentEvent] = []
        for (i, item) in (reader.array(m["intercurrentEvents"], "$.estimand.intercurrentEvents") ?? []).enumerated() {
            let path = "$.estimand.intercurrentEvents[\(i)]"
            guard let o = reader.object(item, path, allowed: ["event", "strategy", "note"]),
                  let event = required(o, "event", path).flatMap({ reader.string($0, "\(path).event") }),
                  let strategy = required(o, "strategy", path).flatMap({
                      reader.choice($0, "\(path).strategy", IntercurrentEvent.Strategy.allCases.map(\.rawValue))
                  }).flatMap(IntercurrentEvent.Strategy.init(rawValue:)) else { continue }
            if events.contains(where: { $0.event == event }) {
                reader.report("\(path).event", o["event"], "\"\(event)\" is named twice")
            }
            events.append(IntercurrentEvent(event: event, strategy: strategy))
        }
        return events
    }

    private func required(_ members: [String: JSONNode], _ key: String, _ path: String) -> JSONNode? {
        if let node = members[key] { return node }
        reader.report(path, nil, "missing required key \"\(key)\"")
        return nil
    }

    private func decodeIntervention(_ node: JSONNode?) -> Intervention {
        guard let m = reader.object(node, "$.intervention", allowed: ["name", "treatment"]) else {
            return Intervention(name: "investigational treatment", treatment: nil)
        }
        let treatment = reader.string(m["treatment"], "$.intervention.treatment")
        let name = reader.string(m["name"], "$.intervention.name") ?? treatment ?? "investigational treatment"
        return Intervention(name: name, treatment: treatment)
    }

    func decodeEligibility(_ node: JSONNode?, _ path: String) -> Eligibility? {
        let keys: Set<String> = ["age", "sex", "attributes", "measures", "diseaseDuration", "ambulatory",
                                 "eventsAbsent", "eventsPresent", "priorTreatment", "calendar"]
        guard let m = reader.object(node, path, allowed: keys) else { return nil }
        var e = Eligibility()
        e.age = reader.range(m["age"], "\(path).age")
        if let sexes = reader.strings(m["sex"], "\(path).sex") {
            var parsed: [Sex] = []
            for (i, s) in sexes.enumerated() {
                if let sex = Sex(rawValue: s) { parsed.append(sex) } else {
                    reader.report("\(path).sex[\(i)]", nil, "\"\(s)\" is not \"male\" or \"female\"")
                }
            }
            if sexes.isEmpty {
                reader.report("\(path).sex", m["sex"], "an empty list of sexes: nobody can be eligible")
            }
            e.sexes = parsed
        }
        for member in reader.members(m["attributes"], "\(path).attributes") {
            let p = "\(path).attributes.\(member.key)"
            if member.node.arrayValue != nil {
                let values = reader.strings(member.node, p) ?? []
                if values.isEmpty { reader.report(p, member.node, "an empty list of values: nobody can be eligible") }
                e.categories.append(.init(attribute: member.key, values: values))
            } else if let r = reader.range(member.node, p) {
                e.attributes.append(.init(id: member.key, range: r))
            }
        }
        for member in reader.members(m["measures"], "\(path).measures") {
            if let r = reader.range(member.node, "\(path).measures.\(member.key)") {
                e.measures.append(.init(id: member.key, range: r))
            }
        }
        e.diseaseDuration = reader.range(m["diseaseDuration"], "\(path).diseaseDuration")
        e.absentEvents = reader.strings(m["eventsAbsent"], "\(path).eventsAbsent") ?? []
        e.presentEvents = reader.strings(m["eventsPresent"], "\(path).eventsPresent") ?? []
        if reader.bool(m["ambulatory"], "\(path).ambulatory") == true, !e.absentEvents.contains("loss-of-ambulation") {
            e.absentEvents.append("loss-of-ambulation")
        }
        if let p = reader.choice(m["priorTreatment"], "\(path).priorTreatment", ["excluded", "allowed", "required"]) {
            e.priorTreatment = Eligibility.PriorTreatment(rawValue: p)!
        }
        if let cal = reader.object(m["calendar"], "\(path).calendar", allowed: ["from", "to"]) {
            e.calendarFrom = date(cal["from"], "\(path).calendar.from")
            e.calendarTo = date(cal["to"], "\(path).calendar.to")
            if let a = e.calendarFrom, let b = e.calendarTo, b < a {
                reader.report("\(path).calendar", m["calendar"],
                              "the calendar window ends (\(b)) before it starts (\(a))")
            }
        }
        return e
    }

    private func date(_ node: JSONNode?, _ path: String) -> CalendarDay? {
        guard let s = reader.string(node, path) else { return nil }
        guard let d = CalendarDay(iso: s) else {
            reader.report(path, node, "expected a date YYYY-MM-DD, found \"\(s)\"")
            return nil
        }
        return d
    }

    private func decodeEndpoint(_ node: JSONNode) -> Endpoint? {
        guard let m = reader.object(node, "$.endpoint", allowed: ["type", "measure", "event", "months"]) else {
            return nil
        }
        let type = reader.choice(m["type"], "$.endpoint.type", ["change", "slope", "time-to-event"])
        guard let monthsNode = m["months"] else {
            reader.report("$.endpoint", node, "missing required key \"months\"")
            return nil
        }
        guard let months = reader.number(monthsNode, "$.endpoint.months", in: 0.5...240) else { return nil }
        switch type {
        case "change", "slope":
            guard let measure = reader.string(m["measure"], "$.endpoint.measure") else {
                if m["measure"] == nil { reader.report("$.endpoint", node, "a \(type!) endpoint needs \"measure\"") }
                return nil
            }
            return type == "change" ? .change(measure: measure, months: months)
                : .slope(measure: measure, months: months)
        case "time-to-event":
            guard let event = reader.string(m["event"], "$.endpoint.event") else {
                if m["event"] == nil { reader.report("$.endpoint", node, "a time-to-event endpoint needs \"event\"") }
                return nil
            }
            return .timeToEvent(event: event, months: months)
        default:
            return nil
        }
    }

    private func decodeVisits(_ node: JSONNode, endpoint: Endpoint?) -> [Double]? {
        guard let m = reader.object(node, "$.visits", allowed: ["months", "everyMonths"]) else { return nil }
        var months: [Double]
        if let list = reader.array(m["months"], "$.visits.months") {
            months = list.enumerated().compactMap { reader.number($1, "$.visits.months[\($0)]", in: 0...240) }
        } else if let every = reader.number(m["everyMonths"], "$.visits.everyMonths", in: 0.25...120) {
            let until = endpoint?.months ?? every
            months = stride(from: 0.0, through: until + 1e-9, by: every).map { $0 }
        } else {
            reader.report("$.visits", node, "give \"months\" (a list) or \"everyMonths\"")
            return nil
        }
        if months.first != 0 { months.insert(0, at: 0) }
        if zip(months, months.dropFirst()).contains(where: { $0 >= $1 }) {
            reader.report("$.visits.months", m["months"], "visit months must increase")
            return nil
        }
        if let endpoint, !endpoint.isTimeToEvent, !months.contains(where: { abs($0 - endpoint.months) < 1e-9 }) {
            reader.report("$.visits", node, "no visit at the endpoint time (\(formatMonths(endpoint.months)) months)")
            return nil
        }
        return months
    }

    private func decodeIndex(_ node: JSONNode?, intervention: Intervention) -> IndexRule? {
        let m = reader.object(node, "$.index", allowed: ["rule", "treated", "resolutionDays"]) ?? [:]
        let choice = reader.choice(m["rule"], "$.index.rule", ["first-eligible", "random-eligible"]) ?? "first-eligible"
        let fallback = intervention.treatment != nil ? "intervention-start" : "first-eligible-visit"
        let treated = reader.choice(m["treated"], "$.index.treated", ["intervention-start", "first-eligible-visit"])
            ?? fallback
        if treated == "intervention-start" && intervention.treatment == nil {
            reader.report("$.index.treated", m["treated"],
                          "\"intervention-start\" needs \"intervention\": {\"treatment\": <template treatment id>}")
        }
        let resolution = reader.number(m["resolutionDays"], "$.index.resolutionDays", in: 1...365) ?? 14
        return IndexRule(choice: .init(rawValue: choice)!, treated: .init(rawValue: treated)!,
                         resolutionDays: resolution)
    }

    private func decodeArms(_ node: JSONNode?, intervention: Intervention) -> [TrialArm]? {
        guard let items = reader.array(node, "$.arms") else {
            return [TrialArm(id: "treated", name: intervention.name, role: .treated, size: nil),
                    TrialArm(id: "synthetic-control", name: "Synthetic natural-history control", role: .control,
                             size: nil)]
        }
        var arms: [TrialArm] = []
        for (i, item) in items.enumerated() {
            let p = "$.arms[\(i)]"
            guard let m = reader.object(item, p, allowed: ["id", "name", "role", "size"]) else { continue }
            guard let id = reader.string(m["id"], "\(p).id"),
                  let role = reader.choice(m["role"], "\(p).role", ["treated", "control"]) else {
                if m["id"] == nil || m["role"] == nil { reader.report(p, item, "an arm needs \"id\" and \"role\"") }
                continue
            }
            let name = reader.string(m["name"], "\(p).name") ?? id
            let size = reader.integer(m["size"], "\(p).size", in: 1...1_000_000)
            arms.append(TrialArm(id: id, name: name, role: .init(rawValue: role)!, size: size))
        }
        for role in [TrialArm.Role.treated, .control] where arms.filter({ $0.role == role }).count != 1 {
            reader.report("$.arms", node, "expected exactly one arm with role \"\(role.rawValue)\"")
        }
        return arms
    }

    private func decodeSimulation(_ node: JSONNode?, arms: [TrialArm]?) -> SimulationSettings? {
        let keys: Set<String> = ["treated", "concurrentControls", "hybridConcurrentControls", "externalControls",
                                 "matchingRatio", "effect", "treatedSelection"]
        let m = reader.object(node, "$.simulation", allowed: keys) ?? [:]
        let treated = reader.integer(m["treated"], "$.simulation.treated", in: 5...100_000)
            ?? arms?.first { $0.role == .treated }?.size ?? 50
        let concurrent = reader.integer(m["concurrentControls"], "$.simulation.concurrentControls", in: 5...100_000)
            ?? treated
        let hybrid = reader.integer(m["hybridConcurrentControls"], "$.simulation.hybridConcurrentControls",
                                    in: 1...100_000)
            ?? max(treated / 2, 1)
        let ratio = reader.integer(m["matchingRatio"], "$.simulation.matchingRatio", in: 1...20) ?? 3
        let external = reader.integer(m["externalControls"], "$.simulation.externalControls", in: 10...1_000_000)
            ?? max(1_000, 4 * ratio * treated)
        if hybrid >= treated {
            reader.report("$.simulation.hybridConcurrentControls", m["hybridConcurrentControls"],
                          "a hybrid design needs fewer concurrent controls "
                              + "(\(hybrid)) than treated patients (\(treated))")
        }
        let effect = decodeEffect(m["effect"])
        let selection = decodeSelection(m["treatedSelection"])
        return SimulationSettings(treated: treated, concurrentControls: concurrent, hybridConcurrentControls: hybrid,
                                  externalControls: external, matchingRatio: ratio, effect: effect,
                                  treatedSelection: selection)
    }

    private func decodeEffect(_ node: JSONNode?) -> TreatmentEffect? {
        guard let m = reader.object(node, "$.simulation.effect",
                                    allowed: ["difference", "progressionMultiplier", "hazardRatio"]) else {
            return nil
        }
        if m.count != 1 {
            reader.report("$.simulation.effect", node,
                          "give exactly one of \"difference\", \"progressionMultiplier\", \"hazardRatio\"")
            return nil
        }
        if let d = reader.number(m["difference"], "$.simulation.effect.difference") { return .difference(d) }
        if let x = reader.number(m["progressionMultiplier"], "$.simulation.effect.progressionMultiplier", in: 0...10) {
            return .progressionMultiplier(x)
        }
        if let h = reader.number(m["hazardRatio"], "$.simulation.effect.hazardRatio", in: 0.01...100) {
            return .hazardRatio(h)
        }
        return nil
    }

    private func decodeSelection(_ node: JSONNode?) -> TreatedSelection {
        var s = TreatedSelection()
        guard let m = reader.object(node, "$.simulation.treatedSelection", allowed: ["ranges", "logOdds"]) else {
            return s
        }
        for member in reader.members(m["ranges"], "$.simulation.treatedSelection.ranges") {
            if let r = reader.range(member.node, "$.simulation.treatedSelection.ranges.\(member.key)") {
                s.ranges.append(.init(id: member.key, range: r))
            }
        }
        for member in reader.members(m["logOdds"], "$.simulation.treatedSelection.logOdds") {
            if let b = reader.number(member.node, "$.simulation.treatedSelection.logOdds.\(member.key)",
                                     in: -100...100) {
                s.logOdds.append((member.key, b))
            }
        }
        return s
    }
}
