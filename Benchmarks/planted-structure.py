#!/usr/bin/env python3
"""Planted structure: does `zebra train` recover structure that the shipped template lacks?

For each disease and structure k = 0..N-1, the shipped template gets 2-4 kinds of structure planted
at random (structure 0 plants nothing): a sex effect on a slope, a faster subgroup marked by an
early complication, another attribute mix, a genotype-dependent treatment response, more deaths,
an event more frequent in one sex, an onset age that differs by sex, a lower treatment uptake.
Registry extracts are simulated from this "truth" template: a seed registry A, a reference
registry B and a second seed-sized registry A2. `zebra train` learns a template from A against the
SHIPPED template; G (simulated from the learned model) and T (the shipped template alone) are
compared with B. Every planted kind has a figure computed here from the FHIR records; a figure is
recovered when |figure(X) - figure(B)| <= 2 SD, SD = its bootstrap SD over seed-sized resamples
of B. Figures of kinds not planted are "absence" figures: G should not invent structure there.
`zebra evaluate` adds the detection AUC of G, T and A2 against B.

    python3 Benchmarks/planted-structure.py [--diseases fabry,friedreich-ataxia,gaucher] [--structures 10]
        [--seed-patients 300] [--reference-patients 1000] [--zebra PATH] [--out Output/planted-structure]
        [--seed 1] [--quick] [--no-detection] [--max-cv 0.4]

A figure target (a measure, event, attribute group) is used only where the records measure it: on
a pilot registry from the shipped template, its bootstrap SD at seed size must be at most --max-cv
of its value (so untreated slopes in Fabry and Gaucher, where most patients are treated before
they enrol, are not used); the pilot's usable targets are listed per disease.
--quick: 2 structures per disease and 300 reference patients (for CI). Without --zebra the script
builds .build/release/zebra (swift build -c release --product zebra). Prints a table and writes
OUT/summary.md and OUT/results.json; exits 1 if a Zebra command failed. Standard library only.
"""
import argparse
import copy
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYSTEMS = {"loinc": "http://loinc.org", "snomed": "http://snomed.info/sct", "local": "urn:zebra:code",
           "icd10cm": "http://hl7.org/fhir/sid/icd-10-cm", "orpha": "http://www.orpha.net",
           "rxnorm": "http://www.nlm.nih.gov/research/umls/rxnorm", "ucum": "http://unitsofmeasure.org"}
KINDS = ["sex-slope", "subgroup-complication", "attribute-mix", "treatment-response-by-genotype", "more-deaths",
         "event-by-sex", "onset-by-sex", "treatment-uptake"]
LOCATION = {"lognormal": ["median", "mean"], "normal": ["mean"], "gamma": ["mean"], "weibull": ["scale"],
            "exponential": ["mean"]}
BOOTSTRAPS = 200
MIN_GROUP = 8           # a figure needs this many patients in each group it compares
PILOT_PATIENTS = 1000
RECOVERY_TARGET, AUC_TARGET = 0.90, 0.60


