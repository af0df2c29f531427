import Foundation
import Plotting

/// What the HTML report says about how intercurrent events were handled, with counts.
package struct IntercurrentEventCount: Sendable {
    package var event: String
    package var strategy: String
    package var treated: Int
    package var controls: Int

    package init(event: String, strategy: String, treated: Int, controls: Int) {
        (self.event, self.strategy, self.treated, self.controls) = (event, strategy, treated, controls)
    }
}

extension ControlArmResult {
    /// The control-arm report as one self-contained HTML page: the estimand, the disposition,
    /// balance and overlap, the estimate, the endpoint figure and the sensitivity analyses.
    package func html(plan: TrialPlan, source: String, seed: UInt64, disposition: [(arm: String, step: String,
                                                                                   patients: Int)],
                      intercurrent: [IntercurrentEventCount], endpointSVG: String, trueEffect: Double?) -> String {
        let spec = plan.specification
        let e = estimate
        let f = { (x: Double) in String(format: "%.3f", x) }
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<title>Control arm: \(esc(spec.title))</title>\n<style>\n\(Self.style)\n</style>\n</head>\n<body>\n"
        h += "<h1>\(esc(spec.title))</h1>\n<p class=\"meta\">Trial \(esc(spec.id)) · \(esc(plan.template.name)) "
            + "\(esc(plan.template.version)) · \(esc(plan.generatorDescription)) · seed \(seed) · treated: "
            + "\(esc(source))</p>\n"
        h += "<h2>Estimand (ICH E9(R1))</h2>\n<table>"
        let summary = spec.endpoint.isTimeToEvent ? "hazard ratio (treated vs control), Cox model"
            : "difference in means (treated − control), ANCOVA"
        let weightsText = switch method {
        case .match: "matched controls (average effect in the matched treated)"
        case .weight: "ATT weights (average effect in the treated)"
        case .overlap: "overlap weights (average effect where treated and controls overlap, ATO)"
        }
        let scan = EligibilityScan(criteria: plan.criteria, template: plan.template, step: 1)
        let criteria = scan.orderedCriteria.map(scan.describe).joined(separator: "; ")
        for (k, v) in [("Population", "patients meeting the eligibility criteria at the index date: \(esc(criteria))"),
                       ("Treatment", "\(esc(spec.intervention.name)) vs external natural-history controls, \(weightsText)"),
                       ("Variable", esc(spec.endpoint.summary)), ("Summary measure", summary)] {
            h += "<tr><th>\(k)</th><td>\(v)</td></tr>"
        }
        h += "</table>\n<table><tr><th>intercurrent event</th><th>strategy (as analysed)</th><th>treated</th>"
            + "<th>controls</th></tr>"
        for c in intercurrent {
            h += "<tr><td>\(esc(c.event))</td><td>\(esc(c.strategy))</td><td class=\"n\">\(c.treated)</td>"
                + "<td class=\"n\">\(c.controls)</td></tr>"
        }
        h += "</table>\n<h2>Disposition</h2>\n<table><tr><th>arm</th><th>step</th><th>patients</th></tr>"
        for d in disposition {
            h += "<tr><td>\(esc(d.arm))</td><td>\(esc(d.step))</td><td class=\"n\">\(d.patients)</td></tr>"
        }
        h += "</table>\n<h2>Balance and overlap</h2>\n<table><tr><th>covariate</th><th>SMD before</th>"
            + "<th>SMD after</th><th>variance ratio after</th></tr>"
        for r in balance {
            let flag = r.isImbalanced ? " class=\"bad\"" : ""
            h += "<tr><td>\(esc(r.name))</td><td class=\"n\">\(f(r.smdBefore))</td><td class=\"n\"\(flag)>"
                + "\(f(r.smdAfter))</td><td class=\"n\">\(r.varianceRatioAfter.map(f) ?? "–")</td></tr>"
        }
        h += "</table>\n<p class=\"meta\">Effective sample size: treated \(f(effectiveTreated)), controls "
            + "\(f(effectiveControls)). SMDs after use the adjusted sample's SDs "
            + "(docs/trial-analysis-conventions.md §8).</p>\n<div class=\"charts\">"
        h += SVGFormat.inlined(lovePlotSVG(title: "Covariate balance")) + SVGFormat.inlined(
            overlapSVG(title: "Propensity-score overlap", treatedName: spec.treatedArm.name,
                       controlName: spec.controlArm.name)) + "</div>\n"
        h += "<h2>Estimate</h2>\n<p class=\"big\">"
        if spec.endpoint.isTimeToEvent {
            h += "Hazard ratio \(f(exp(e.estimate))) (95 % CI \(f(exp(e.lower))) to \(f(exp(e.upper)))), "
                + "p = \(f(e.pValue))"
        } else {
            h += "Difference \(f(e.estimate)) (95 % CI \(f(e.lower)) to \(f(e.upper))), p = \(f(e.pValue))"
        }
        h += "</p>\n<p class=\"meta\">\(esc(e.method)); analysed \(e.treatedCount) treated and \(e.controlCount) controls"
        if let s = scoreTest { h += "; robust score test χ² \(f(s.chiSquare)), p = \(f(s.pValue))" }
        if let t = trueEffect, t.isFinite { h += "; true effect of the simulated treated arm \(f(t))" }
        h += ".</p>\n"
        if let m = repeatedMeasures {
            h += "<p>MMRM at the endpoint visit: \(f(m.estimate.estimate)) (95 % CI \(f(m.estimate.lower)) to "
                + "\(f(m.estimate.upper))), p = \(f(m.estimate.pValue)), Satterthwaite df "
                + "\(String(format: "%.1f", m.degreesOfFreedom)); \(m.subjects) patients with a post-baseline value "
                + "(REML, unstructured covariance between visits).</p>\n"
        }
        if let i = imputation {
            let missing = i.missing.map { "\(esc($0.covariate)) (\($0.treated) treated, \($0.controls) controls)" }
            h += "<p>Missing baseline covariates were imputed \(i.imputations) times by chained equations "
                + "(predictive mean matching from every covariate, the arm and the outcome): "
                + "\(missing.joined(separator: "; ")). Pooled by Rubin's rules: fraction of missing information "
                + "\(f(i.pooled.fractionMissingInformation)), df \(String(format: "%.1f", i.pooled.degreesOfFreedom)). "
                + "Balance, matching and curves are those of the first imputation; the estimates of each are in "
                + "imputations.csv.</p>\n"
        }
        h += "<div class=\"charts\">\(SVGFormat.inlined(endpointSVG))</div>\n"
        if let s = sensitivity {
            h += "<h2>Sensitivity to unmeasured confounding</h2>\n<table>"
            h += "<tr><th>E-value of the estimate</th><td class=\"n\">\(f(s.eValue))</td></tr>"
            h += "<tr><th>E-value of the CI limit nearest the null</th>"
                + "<td class=\"n\">\(f(s.eValueConfidenceLimit))</td></tr>"
            h += "<tr><th>Tipping point</th><td>\(s.tippingPoint.map(f) ?? "none (the CI contains the null)")"
                + (s.tippingPointSD.map { " (\(f($0)) outcome SD)" } ?? "") + ": \(esc(s.tippingPointMeaning))</td></tr>"
            h += "</table>\n<p class=\"meta\">\(esc(s.conversion)). VanderWeele &amp; Ding, "
                + "Ann Intern Med 2017;167:268–274.</p>\n"
        }
        h += "<p class=\"meta\">Every figure is in results.json; the patients in analysis-dataset.csv, disposition.csv"
            + (survival.isEmpty ? "" : ", kaplan-meier.csv") + ".</p>\n</body>\n</html>\n"
        return h
    }

    static let style = """
    body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:1.5em auto;max-width:1100px;\
    color:#222;line-height:1.4;padding:0 1em}
    h1{font-size:1.45em}h2{font-size:1.15em;border-bottom:1px solid #ccc;margin-top:1.6em}
    table{border-collapse:collapse;font-size:.9em;margin:.5em 0}td,th{border-bottom:1px solid #e3e3e3;\
    padding:.25em .6em;text-align:left;vertical-align:top}th{background:#f4f4f4}
    td.n{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#b3261e;font-weight:700}
    .meta{color:#555;font-size:.9em}.big{font-size:1.2em;font-weight:600}
    .charts{display:flex;flex-wrap:wrap;gap:.8em}.charts svg{max-width:100%;height:auto}
    """

    private func esc(_ s: String) -> String { SVGFormat.escape(s) }
}
