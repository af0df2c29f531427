import Foundation
import Serialization
import Timelines

/// Names declared in a template, resolved to indices before any body is decoded.
struct TemplateSymbols {
    var attributes: [String: Int] = [:]
    var categoryValues: [Int: [String]] = [:]
    var randomEffects: [String: Int] = [:]
    var measures: [String: Int] = [:]
    var events: [String: Int] = [:]
    var treatments: [String: Int] = [:]
    var states: [String: Int] = [:]
    var sources: Set<String> = []
}

extension TemplateDecoder {
    /// A list of codings: `[{"system": "snomed", "code": "…", "display": "…"}]`.
    func codes(_ node: JSONNode?, _ path: String) -> [ClinicalCode] {
        guard let items = reader.array(node, path) else { return [] }
        if items.isEmpty { reader.report(path, node, "needs at least one code") }
        var result: [ClinicalCode] = []
        for (i, item) in items.enumerated() {
            let p = "\(path)[\(i)]"
            guard let m = reader.object(item, p, allowed: ["system", "code", "display"]) else { continue }
            guard let systemName = reader.string(reader.required(m, "system", p, parent: item), "\(p).system"),
                  let code = reader.string(reader.required(m, "code", p, parent: item), "\(p).code") else { continue }
            guard let uri = CodeSystems.uri(for: systemName) else {
                reader.report("\(p).system", m["system"], "unknown code system \"\(systemName)\"; use one of "
                    + CodeSystems.byShortName.keys.sorted().joined(separator: ", ") + " or a URI")
                continue
            }
            if code.isEmpty || code.contains(where: { $0.isWhitespace && $0 != " " }) {
                reader.report("\(p).code", m["code"], "a code must be non-empty and on one line")
            }
            result.append(ClinicalCode(system: uri, code: code, display: reader.string(m["display"], "\(p).display")))
        }
        return result
    }

    /// A predictor: a number, or `{"value": …, "effects": […], "source": …}`.
    func predictor(_ node: JSONNode?, _ path: String, timeVaryingAllowed: Bool = true) -> Predictor {
        guard let node else { return Predictor(0) }
        if let d = node.numberValue { return Predictor(d) }
        guard let m = reader.object(node, path, allowed: ["value", "effects", "min", "max", "source", "note"]) else {
            return Predictor(0)
        }
        checkSource(m["source"], "\(path).source")
        let base = reader.number(reader.required(m, "value", path, parent: node), "\(path).value") ?? 0
        var effects: [Effect] = []
        for (i, item) in (reader.array(m["effects"], "\(path).effects") ?? []).enumerated() {
            if let e = effect(item, "\(path).effects[\(i)]", timeVaryingAllowed: timeVaryingAllowed) {
                effects.append(e)
            }
        }
        var result = Predictor(base, effects: effects)
        result.minimum = reader.number(m["min"], "\(path).min")
        result.maximum = reader.number(m["max"], "\(path).max")
        if let lo = result.minimum, let hi = result.maximum, lo > hi {
            reader.report("\(path).min", m["min"], "min (\(lo)) is above max (\(hi))")
        }
        return result
    }

    private static let effectKeys: Set<String> = [
        "sex", "attribute", "equals", "variable", "state", "notState", "atLeast", "below",
        "center", "per", "add", "multiply", "addPer", "multiplyPer", "addExp", "randomEffect", "sd", "logSd", "loading",
        "logLoading", "source", "note",
    ]

    private static let randomEffectScales = ["sd", "logSd", "loading", "logLoading"]