def log(message):
    print(message, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------------------------
# Command line and Zebra


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--diseases", default="fabry,friedreich-ataxia,gaucher")
    p.add_argument("--structures", type=int, default=10)
    p.add_argument("--seed-patients", type=int, default=300)
    p.add_argument("--reference-patients", type=int, default=1000)
    p.add_argument("--zebra", help="Zebra binary (default: build .build/release/zebra)")
    p.add_argument("--out", default=os.path.join(ROOT, "Output", "planted-structure"))
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--quick", action="store_true", help="2 structures per disease, 300 reference patients")
    p.add_argument("--no-detection", action="store_true", help="skip 'zebra evaluate' (detection AUC)")
    p.add_argument("--max-cv", type=float, default=0.4,
                   help="use a figure target only if its seed-sized bootstrap SD on a pilot is at most this share "
                        "of it")
    args = p.parse_args(argv)
    if args.quick:
        args.structures, args.reference_patients = 2, 300
    args.diseases = [d for d in args.diseases.split(",") if d]
    args.out = os.path.abspath(args.out)
    args.zebra = args.zebra and os.path.abspath(args.zebra)
    return args


class ZebraError(Exception):
    pass


class Zebra:
    def __init__(self, binary, shipped):
        self.binary, self.shipped = binary, shipped

    def run(self, *args):
        result = subprocess.run([self.binary, *args], capture_output=True, text=True)
        if result.returncode != 0:
            raise ZebraError(f"zebra {' '.join(args)}\n  exit {result.returncode}: {result.stderr.strip()[-2000:]}")
        return result

    def simulate(self, disease, out, patients, seed, templates=None, model=None):
        source = ["--model", model] if model else ["--template-only"]
        self.run("simulate", "--disease", disease, "--templates", templates or self.shipped, *source,
                 "--registry-extract", "--patients", str(patients), "--seed", str(seed), "--out", out, "--overwrite")

    def train(self, disease, records, out):
        self.run("train", "--disease", disease, "--seed-records", records, "--out", out, "--overwrite", "--quiet",
                 "--templates", self.shipped)

    def detection_auc(self, disease, real, synthetic, out):
        self.run("evaluate", "--disease", disease, "--templates", self.shipped, "--real", real,
                 "--synthetic", synthetic, "--out", out, "--overwrite")
        with open(os.path.join(out, "metrics.json")) as f:
            summary = json.load(f)["summary"]
        return next((s["value"] for s in summary if s["metric"] == "detection.auc"), None)

    def validate(self, path):
        result = subprocess.run([self.binary, "validate-template", path], capture_output=True, text=True)
        return result.returncode == 0, (result.stdout + result.stderr).strip()


def zebra_binary(args):
    if args.zebra:
        return args.zebra
    log("building zebra (swift build -c release --product zebra)")
    subprocess.run(["swift", "build", "-c", "release", "--product", "zebra"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build", "release", "zebra")


# ----------------------------------------------------------------------------------------------------------------
# Records: from FHIR ndjson to one summary per patient


def codings(template_codes):
    return [(SYSTEMS.get(c["system"], c["system"]), c["code"]) for c in template_codes]


class Concepts:
    """Template ids by (system URI, code), from the template's codes."""

    def __init__(self, template):
        self.template = template
        self.by_code = {}
        for key in codings(template["condition"]["codes"]):
            self.by_code[key] = ("condition", None)
        for section, kind in [("measures", "measure"), ("events", "event"), ("treatments", "treatment"),
                              ("attributes", "attribute")]:
            for item in template.get(section, []):
                for key in codings(item.get("codes", [])):
                    self.by_code[key] = (kind, item["id"])
        self.values = {a["id"]: self.value_codes(a) for a in template.get("attributes", [])}

    @staticmethod
    def value_codes(attribute):
        table = {}
        for v in attribute.get("values", []):
            for key in codings(v.get("codes", [])):
                table[key] = v["id"]
            table[v["id"].lower()] = v["id"]
            if v.get("text"):
                table[v["text"].lower()] = v["id"]
        return table

    def lookup(self, concept):
        for c in (concept or {}).get("coding", []):
            hit = self.by_code.get((c.get("system"), c.get("code")))
            if hit:
                return hit
        return None, None

    def category(self, attribute, concept):
        table = self.values[attribute]
        for c in concept.get("coding", []):
            hit = table.get((c.get("system"), c.get("code"))) or table.get(str(c.get("code", "")).lower())
            if hit:
                return hit
        return table.get(str(concept.get("text", "")).lower())


def day(text):
    return date.fromisoformat(text[:10]) if text else None


def years(a, b):
    return (b - a).days / 365.25


def read_resources(folder):
    by_type = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".ndjson"):
            with open(os.path.join(folder, name)) as f:
                for line in f:
                    if line.strip():
                        r = json.loads(line)
                        by_type.setdefault(r["resourceType"], []).append(r)
    return by_type


def new_patient(r):
    return {"id": r["id"], "sex": r.get("gender"), "birth": day(r.get("birthDate")),
            "dead": bool(r.get("deceasedDateTime") or r.get("deceasedBoolean")), "visits": [], "values": {},
            "attributes": {}, "events": {}, "treatments": {}, "onset": None}


def earliest(table, key, when):
    if when and (key not in table or when < table[key]):
        table[key] = when


def add_observation(p, r, concepts):
    kind, ident = concepts.lookup(r.get("code"))
    when = day(r.get("effectiveDateTime") or (r.get("effectivePeriod") or {}).get("start"))
    if kind == "measure" and "valueQuantity" in r and when:
        p["values"].setdefault(ident, []).append((when, float(r["valueQuantity"]["value"])))
    elif kind == "attribute":
        if "valueCodeableConcept" in r:
            p["attributes"][ident] = concepts.category(ident, r["valueCodeableConcept"])
        elif "valueQuantity" in r:
            p["attributes"][ident] = float(r["valueQuantity"]["value"])


def add_event_like(p, kind, ident, when):
    if kind == "event":
        earliest(p["events"], ident, when)
    elif kind == "treatment":
        earliest(p["treatments"], ident, when)


def add_resource(p, r, concepts):
    t = r["resourceType"]
    if t == "Encounter":
        p["visits"].append(day(r["period"]["start"]))
    elif t == "Observation":
        add_observation(p, r, concepts)
    elif t == "Condition":
        kind, ident = concepts.lookup(r.get("code"))
        if kind == "condition":
            p["onset"] = day(r.get("onsetDateTime"))
        else:
            add_event_like(p, kind, ident, day(r.get("onsetDateTime") or r.get("recordedDate")))
    elif t == "Procedure":
        kind, ident = concepts.lookup(r.get("code"))
        add_event_like(p, kind, ident, day(r.get("performedDateTime") or (r.get("performedPeriod") or {}).get("start")))
    elif t == "MedicationStatement":
        kind, ident = concepts.lookup(r.get("medicationCodeableConcept"))
        period = r.get("effectivePeriod") or {}
        add_event_like(p, kind, ident, day(period.get("start") or r.get("effectiveDateTime")))


def slope(points):
    """Least-squares slope per year through (date, value) points: 3 or more spanning at least a year."""
    if len(points) < 3:
        return None
    t0 = min(d for d, _ in points)
    xs = [years(t0, d) for d, _ in points]
    if max(xs) < 1:
        return None
    mx, my = statistics.fmean(xs), statistics.fmean(v for _, v in points)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (v - my) for x, (_, v) in zip(xs, points)) / sxx


def summarise(p):
    """Adds the window figures: first/last visit, untreated and treated slopes, onset age."""
    p["visits"].sort()
    p["first"], p["last"] = (p["visits"][0], p["visits"][-1]) if p["visits"] else (None, None)
    start = min(p["treatments"].values()) if p["treatments"] else None
    p["untreated"] = {m: slope([(d, v) for d, v in pts if start is None or d < start])
                      for m, pts in p["values"].items()}
    p["treated"] = {(t, m): slope([(d, v) for d, v in pts if d >= s])
                    for t, s in p["treatments"].items() for m, pts in p["values"].items()}
    p["onset_age"] = years(p["birth"], p["onset"]) if p["onset"] and p["birth"] else None
    return p


def load_patients(folder, concepts):
    resources = read_resources(folder)
    patients = {r["id"]: new_patient(r) for r in resources.get("Patient", [])}
    for t, rs in resources.items():
        for r in rs:
            ref = (r.get("subject") or {}).get("reference", "")
            p = patients.get(ref.split("/")[-1])
            if p is not None:
                add_resource(p, r, concepts)
    return [summarise(p) for p in patients.values()]


# ----------------------------------------------------------------------------------------------------------------
# Figures: one number per planted kind, from patient summaries


def mean_or_none(xs):
    return statistics.fmean(xs) if len(xs) >= MIN_GROUP else None


def ratio(a, b):
    ma, mb = mean_or_none(a), mean_or_none(b)
    return None if ma is None or mb is None or mb == 0 else ma / mb


def share(flags):
    return sum(flags) / len(flags) if len(flags) >= MIN_GROUP else None


def event_by(p, event, extra_years=0.0):
    when = p["events"].get(event)
    return when is not None and p["last"] is not None and years(when, p["last"]) >= -extra_years


def in_group(p, spec):
    value = p["attributes"].get(spec["attribute"])
    if value is None:
        return None
    return value >= spec["cut"] if "cut" in spec else value == spec["value"]


def figure_sex_slope(ps, spec):
    slopes = [(p["sex"], p["untreated"].get(spec["measure"])) for p in ps]
    return ratio([s for sex, s in slopes if sex == "male" and s is not None],
                 [s for sex, s in slopes if sex == "female" and s is not None])


def figure_subgroup(ps, spec):
    rows = [(event_by(p, spec["event"]), p["untreated"].get(spec["measure"])) for p in ps]
    return ratio([s for e, s in rows if e and s is not None], [s for e, s in rows if not e and s is not None])


def figure_attribute(ps, spec):
    values = [p["attributes"][spec["attribute"]] for p in ps if p["attributes"].get(spec["attribute"]) is not None]
    if spec.get("type") == "continuous":
        return mean_or_none(values)
    return share([v == spec["value"] for v in values])


def figure_treatment_response(ps, spec):
    key = (spec["treatment"], spec["measure"])
    rows = [(in_group(p, spec), p["treated"].get(key)) for p in ps]
    return ratio([s for g, s in rows if g and s is not None], [s for g, s in rows if g is False and s is not None])


def figure_deaths(ps, spec):
    return share([p["dead"] for p in ps])


def figure_event_by_sex(ps, spec):
    def rate(sex):
        return share([event_by(p, spec["event"], 1.0) for p in ps if p["sex"] == sex and p["last"]])
    a, b = rate(spec["sex"]), rate(other_sex(spec["sex"]))
    return None if a is None or not b else a / b


def figure_onset_by_sex(ps, spec):
    def median(sex):
        ages = [p["onset_age"] for p in ps if p["sex"] == sex and p["onset_age"] is not None]
        return statistics.median(ages) if len(ages) >= MIN_GROUP else None
    a, b = median(spec["sex"]), median(other_sex(spec["sex"]))
    return None if a is None or not b else a / b


def figure_uptake(ps, spec):
    return share([spec["treatment"] in p["treatments"] for p in ps])


FIGURES = {"sex-slope": figure_sex_slope, "subgroup-complication": figure_subgroup,
           "attribute-mix": figure_attribute, "treatment-response-by-genotype": figure_treatment_response,
           "more-deaths": figure_deaths, "event-by-sex": figure_event_by_sex, "onset-by-sex": figure_onset_by_sex,
           "treatment-uptake": figure_uptake}


def figure(ps, spec):
    return FIGURES[spec["kind"]](ps, spec)


def bootstrap_sd(ps, spec, size, rng, n=BOOTSTRAPS):
    """SD of the figure over seed-sized resamples; None when it is undefined in more than a tenth of them."""
    values = [figure(rng.choices(ps, k=size), spec) for _ in range(n)]
    values = [v for v in values if v is not None]
    return statistics.stdev(values) if len(values) >= 0.9 * n else None


def other_sex(sex):
    return "female" if sex == "male" else "male"


# ----------------------------------------------------------------------------------------------------------------
# Template editing


def predictor(holder, key, default=None):
    """holder[key] as a predictor {"value", "effects"} (a bare number is turned into one)."""
    if key not in holder:
        if default is None:
            raise KeyError(key)
        holder[key] = default
    if not isinstance(holder[key], dict):
        holder[key] = {"value": holder[key], "effects": []}
    holder[key].setdefault("effects", [])
    return holder[key]


def add_effect(holder, key, effect, default=None):
    predictor(holder, key, default)["effects"].append(effect)


def base_value(holder, key, default=1.0):
    value = holder.get(key, default)
    return value["value"] if isinstance(value, dict) else value


def location(distribution):
    """(parameters dict, key) of a distribution's location (lognormal median, normal mean, ...)."""
    for family, keys in LOCATION.items():
        if family in distribution:
            for k in keys:
                if k in distribution[family]:
                    return distribution[family], k
    return None, None


def by_id(items, ident):
    return next(x for x in items if x["id"] == ident)


def recorded_events(template):
    """Events recorded as a Condition or Procedure with a hazard or incidence trigger."""
    return [e for e in template.get("events", [])
            if e.get("record", "condition") != "none" and ("hazard" in e["trigger"] or "incidence" in e["trigger"])]


def rate_holder(event):
    """(holder, key) of an event's hazard rate or incidence probability."""
    trigger = event["trigger"]
    if "hazard" in trigger:
        return trigger["hazard"], "rate"
    return trigger["incidence"], "probability"


def zero_multiplier(value):
    if not isinstance(value, dict):
        return value == 0
    return value.get("value") == 0 or any(e.get("multiply") == 0 for e in value.get("effects", []))


def responding_measures(treatment):
    """Measures a treatment changes: by a non-zero slope multiplier, or by an approach to a fraction of the value
    or by an added amount (the spleen shrinking on ERT), whose size differs by genotype when planted."""
    return [e["measure"] for e in treatment.get("effects", [])
            if "measure" in e and (("slopeMultiply" in e and not zero_multiplier(e["slopeMultiply"]))
                                   or ("approach" in e and ("fraction" in e["approach"] or "add" in e["approach"]
                                                            or e["approach"].get("direction") in ("rising", "falling"))))]


def approach_effect(treatment, measure):
    """The treatment's approach effect on a measure, if it has one."""
    return next((e for e in treatment.get("effects", []) if e.get("measure") == measure and "approach" in e), None)


# ----------------------------------------------------------------------------------------------------------------
# Planted kinds: candidate targets (what a figure looks at), a random size, and the edit


def uniform(rng, lo, hi):
    return round(rng.uniform(lo, hi), 3)


def either(rng, low, high):
    """A factor from one of two ranges, chosen at random (below or above 1)."""
    return uniform(rng, *low) if rng.random() < 0.5 else uniform(rng, *high)


def candidates(kind, t):
    """Every figure target the template allows for a kind, as a partial spec."""
    measures = [m["id"] for m in t.get("measures", [])]
    events = [e["id"] for e in recorded_events(t)]
    if kind == "sex-slope":
        return [{"measure": m} for m in measures]
    if kind == "subgroup-complication":
        return [{"measure": m, "event": e} for m in measures for e in events]
    if kind == "attribute-mix":
        return [attribute_target(a) for a in t.get("attributes", []) if attribute_target(a)]
    if kind == "treatment-response-by-genotype":
        return [dict(treatment=tr["id"], measure=m, **g) for tr in t.get("treatments", [])
                for m in responding_measures(tr) for a in t.get("attributes", []) for g in groups(a)]
    if kind == "more-deaths":
        return [{}] if "mortality" in t else []
    if kind == "onset-by-sex":
        return [{"sex": "male"}] if location(t["onset"]["age"])[0] else []
    if kind == "event-by-sex":
        return [{"event": e, "sex": "male"} for e in events]
    if kind == "treatment-uptake":
        return [{"treatment": tr["id"]} for tr in t.get("treatments", []) if "probability" in tr.get("start", {})]
    raise ValueError(kind)


def attribute_target(a):
    if a.get("type") == "categorical" and "probabilities" in a:
        return {"attribute": a["id"], "type": "categorical", "value": a["values"][0]["id"]}
    if a.get("type") == "continuous" and location(a.get("distribution", {}))[0]:
        return {"attribute": a["id"], "type": "continuous"}
    return None


def groups(a):
    """Genotype groups of an attribute: each categorical value, or a cut at a continuous attribute's mean."""
    if a.get("type") == "categorical":
        return [{"attribute": a["id"], "value": v["id"]} for v in a.get("values", [])]
    params, key = location(a.get("distribution", {}))
    return [{"attribute": a["id"], "cut": base_value(params, key)}] if params else []


def draw(kind, target, t, rng):
    """A full spec: the target plus random sizes."""
    spec = dict(target, kind=kind)
    if kind == "sex-slope":
        spec.update(sex=rng.choice(["male", "female"]), factor=either(rng, (1 / 2.0, 1 / 1.4), (1.4, 2.0)))
    elif kind == "subgroup-complication":
        spec.update(slope_sd=uniform(rng, 0.5, 0.8), event_sd=uniform(rng, 0.6, 1.0))
    elif kind == "attribute-mix":
        draw_attribute(spec, by_id(t["attributes"], spec["attribute"]), rng)
    elif kind == "treatment-response-by-genotype":
        spec["factor"] = either(rng, (0.3, 0.6), (1.6, 2.5))
    elif kind == "more-deaths":
        spec["factor"] = uniform(rng, 1.6, 2.5)
    elif kind == "event-by-sex":
        spec["sex"] = rng.choice(["male", "female"])
        spec["factor"] = event_factor(by_id(t["events"], spec["event"]), spec["sex"], rng)
    elif kind == "onset-by-sex":
        spec.update(sex=rng.choice(["male", "female"]), factor=either(rng, (0.7, 0.8), (1.25, 1.4)))
    elif kind == "treatment-uptake":
        spec["factor"] = uniform(rng, 0.5, 0.7)
    return spec


def event_factor(event, sex, rng):
    f = uniform(rng, 1.5, 2.2)
    holder, key = rate_holder(event)
    if key == "rate":
        return f
    p = base_value(holder, key)
    value = holder.get(key)
    for e in value.get("effects", []) if isinstance(value, dict) else []:
        if set(e) <= {"sex", "multiply", "source", "note"} and e.get("sex") == sex and "multiply" in e:
            p *= e["multiply"]
    return f if f * p <= 1 else round(1 / f, 3)


def dirichlet(rng, alphas):
    draws = [max(rng.gammavariate(a, 1), 1e-9) for a in alphas]
    total = sum(draws)
    return [d / total for d in draws]


def rounded_table(ids, shares):
    shares = [max(s, 0.01) for s in shares]
    total = sum(shares)
    out = {i: round(s / total, 4) for i, s in zip(ids, shares)}
    out[ids[-1]] = round(1 - sum(out[i] for i in ids[:-1]), 4)
    return out


def draw_attribute(spec, attribute, rng):
    if spec["type"] == "continuous":
        spec["factor"] = either(rng, (0.8, 0.9), (1.1, 1.25))
        return
    tables = attribute["probabilities"]
    ids = [v["id"] for v in attribute["values"]]
    for _ in range(1000):
        new = {k: rounded_table(ids, dirichlet(rng, [5 * table[i] for i in ids])) for k, table in tables.items()}
        change = {i: statistics.fmean(new[k][i] - tables[k][i] for k in tables) for i in ids}
        value = max(ids, key=lambda i: abs(change[i]))
        if abs(change[value]) >= 0.12:
            spec.update(value=value, change=round(change[value], 3), probabilities=new)
            return
    raise ValueError(f"no Dirichlet draw moved {attribute['id']} by 0.12")


def apply_sex_slope(t, spec):
    add_effect(by_id(t["measures"], spec["measure"]), "slope", {"sex": spec["sex"], "multiply": spec["factor"]})


def apply_subgroup(t, spec):
    t.setdefault("randomEffects", []).append({"id": "planted", "description": "planted subgroup"})
    add_effect(by_id(t["measures"], spec["measure"]), "slope", {"randomEffect": "planted", "logSd": spec["slope_sd"]})
    trigger = by_id(t["events"], spec["event"])["trigger"]
    if "hazard" in trigger:
        add_effect(trigger["hazard"], "rate", {"randomEffect": "planted", "logSd": spec["event_sd"]})
        return
    incidence = trigger["incidence"]
    params, key = location(incidence["delay"])
    add_effect(params, key, {"randomEffect": "planted", "logLoading": -0.3})
    add_effect(incidence, "probability", {"randomEffect": "planted", "logSd": 0.5}, default=1.0)


def apply_attribute(t, spec):
    attribute = by_id(t["attributes"], spec["attribute"])
    if spec["type"] == "categorical":
        attribute["probabilities"] = spec["probabilities"]
    else:
        params, key = location(attribute["distribution"])
        add_effect(params, key, {"multiply": spec["factor"]})


def apply_treatment_response(t, spec):
    group = {"attribute": spec["attribute"]}
    group.update({"atLeast": spec["cut"]} if "cut" in spec else {"equals": spec["value"]})
    approach = approach_effect(by_id(t["treatments"], spec["treatment"]), spec["measure"])
    if approach is None:
        add_effect(by_id(t["measures"], spec["measure"]), "slope",
                   dict(group, state=spec["treatment"], multiply=spec["factor"]))
        return
    # The change an approach makes, scaled by the factor in the group: a target fraction f becomes 1 - k (1 - f);
    # a one-way target is multiplied by k when it rises and divided by k when it falls.
    target = approach["approach"]
    if "toward" in target:
        k = spec["factor"] if target.get("direction") == "rising" else 1 / spec["factor"]
        add_effect(target, "toward", dict(group, multiply=round(k, 4)))
        return
    key = "fraction" if "fraction" in target else "add"
    f = base_value(target, key)
    multiplier = spec["factor"] if key == "add" else max(1 - spec["factor"] * (1 - f), 0.01) / f
    add_effect(target, key, dict(group, multiply=round(multiplier, 4)))


def apply_deaths(t, spec):
    mortality = t["mortality"]
    add_effect(mortality, "hazardRatio", {"multiply": spec["factor"]}, default=1.0)
    if "excess" in mortality:
        add_effect(mortality, "excess", {"multiply": spec["factor"]})
    # Causes of death carry excess hazards of their own (all but the background cause).
    for cause in mortality.get("causes", []):
        if "excess" in cause:
            add_effect(cause, "excess", {"multiply": spec["factor"]})


def apply_event_by_sex(t, spec):
    holder, key = rate_holder(by_id(t["events"], spec["event"]))
    add_effect(holder, key, {"sex": spec["sex"], "multiply": spec["factor"]}, default=1.0)


def apply_onset_by_sex(t, spec):
    params, key = location(t["onset"]["age"])
    add_effect(params, key, {"sex": spec["sex"], "multiply": spec["factor"]})


def apply_uptake(t, spec):
    add_effect(by_id(t["treatments"], spec["treatment"])["start"], "probability", {"multiply": spec["factor"]})


APPLY = {"sex-slope": apply_sex_slope, "subgroup-complication": apply_subgroup, "attribute-mix": apply_attribute,
         "treatment-response-by-genotype": apply_treatment_response, "more-deaths": apply_deaths,
         "event-by-sex": apply_event_by_sex, "onset-by-sex": apply_onset_by_sex, "treatment-uptake": apply_uptake}


def group_text(spec):
    if "cut" in spec:
        return f"{spec.get('attribute')}≥{spec['cut']:g}"
    return f"{spec.get('attribute')}={spec.get('value')}"


def describe(spec):
    """A short text of a spec's target and size."""
    k = spec["kind"]
    group = group_text(spec)
    return {"sex-slope": lambda: f"{spec['measure']} slope ×{spec['factor']} in {spec['sex']}s",
            "subgroup-complication": lambda: f"{spec['measure']} slope logSd {spec['slope_sd']} shared with "
                                             f"{spec['event']}",
            "attribute-mix": lambda: f"{spec['attribute']} mean ×{spec['factor']}" if spec["type"] == "continuous"
            else f"{group} share {spec['change']:+.2f}",
            "treatment-response-by-genotype": lambda: f"{spec['measure']} slope on {spec['treatment']} ×"
                                                      f"{spec['factor']} if {group}",
            "more-deaths": lambda: f"mortality ×{spec['factor']}",
            "event-by-sex": lambda: f"{spec['event']} ×{spec['factor']} in {spec['sex']}s",
            "onset-by-sex": lambda: f"onset age ×{spec['factor']} in {spec['sex']}s",
            "treatment-uptake": lambda: f"{spec['treatment']} uptake ×{spec['factor']}"}[k]()


# ----------------------------------------------------------------------------------------------------------------
# One disease: pilot, structures, scores


class Disease:
    def __init__(self, name, args, zebra):
        self.name, self.args, self.zebra = name, args, zebra
        self.folder = os.path.join(args.out, name)
        with open(os.path.join(zebra.shipped, f"{name}.json")) as f:
            self.template = json.load(f)
        self.concepts = Concepts(self.template)
        self.usable = {}

    def rng(self, *parts):
        return random.Random(":".join(str(p) for p in (self.args.seed, self.name, *parts)))

    def pilot(self):
        """Keeps the figure targets that a seed-sized sample measures well enough (shipped template, template only)."""
        out = os.path.join(self.folder, "pilot")
        self.zebra.simulate(self.name, out, PILOT_PATIENTS, 999)
        ps = load_patients(out, self.concepts)
        rng = self.rng("pilot")
        for kind in KINDS:
            self.usable[kind] = [c for c in candidates(kind, self.template)
                                 if self.measurable(ps, dict(c, kind=kind), rng)]
        return {k: [describe_target(k, c) for c in v] for k, v in self.usable.items()}

    def measurable(self, ps, spec, rng):
        value = figure(ps, spec)
        sd = bootstrap_sd(ps, spec, self.args.seed_patients, rng, n=50)
        return value is not None and sd is not None and sd <= self.args.max_cv * abs(value)

    def plan(self, k):
        """The specs planted in structure k (none for k = 0) and an unplanted spec for every other usable kind."""
        rng = self.rng(k)
        kinds = [kind for kind in KINDS if self.usable[kind]]
        planted = [] if k == 0 else rng.sample(kinds, min(len(kinds), rng.randint(2, 4)))
        specs = [draw(kind, rng.choice(self.usable[kind]), self.template, rng) for kind in planted]
        absent = []
        for kind in kinds:
            if kind not in planted:
                r = self.rng(k, "absence", kind)
                absent.append(draw(kind, r.choice(self.usable[kind]), self.template, r))
        return specs, absent

    def truth(self, k, specs):
        """Writes the truth template, planting one kind at a time; a plant that makes it invalid is dropped."""
        folder = os.path.join(self.folder, f"s{k}", "truth-templates")
        os.makedirs(folder, exist_ok=True)
        shutil.copy(os.path.join(self.zebra.shipped, "template.schema.json"), folder)
        path = os.path.join(folder, f"{self.name}.json")
        template, kept, skipped = copy.deepcopy(self.template), [], []
        for spec in specs:
            trial = copy.deepcopy(template)
            APPLY[spec["kind"]](trial, spec)
            write_json(path, trial)
            ok, message = self.zebra.validate(path)
            if ok:
                template, kept = trial, kept + [spec]
            else:
                skipped.append({"spec": spec, "problem": message})
                log(f"  {self.name} s{k}: {spec['kind']} makes the template invalid, skipped: {message[:300]}")
        write_json(path, template)
        return folder, kept, skipped

    def run_structure(self, k):
        started = time.time()
        specs, absent = self.plan(k)
        truth, kept, skipped = self.truth(k, specs)
        absent += [s["spec"] for s in skipped]
        d = os.path.join(self.folder, f"s{k}")
        folders = self.simulate_all(k, truth, d)
        patients = {key: load_patients(path, self.concepts) for key, path in folders.items()}
        rows = [self.score(patients, spec, "planted", k) for spec in kept]
        rows += [self.score(patients, spec, "absence", k) for spec in absent]
        auc = {} if self.args.no_detection else self.detection(folders, d)
        log(f"  {self.name} s{k}: {len(kept)} planted, {time.time() - started:.0f} s")
        return {"structure": k, "planted": kept, "skipped": skipped, "figures": rows, "auc": auc,
                "seconds": round(time.time() - started, 1)}

    def simulate_all(self, k, truth, d):
        a = self.args
        f = {key: os.path.join(d, key) for key in ("A", "B", "A2", "G", "T")}
        self.zebra.simulate(self.name, f["A"], a.seed_patients, 1000 + k, templates=truth)
        self.zebra.simulate(self.name, f["B"], a.reference_patients, 2000 + k, templates=truth)
        self.zebra.simulate(self.name, f["A2"], a.seed_patients, 3000 + k, templates=truth)
        model = os.path.join(d, "learned.model")
        self.zebra.train(self.name, f["A"], model)
        self.zebra.simulate(self.name, f["G"], a.reference_patients, 4000 + k, model=model)
        self.zebra.simulate(self.name, f["T"], a.reference_patients, 5000 + k)
        return f

    def score(self, patients, spec, role, k):
        b = figure(patients["B"], spec)
        sd = bootstrap_sd(patients["B"], spec, self.args.seed_patients, self.rng(k, "bootstrap", describe(spec)))
        row = {"role": role, "spec": spec, "text": describe(spec), "figure": figure_text(spec), "sd": sd,
               "figures": {key: figure(patients[key], spec) for key in ("B", "G", "T", "A2")}, "within": {}}
        for key in ("G", "T", "A2"):
            x = row["figures"][key]
            row["within"][key] = None if None in (x, b, sd) else abs(x - b) <= 2 * sd
        return row

    def detection(self, folders, d):
        auc = {}
        for key in ("G", "T", "A2"):
            out = os.path.join(d, f"evaluate-{key}")
            auc[key] = self.zebra.detection_auc(self.name, folders["B"], folders[key], out)
        return auc


def figure_text(spec):
    """What a spec's figure measures."""
    k, s = spec["kind"], spec.get("sex")
    group = group_text(spec)
    return {"sex-slope": lambda: f"untreated {spec['measure']} slope, men / women",
            "subgroup-complication": lambda: f"untreated {spec['measure']} slope, with / without {spec['event']}",
            "attribute-mix": lambda: f"mean {spec['attribute']}" if spec["type"] == "continuous" else f"share {group}",
            "treatment-response-by-genotype": lambda: f"{spec['measure']} slope on {spec['treatment']}, {group} / "
                                                      "others",
            "more-deaths": lambda: "share deceased",
            "event-by-sex": lambda: f"{spec['event']} by last visit + 1 y, {s}s / {other_sex(s)}s",
            "onset-by-sex": lambda: f"median onset age, {s}s / {other_sex(s)}s",
            "treatment-uptake": lambda: f"share with {spec['treatment']}"}[k]()


def describe_target(kind, c):
    """A pilot target as text (sex and, for a mix, the value are drawn later)."""
    skip = ("sex", "type", "value") if kind == "attribute-mix" else ("sex", "type")
    text = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in c.items() if k not in skip)
    return text or "yes"


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write("\n")


# ----------------------------------------------------------------------------------------------------------------
# Report


def fmt(x, digits=3):
    return "—" if x is None else f"{x:.{digits}g}" if abs(x) >= 10 else f"{x:.{digits}f}"


def mark(x):
    return "—" if x is None else "✓" if x else "✗"


def share_of(rows, key):
    flags = [r["within"][key] for r in rows if r["within"][key] is not None]
    return (sum(flags) / len(flags), len(flags)) if flags else (None, 0)


def pct(pair):
    value, n = pair
    return "—" if value is None else f"{100 * value:.0f} % (n={n})"


FIGURE_HEADER = "| s | plant | figure | B | G | T | A2 | 2 SD | G | T | A2 |"
FIGURE_RULE = "|---|---|---|---|---|---|---|---|---|---|---|"


def figure_row(k, plant, r):
    f = r["figures"]
    return (f"| {k} | {plant} | {r['figure']} | {fmt(f['B'])} | {fmt(f['G'])} | {fmt(f['T'])} | {fmt(f['A2'])} | "
            f"{fmt(None if r['sd'] is None else 2 * r['sd'])} | "
            + " | ".join(mark(r["within"][key]) for key in ("G", "T", "A2")) + " |")


def disease_section(name, result, max_cv):
    lines = [f"\n### {name}\n", f"usable figure targets (pilot, seed-sized bootstrap SD ≤ {max_cv:.0%} of the "
             "figure): " + "; ".join(f"{k}: {' / '.join(v) or 'none'}" for k, v in result["usable"].items()),
             "", "planted figures:", "", FIGURE_HEADER, FIGURE_RULE]
    for s in result["structures"]:
        planted = [r for r in s["figures"] if r["role"] == "planted"]
        lines += [figure_row(s["structure"], f"{r['spec']['kind']}: {r['text']}", r) for r in planted]
        if not planted:
            lines.append(f"| {s['structure']} | (nothing planted) |" + " |" * 9)
        for sk in s["skipped"]:
            lines.append(f"| {s['structure']} | {sk['spec']['kind']}: invalid template, skipped |" + " |" * 9)
    moved = [(s["structure"], r) for s in result["structures"] for r in s["figures"]
             if r["role"] == "absence" and r["within"]["G"] is False]
    lines += ["", "absence figures that G moved beyond 2 SD of B (invented structure):", ""]
    rows = [figure_row(k, "(not planted)", r) for k, r in moved]
    lines += [FIGURE_HEADER, FIGURE_RULE] + rows if rows else ["none"]
    lines += ["", "per structure (counts of figures within 2 SD of B):", "",
              "| s | planted kinds | recovered G | T | A2 | absence kept G | T | A2 | AUC G | AUC T | AUC A2 |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for s in result["structures"]:
        planted = [r for r in s["figures"] if r["role"] == "planted"]
        absent = [r for r in s["figures"] if r["role"] == "absence"]
        auc = s["auc"]
        lines.append(f"| {s['structure']} | {', '.join(r['spec']['kind'] for r in planted) or '—'} | "
                     f"{counts(planted)} | {counts(absent)} | {fmt(auc.get('G'))} | {fmt(auc.get('T'))} | "
                     f"{fmt(auc.get('A2'))} |")
    return lines


def counts(rows):
    parts = []
    for key in ("G", "T", "A2"):
        flags = [r["within"][key] for r in rows if r["within"][key] is not None]
        parts.append(f"{sum(flags)}/{len(flags)}")
    return " | ".join(parts)


def mean_auc(structures, key):
    values = [s["auc"].get(key) for s in structures if s["auc"].get(key) is not None]
    return statistics.fmean(values) if values else None


def totals_section(results):
    structures = [s for r in results.values() for s in r["structures"]]
    rows = [f for s in structures for f in s["figures"]]
    planted = [r for r in rows if r["role"] == "planted"]
    visible = [r for r in planted if r["within"]["T"] is False]
    absent = [r for r in rows if r["role"] == "absence"]
    lines = ["\n### totals\n", "| figure | learned (G) | template only (T) | second real sample (A2) | target |",
             "|---|---|---|---|---|",
             "| planted figures recovered | " + " | ".join(pct(share_of(planted, k)) for k in ("G", "T", "A2"))
             + f" | G ≥ {RECOVERY_TARGET:.0%} |",
             "| planted figures T misses, recovered | "
             + " | ".join(pct(share_of(visible, k)) for k in ("G", "T", "A2"))
             + f" | G ≥ {RECOVERY_TARGET:.0%} |",
             "| absence figures kept within 2 SD | " + " | ".join(pct(share_of(absent, k)) for k in ("G", "T", "A2"))
             + f" | G ≥ {RECOVERY_TARGET:.0%} |",
             "| mean detection AUC vs B | " + " | ".join(fmt(mean_auc(structures, k)) for k in ("G", "T", "A2"))
             + f" | G ≤ {AUC_TARGET:.2f} |"]
    lines += kind_section(planted, absent)
    return lines, {"planted": {k: share_of(planted, k)[0] for k in ("G", "T", "A2")},
                   "plantedVisible": {k: share_of(visible, k)[0] for k in ("G", "T", "A2")},
                   "absence": {k: share_of(absent, k)[0] for k in ("G", "T", "A2")},
                   "meanDetectionAUC": {k: mean_auc(structures, k) for k in ("G", "T", "A2")}}


def kind_section(planted, absent):
    lines = ["", "| kind | planted: recovered G | T | A2 | absence: kept G | T | A2 |", "|---|---|---|---|---|---|---|"]
    for kind in KINDS:
        p = [r for r in planted if r["spec"]["kind"] == kind]
        a = [r for r in absent if r["spec"]["kind"] == kind]
        if p or a:
            lines.append(f"| {kind} | {counts(p)} | {counts(a)} |")
    return lines


def report(results, args, failures, seconds):
    lines = ["## Planted structure", "",
             f"{len(args.diseases)} diseases × {args.structures} structures; seed registry A {args.seed_patients}, "
             f"reference B {args.reference_patients}, second real sample A2 {args.seed_patients}; G = learned "
             f"from A, T = shipped template only; ✓ = within 2 SD of B (SD: bootstrap of B at seed size); "
             f"seed {args.seed}; {seconds / 60:.1f} min."]
    for name, result in results.items():
        lines += disease_section(name, result, args.max_cv)
    total_lines, totals = totals_section(results)
    lines += total_lines
    if failures:
        lines += ["", "### failures", ""] + [f"- {f}" for f in failures]
    return "\n".join(lines) + "\n", totals


def run_disease(name, args, zebra, failures):
    disease = Disease(name, args, zebra)
    log(f"{name}: pilot ({PILOT_PATIENTS} patients, shipped template)")
    result = {"usable": disease.pilot(), "structures": []}
    for k in range(args.structures):
        try:
            result["structures"].append(disease.run_structure(k))
        except (ZebraError, OSError, ValueError, KeyError) as error:
            failures.append(f"{name} s{k}: {error}")
            log(f"  {name} s{k} FAILED: {error}")
    return result


def main(argv):
    args = parse_args(argv)
    os.chdir(ROOT)
    zebra = Zebra(zebra_binary(args), os.path.join(ROOT, "DiseaseModels"))
    os.makedirs(args.out, exist_ok=True)
    started, failures, results = time.time(), [], {}
    for name in args.diseases:
        try:
            results[name] = run_disease(name, args, zebra, failures)
        except (ZebraError, OSError) as error:
            failures.append(f"{name}: {error}")
            log(f"{name} FAILED: {error}")
    text, totals = report(results, args, failures, time.time() - started)
    print(text)
    with open(os.path.join(args.out, "summary.md"), "w") as f:
        f.write(text)
    write_json(os.path.join(args.out, "results.json"),
               {"options": vars(args), "diseases": results, "totals": totals, "failures": failures,
                "seconds": round(time.time() - started, 1)})
    log(f"wrote {args.out}/summary.md and results.json")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