    /// How a random effect enters: `sd`/`logSd` are spreads (never negative, like every SD);
    /// `loading`/`logLoading` are signed, for a value that falls as the random effect rises.
    private func randomEffectActions(_ m: [String: JSONNode], _ node: JSONNode, _ path: String, index: Int,
                                     name: String, into actions: inout [EffectAction], ok: inout Bool) {
        for key in Self.randomEffectScales {
            guard let value = reader.number(m[key], "\(path).\(key)") else { continue }
            let signed = key.hasSuffix("oading")
            if !signed && value < 0 {
                let loading = key == "sd" ? "loading" : "logLoading"
                reader.report("\(path).\(key)", m[key],
                              "\"\(key)\" is a standard deviation and cannot be negative (\(value)); for a value that "
                                  + "falls as \"\(name)\" rises, write \"\(loading)\": \(value)")
                ok = false
                continue
            }
            actions.append(key == "sd" || key == "loading" ? .randomAdd(effect: index, sd: value)
                : .randomMultiply(effect: index, logSd: value))
        }
        if !Self.randomEffectScales.contains(where: { m[$0] != nil }) {
            reader.report(path, node,
                          "a \"randomEffect\" needs \"sd\" or \"loading\" "
                              + "(added), or \"logSd\" or \"logLoading\" (multiplied)")
            ok = false
        }
    }

    func effect(_ node: JSONNode, _ path: String, timeVaryingAllowed: Bool) -> Effect? {
        guard let m = reader.object(node, path, allowed: Self.effectKeys) else { return nil }
        checkSource(m["source"], "\(path).source")
        var condition = EffectCondition()
        var ok = true
        if let s = reader.choice(m["sex"], "\(path).sex", ["male", "female"]) { condition.sex = Sex(rawValue: s) }
        for (key, required) in [("state", true), ("notState", false)] {
            guard let names = stateList(m[key], "\(path).\(key)") else { continue }
            for index in names {
                if required {
                    condition.requiredStates |= 1 << UInt64(index)
                } else {
                    condition.forbiddenStates |= 1 << UInt64(index)
                }
            }
        }
        // The variable the effect reads: a continuous attribute or a named variable.
        var variable: Variable?
        var categorical: (Int, [String])?
        if let name = reader.string(m["attribute"], "\(path).attribute") {
            if let index = symbols.attributes[name] {
                if let values = symbols.categoryValues[index] {
                    categorical = (index, values)
                } else {
                    variable = .attribute(index)
                }
            } else {
                reader.report("\(path).attribute", m["attribute"], "no attribute named \"\(name)\" is defined")
                ok = false
            }
        }
        if let name = reader.string(m["variable"], "\(path).variable") {
            if m["attribute"] != nil {
                reader.report(path, node, "give either \"attribute\" or \"variable\", not both"); ok = false
            }
            if let v = resolveVariable(name, m["variable"], "\(path).variable") {
                if !timeVaryingAllowed, v == .age || v == .calendarYear {
                    reader.report("\(path).variable", m["variable"],
                                  "\"\(name)\" changes continuously and cannot be used here (slopes and hazards are "
                                      + "constant between events); use age knots or a state instead")
                    ok = false
                }
                variable = v
            } else { ok = false }
        }
        if let equals = m["equals"] {
            if let (index, values) = categorical, let s = reader.string(equals, "\(path).equals") {
                if let vi = values.firstIndex(of: s) { condition.category = (index, vi) } else {
                    reader.report("\(path).equals", equals, "\"\(s)\" is not a value of this attribute ("
                        + values.joined(separator: ", ") + ")")
                    ok = false
                }
            } else if categorical == nil {
                reader.report("\(path).equals", equals, "\"equals\" needs a categorical \"attribute\"")
                ok = false
            }
        } else if categorical != nil {
            reader.report(path, node, "a categorical attribute needs \"equals\" naming one of its values")
            ok = false
        }
        let atLeast = reader.number(m["atLeast"], "\(path).atLeast")
        let below = reader.number(m["below"], "\(path).below")
        if atLeast != nil || below != nil {
            if let v = variable {
                condition.range = (v, atLeast ?? -.infinity, below ?? .infinity)
            } else {
                reader.report(path, node, "\"atLeast\"/\"below\" need a continuous \"attribute\" or a \"variable\"")
                ok = false
            }
        }
        let center = reader.number(m["center"], "\(path).center") ?? 0
        let per = reader.number(m["per"], "\(path).per") ?? 1
        if per == 0 { reader.report("\(path).per", m["per"], "\"per\" must not be zero"); ok = false }
        var actions: [EffectAction] = []
        if let a = reader.number(m["add"], "\(path).add") { actions.append(.add(a)) }
        if let f = reader.number(m["multiply"], "\(path).multiply") { actions.append(.multiply(f)) }
        for key in ["addPer", "multiplyPer"] {
            guard let amount = reader.number(m[key], "\(path).\(key)") else { continue }
            guard let v = variable else {
                reader.report("\(path).\(key)", m[key], "\"\(key)\" needs a continuous \"attribute\" or a \"variable\"")
                ok = false
                continue
            }
            if key == "multiplyPer" && amount <= 0 {
                reader.report("\(path).multiplyPer", m[key], "\"multiplyPer\" must be positive"); ok = false
            }
            actions.append(key == "addPer" ? .addPer(variable: v, center: center, per: per, amount: amount)
                : .multiplyPer(variable: v, center: center, per: per, factor: amount))
        }
        if let body = m["addExp"] {
            addExponential(body, "\(path).addExp", variable: variable, into: &actions, ok: &ok)
        }
        if let name = reader.string(m["randomEffect"], "\(path).randomEffect") {
            if let index = symbols.randomEffects[name] {
                randomEffectActions(m, node, path, index: index, name: name, into: &actions, ok: &ok)
            } else {
                reader.report("\(path).randomEffect", m["randomEffect"],
                              "no random effect named \"\(name)\" is declared")
                ok = false
            }
        } else if Self.randomEffectScales.contains(where: { m[$0] != nil }) {
            reader.report(path, node, "\"sd\", \"logSd\", \"loading\" and \"logLoading\" need a \"randomEffect\"")
            ok = false
        }
        if actions.count != 1 {
            if ok {
                reader.report(path, node, actions.isEmpty
                    ? "an effect needs one action: add, multiply, addPer, multiplyPer, addExp, or randomEffect with sd/logSd"
                    : "an effect takes exactly one action; split it into several effects")
            }
            return nil
        }
        return ok ? Effect(condition: condition, action: actions[0]) : nil
    }

    /// `"addExp": {"intercept": a, "slope": b}` adds `exp(a + b × x)` of the effect's variable.
    private func addExponential(_ body: JSONNode, _ path: String, variable: Variable?,
                                into actions: inout [EffectAction], ok: inout Bool) {
        guard let b = reader.object(body, path, allowed: ["intercept", "slope"]),
              let intercept = reader.required(b, "intercept", path, parent: body).flatMap({
                  reader.number($0, "\(path).intercept") }),
              let slope = reader.required(b, "slope", path, parent: body).flatMap({
                  reader.number($0, "\(path).slope") })
        else { ok = false; return }
        guard let variable else {
            reader.report(path, body, "\"addExp\" needs a continuous \"attribute\" or a \"variable\"")
            ok = false
            return
        }
        actions.append(.addExp(variable: variable, intercept: intercept, slope: slope))
    }

    func resolveVariable(_ name: String, _ node: JSONNode?, _ path: String) -> Variable? {
        if name == "age" { return .age }
        if name == "year" { return .calendarYear }
        if name.hasSuffix(".age") {
            let state = String(name.dropLast(4))
            if let index = symbols.states[state] { return .stateAge(index) }
        }
        if let index = symbols.attributes[name], symbols.categoryValues[index] == nil { return .attribute(index) }
        reader.report(path, node, "unknown variable \"\(name)\"; use \"age\", \"year\", \"<state>.age\" "
            + "(states: \(symbols.states.keys.sorted().joined(separator: ", "))) or a continuous attribute")
        return nil
    }

    /// A state name or a list of them, resolved to indices.
    func stateList(_ node: JSONNode?, _ path: String) -> [Int]? {
        guard let node else { return nil }
        let names: [String]
        if let s = node.stringValue { names = [s] } else { names = reader.strings(node, path) ?? [] }
        var result: [Int] = []
        for name in names {
            if let index = symbols.states[name] { result.append(index) } else {
                reader.report(path, node, "no state named \"\(name)\" (states: "
                    + symbols.states.keys.sorted().joined(separator: ", ") + ")")
            }
        }
        return result
    }

    func stateMask(_ node: JSONNode?, _ path: String) -> UInt64 {
        (stateList(node, path) ?? []).reduce(0) { $0 | (1 << UInt64($1)) }
    }

    /// A single state name, or nil for "birth".
    func state(_ node: JSONNode?, _ path: String) -> Int? {
        guard let name = reader.string(node, path), name != "birth" else { return nil }
        if let index = symbols.states[name] { return index }
        reader.report(path, node, "no state named \"\(name)\" (use \"birth\" or one of: "
            + symbols.states.keys.sorted().joined(separator: ", ") + ")")
        return nil
    }

    static let distributionFamilies = ["fixed", "normal", "lognormal", "gamma", "weibull", "exponential", "uniform",
                                       "logistic"]

    /// A distribution: `{"lognormal": {"median": …, "sigma": …}, "min": …, "max": …, "randomEffect": …}`.
    func distribution(_ node: JSONNode?, _ path: String) -> Distribution {
        let fallback = Distribution(.fixed(Predictor(0)))
        guard let node else { return fallback }
        let allowed = Set(Self.distributionFamilies + ["min", "max", "randomEffect", "source", "note"])
        guard let m = reader.object(node, path, allowed: allowed) else { return fallback }
        checkSource(m["source"], "\(path).source")
        let families = Self.distributionFamilies.filter { m[$0] != nil }
        guard families.count == 1, let name = families.first, let body = m[name] else {
            reader.report(path, node,
                          "give exactly one distribution family: " + Self.distributionFamilies.joined(separator: ", "))
            return fallback
        }
        let p = "\(path).\(name)"
        func params(_ keys: [String]) -> [Predictor]? {
            guard let b = reader.object(body, p, allowed: Set(keys)) else { return nil }
            var result: [Predictor] = []
            for key in keys {
                guard let n = reader.required(b, key, p, parent: body) else { return nil }
                result.append(predictor(n, "\(p).\(key)"))
            }
            return result
        }
        var family: Distribution.Family?
        switch name {
        case "fixed": family = .fixed(predictor(body, p))
        case "normal": if let v = params(["mean", "sd"]) { family = .normal(mean: v[0], sd: v[1]) }
        case "lognormal":
            if body["mean"] != nil {
                if let v = params(["mean", "sd"]) {
                    // Moments → (median, sigma) when the parameters are plain numbers.
                    if v[0].isConstant && v[1].isConstant && v[0].base > 0 {
                        let cv2 = (v[1].base / v[0].base) * (v[1].base / v[0].base)
                        let sigma = (log(1 + cv2)).squareRoot()
                        family = .lognormal(median: Predictor(v[0].base / (1 + cv2).squareRoot()),
                                            sigma: Predictor(sigma))
                    } else {
                        reader.report(p, body,
                                      "a lognormal given by mean and sd needs plain "
                                          + "positive numbers; use median and sigma for predictors")
                    }
                }
            } else if let v = params(["median", "sigma"]) { family = .lognormal(median: v[0], sigma: v[1]) }
        case "gamma": if let v = params(["mean", "sd"]) { family = .gamma(mean: v[0], sd: v[1]) }
        case "weibull": if let v = params(["scale", "shape"]) { family = .weibull(scale: v[0], shape: v[1]) }
        case "exponential": if let v = params(["mean"]) { family = .exponential(mean: v[0]) }
        case "uniform": if let v = params(["min", "max"]) { family = .uniform(min: v[0], max: v[1]) }
        case "logistic": if let v = params(["mean", "variance"]) { family = .logistic(mean: v[0], variance: v[1]) }
        default: break
        }
        var result = Distribution(family ?? .fixed(Predictor(0)))
        result.minimum = reader.number(m["min"], "\(path).min")
        result.maximum = reader.number(m["max"], "\(path).max")
        if let lo = result.minimum, let hi = result.maximum, lo > hi {
            reader.report(path, node, "min (\(lo)) is greater than max (\(hi))")
        }
        if let name = reader.string(m["randomEffect"], "\(path).randomEffect") {
            if let index = symbols.randomEffects[name] {
                result.randomEffect = index
                if !result.supportsRandomEffect {
                    reader.report("\(path).randomEffect", m["randomEffect"],
                                  "a gamma distribution cannot be driven by a random effect; use lognormal or weibull")
                }
            } else {
                reader.report("\(path).randomEffect", m["randomEffect"],
                              "no random effect named \"\(name)\" is declared")
            }
        }
        checkPositiveParameters(result, node, path)
        return result
    }

    /// Scale parameters that are plain numbers must be positive.
    private func checkPositiveParameters(_ d: Distribution, _ node: JSONNode, _ path: String) {
        let positive: [(String, Predictor)]
        switch d.family {
        case .normal(_, let sd): positive = [("sd", sd)]
        case .lognormal(let median, let sigma): positive = [("median", median), ("sigma", sigma)]
        case .gamma(let mean, let sd): positive = [("mean", mean), ("sd", sd)]
        case .weibull(let scale, let shape): positive = [("scale", scale), ("shape", shape)]
        case .exponential(let mean): positive = [("mean", mean)]
        case .logistic(_, let variance): positive = [("variance", variance)]
        case .uniform(let lo, let hi):
            if lo.isConstant && hi.isConstant && lo.base > hi.base {
                reader.report(path, node, "uniform min is greater than max")
            }
            positive = []
        case .fixed: positive = []
        }
        for (name, p) in positive where p.isConstant && p.base <= 0 {
            reader.report(path, node, "\(name) must be positive, found \(p.base)")
        }
    }

    /// Piecewise multipliers: `[[time, multiplier], …]` with increasing times starting at 0.
    func knots(_ node: JSONNode?, _ path: String) -> [(time: Double, multiplier: Double)] {
        guard let node else { return [] }
        guard let items = reader.array(node, path) else { return [] }
        var result: [(Double, Double)] = []
        for (i, item) in items.enumerated() {
            let p = "\(path)[\(i)]"
            guard let pair = reader.array(item, p), pair.count == 2,
                  let t = reader.number(pair[0], "\(p)[0]"), let m = reader.number(pair[1], "\(p)[1]") else {
                if item.arrayValue?.count != 2 { reader.report(p, item, "expected a [time, multiplier] pair") }
                continue
            }
            if m < 0 { reader.report("\(p)[1]", pair[1], "a multiplier must not be negative") }
            if let last = result.last, t <= last.0 { reader.report("\(p)[0]", pair[0], "knot times must increase") }
            result.append((t, m))
        }
        if let first = result.first, first.0 != 0 {
            reader.report("\(path)[0][0]", items.first, "the first knot must be at time 0")
        }
        return result
    }

    func checkSource(_ node: JSONNode?, _ path: String) {
        guard let node else { return }
        guard let key = reader.string(node, path) else { return }
        if !symbols.sources.contains(key) && !key.hasPrefix("assumption:") {
            reader.report(path, node,
                          "source \"\(key)\" is not listed in \"sources\" (or start the text with \"assumption:\")")
        }
    }

    func probability(_ node: JSONNode?, _ path: String) -> Double? {
        reader.number(node, path, in: 0...1)
    }
}
