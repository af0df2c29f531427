#!/usr/bin/env python3
"""Federated training across sites with different case mixes: pooled vs federated vs single site.

Uses the planted-structure benchmark's registries (Benchmarks/planted-structure.py): for each
disease and structure, a seed registry A of the truth template is split into 3 sites by age at
entry (youngest third, middle, oldest: a paediatric-leaning centre, a mixed one, an adult one),
so that the sites' case mixes differ. Then, against the shipped template:

  G   pooled: `zebra train` on all of A (the records in one place);
  F   federated: `zebra federated simulate` over the 3 sites (precision-weighted, 3 rounds);
  FA  federated with FedAvg weighting (--aggregation fedavg);
  FD  federated with differential privacy at each site (ε = 5, δ = 1e-5 over the 3 rounds);
  FD1 the same budget spent in one round (--rounds 1);
  S1…S3 each site alone (`zebra train` on its records);
  T   the shipped template alone; A2 a second real registry of seed size.

Each generates a registry of reference size; planted and absence figures are scored against the
reference registry B (within 2 SD of a seed-sized sample), and `zebra evaluate` gives the
detection AUC against B and the distance membership AUC of F and of each site's own model
against that site's records (non-members: the same age third of the second registry A2).

    python3 Benchmarks/federated-sites.py [--diseases …] [--structures 4] [--quick] [--zebra PATH]
        [--out Output/federated-sites] [--shared ../shared/data/registry-extracts]

With --shared, each shared registry extract is also split in half: 3 sites by age at entry from
one half, and every model compared with the other half (detection AUC, mean KS, membership).

Standard library only; prints a table and writes OUT/summary.md and OUT/results.json.
"""
import importlib.util
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("planted", os.path.join(HERE, "planted-structure.py"))
planted = importlib.util.module_from_spec(spec)
spec.loader.exec_module(planted)

SITES = 3
MODELS = ["G", "F", "FA", "FD", "FD1", "S1", "S2", "S3"]
COLUMNS = MODELS + ["T", "A2"]


def split_by_entry_age(folder, out_folders):
    """Writes each patient's ndjson lines to the site of their age-at-entry third (line order kept)."""
    lines_by_file, patient_of_line, birth, entry = {}, {}, {}, {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".ndjson"):
            continue
        with open(os.path.join(folder, name)) as f:
            lines = [line for line in f if line.strip()]
        lines_by_file[name] = lines
        for i, line in enumerate(lines):
            r = json.loads(line)
            if r["resourceType"] == "Patient":
                pid = r["id"]
                birth[pid] = planted.day(r.get("birthDate"))
            else:
                pid = ((r.get("subject") or r.get("patient") or {}).get("reference") or "").split("/")[-1]
            patient_of_line[(name, i)] = pid
            if r["resourceType"] == "Encounter":
                start = planted.day(r["period"]["start"])
                if pid not in entry or start < entry[pid]:
                    entry[pid] = start
    ages = sorted((planted.years(birth[p], entry[p]) if p in entry and birth.get(p) else 0.0, p) for p in birth)
    site_of = {p: min(SITES - 1, k * SITES // len(ages)) for k, (_, p) in enumerate(ages)}
    for o in out_folders:
        os.makedirs(o, exist_ok=True)
    for name, lines in lines_by_file.items():
        parts = [[] for _ in range(SITES)]
        for i, line in enumerate(lines):
            s = site_of.get(patient_of_line[(name, i)])
            if s is None:   # a resource of no patient goes to every site
                for part in parts:
                    part.append(line)
            else:
                parts[s].append(line)
        for o, part in zip(out_folders, parts):
            with open(os.path.join(o, name), "w") as f:
                f.writelines(part)
    thirds = [[a for a, p in ages if site_of[p] == s] for s in range(SITES)]
    return [(len(t), statistics.median(t) if t else None) for t in thirds]


class FederatedDisease(planted.Disease):
    def simulate_all(self, k, truth, d):
        a, z = self.args, self.zebra
        f = {key: os.path.join(d, key) for key in ["A", "B", "A2", "T"] + MODELS}
        z.simulate(self.name, f["A"], a.seed_patients, 1000 + k, templates=truth)
        z.simulate(self.name, f["B"], a.reference_patients, 2000 + k, templates=truth)
        z.simulate(self.name, f["A2"], a.seed_patients, 3000 + k, templates=truth)
        z.simulate(self.name, f["T"], a.reference_patients, 5000 + k)
        sites = [os.path.join(d, "sites", f"site{s + 1}") for s in range(SITES)]
        self.site_mix = split_by_entry_age(f["A"], sites)
        # Non-members for each site's membership attack: the same third of a second registry (A2).
        self.unseen = [os.path.join(d, "unseen", f"site{s + 1}") for s in range(SITES)]
        split_by_entry_age(f["A2"], self.unseen)
        models = {key: os.path.join(d, f"{key}.model") for key in MODELS}
        z.train(self.name, f["A"], models["G"])
        for key, extra in (("F", []), ("FA", ["--aggregation", "fedavg"]),
                           ("FD", ["--dp-epsilon", "5", "--dp-delta", "1e-5", "--dp-rounds", "3"]),
                           ("FD1", ["--dp-epsilon", "5", "--dp-delta", "1e-5", "--dp-rounds", "1", "--rounds", "1"])):
            z.run("federated", "simulate", "--disease", self.name, "--templates", z.shipped, "--sites", ",".join(sites),
                  "--out", models[key], "--overwrite", *(extra if "--rounds" in extra else extra + ["--rounds", "3"]))
        for s, site in enumerate(sites):
            z.train(self.name, site, models[f"S{s + 1}"])
        for i, key in enumerate(MODELS):
            z.simulate(self.name, f[key], a.reference_patients, 4000 + k, model=models[key])
        self.sites = sites
        return f

    def score(self, patients, spec, role, k):
        b = planted.figure(patients["B"], spec)
        sd = planted.bootstrap_sd(patients["B"], spec, self.args.seed_patients,
                                  self.rng(k, "bootstrap", planted.describe(spec)))
        row = {"role": role, "spec": spec, "text": planted.describe(spec), "figure": planted.figure_text(spec),
               "sd": sd, "figures": {key: planted.figure(patients[key], spec) for key in ["B"] + COLUMNS},
               "within": {}}
        for key in COLUMNS:
            x = row["figures"][key]
            row["within"][key] = None if None in (x, b, sd) else abs(x - b) <= 2 * sd
        return row

    def detection(self, folders, d):
        auc = {}
        for key in ["G", "F", "FA", "FD", "FD1", "S1", "S2", "S3", "T"]:
            auc[key] = self.zebra.detection_auc(self.name, folders["B"], folders[key], os.path.join(d, f"evaluate-{key}"))
        # Membership: does F (or a site's own model) give away the site's patients? Non-members: the
        # same age third of the second registry A2, so that the attack is not confused by case mix.
        for s, site in enumerate(self.sites):
            for key in ("F", "FD", "FD1", f"S{s + 1}"):
                out = os.path.join(d, f"membership-{key}-site{s + 1}")
                self.zebra.run("evaluate", "--disease", self.name, "--templates", self.zebra.shipped, "--real", site,
                               "--synthetic", folders[key], "--holdout", self.unseen[s], "--out", out, "--overwrite")
                with open(os.path.join(out, "metrics.json")) as f:
                    summary = json.load(f)["summary"]
                auc[f"mia-{key}-site{s + 1}"] = next(
                    (x["value"] for x in summary if x["metric"] == "mia.distance.auc"), None)
        return auc

    def run_structure(self, k):
        result = super().run_structure(k)
        result["sites"] = self.site_mix
        return result


def shared_extracts(args, zebra, root):
    """The shared registry extracts: each split into a training half (3 sites by age at entry) and
    a holdout half; every model is compared with the holdout (detection AUC, mean KS), and the
    membership attack on each site uses the holdout's same age third as non-members."""
    rows = {}
    for name in args.diseases:
        d = os.path.join(args.out, "shared", name)
        train, holdout = os.path.join(d, "train"), os.path.join(d, "holdout")
        zebra.run("split-records", "--records", os.path.join(root, name), "--out-a", train, "--out-b", holdout,
                  "--fraction", "0.5", "--seed", "7", "--overwrite")
        sites = [os.path.join(d, "sites", f"site{s + 1}") for s in range(SITES)]
        unseen = [os.path.join(d, "unseen", f"site{s + 1}") for s in range(SITES)]
        mix = split_by_entry_age(train, sites)
        split_by_entry_age(holdout, unseen)
        models = {key: os.path.join(d, f"{key}.model") for key in MODELS}
        zebra.train(name, train, models["G"])
        for key, extra in (("F", []), ("FA", ["--aggregation", "fedavg"]),
                           ("FD", ["--dp-epsilon", "5", "--dp-delta", "1e-5", "--dp-rounds", "3"]),
                           ("FD1", ["--dp-epsilon", "5", "--dp-delta", "1e-5", "--dp-rounds", "1", "--rounds", "1"])):
            zebra.run("federated", "simulate", "--disease", name, "--templates", zebra.shipped, "--sites",
                      ",".join(sites), "--out", models[key], "--overwrite",
                      *(extra if "--rounds" in extra else extra + ["--rounds", "3"]))
        for s, site in enumerate(sites):
            zebra.train(name, site, models[f"S{s + 1}"])
        result = {"sites": mix}
        for key in MODELS + ["T"]:
            generated = os.path.join(d, f"generated-{key}")
            zebra.simulate(name, generated, 1000, 6000, model=models.get(key))
            out = os.path.join(d, f"evaluate-{key}")
            zebra.run("evaluate", "--disease", name, "--templates", zebra.shipped, "--real", holdout, "--synthetic",
                      generated, "--out", out, "--overwrite")
            with open(os.path.join(out, "metrics.json")) as f:
                summary = {m["metric"]: m.get("value") for m in json.load(f)["summary"]}
            result[key] = {"auc": summary.get("detection.auc"), "ks": summary.get("measures.mean-ks")}
            if key in ("F", "FD", "FD1") or key.startswith("S"):
                for s, site in enumerate(sites):
                    if key.startswith("S") and key != f"S{s + 1}":
                        continue
                    out = os.path.join(d, f"membership-{key}-site{s + 1}")
                    zebra.run("evaluate", "--disease", name, "--templates", zebra.shipped, "--real", site,
                              "--synthetic", generated, "--holdout", unseen[s], "--out", out, "--overwrite")
                    with open(os.path.join(out, "metrics.json")) as f:
                        m = {x["metric"]: x.get("value") for x in json.load(f)["summary"]}
                    result[key][f"mia-site{s + 1}"] = m.get("mia.distance.auc")
        rows[name] = result
        planted.log(f"  shared {name}: done")
    fmt = planted.fmt
    lines = ["", "### Shared extracts (trained on half, 3 sites by age at entry; compared with the other half)", "",
             "| disease | figure | pooled G | federated F | FedAvg FA | DP 3 rounds FD | DP 1 round FD1 | site 1 "
             "| site 2 | site 3 | template T |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in rows.items():
        for metric, label in (("auc", "detection AUC"), ("ks", "mean KS")):
            lines.append(f"| {name} | {label} | " + " | ".join(fmt(r[k][metric]) for k in MODELS + ["T"]) + " |")
        lines.append(f"| {name} | membership AUC, site 1/2/3 | — | "
                     + " / ".join(fmt(r["F"].get(f"mia-site{s}")) for s in range(1, SITES + 1)) + " | — | "
                     + " / ".join(fmt(r["FD"].get(f"mia-site{s}")) for s in range(1, SITES + 1)) + " | "
                     + " / ".join(fmt(r["FD1"].get(f"mia-site{s}")) for s in range(1, SITES + 1)) + " | "
                     + " | ".join(fmt(r[f"S{s}"].get(f"mia-site{s}")) for s in range(1, SITES + 1)) + " | — |")
    return lines, rows


def share(rows, key):
    flags = [r["within"][key] for r in rows if r["within"][key] is not None]
    return (sum(flags) / len(flags), len(flags)) if flags else (None, 0)


def main(argv):
    shared = None
    if "--shared" in argv:
        i = argv.index("--shared")
        shared, argv = os.path.abspath(argv[i + 1]), argv[:i] + argv[i + 2:]
    args = planted.parse_args(argv)
    if "--out" not in " ".join(argv):
        args.out = os.path.join(planted.ROOT, "Output", "federated-sites")
    os.chdir(planted.ROOT)
    zebra = planted.Zebra(planted.zebra_binary(args), os.path.join(planted.ROOT, "DiseaseModels"))
    os.makedirs(args.out, exist_ok=True)
    started, failures, results = time.time(), [], {}
    for name in args.diseases:
        disease = FederatedDisease(name, args, zebra)
        planted.log(f"{name}: pilot")
        result = {"usable": disease.pilot(), "structures": []}
        for k in range(args.structures):
            try:
                result["structures"].append(disease.run_structure(k))
            except (planted.ZebraError, OSError, ValueError, KeyError) as error:
                failures.append(f"{name} s{k}: {error}")
                planted.log(f"  {name} s{k} FAILED: {error}")
        results[name] = result
    structures = [s for r in results.values() for s in r["structures"]]
    rows = [f for s in structures for f in s["figures"]]
    planted_rows = [r for r in rows if r["role"] == "planted"]
    absent = [r for r in rows if r["role"] == "absence"]
    single = lambda rs: [dict(r, within={"S": r["within"][f"S{s}"]}) for r in rs for s in range(1, SITES + 1)]
    def pct(pair):
        v, n = pair
        return "—" if v is None else f"{100 * v:.0f} % (n={n})"
    def mean(key):
        xs = [s["auc"].get(key) for s in structures if s["auc"].get(key) is not None]
        return statistics.fmean(xs) if xs else None
    fmt = planted.fmt
    lines = ["## Federated training: pooled, federated, single sites", "",
             f"{', '.join(args.diseases)} × {args.structures} structures; seed registry A {args.seed_patients} "
             f"split into {SITES} sites by age at entry (thirds); reference B {args.reference_patients}; "
             f"{(time.time() - started) / 60:.1f} min.", "",
             "| figure | pooled G | federated F | FedAvg FA | DP ε=5, 3 rounds FD | DP ε=5, 1 round FD1 "
             "| single site S (each) | template T | real A2 |", "|---|---|---|---|---|---|---|---|---|"]
    def row(label, rs):
        return (f"| {label} | " + " | ".join(pct(share(rs, k)) for k in ("G", "F", "FA", "FD", "FD1")) + " | "
                + pct(share(single(rs), "S")) + " | " + " | ".join(pct(share(rs, k)) for k in ("T", "A2")) + " |")
    lines += [row("planted figures recovered", planted_rows), row("absence figures kept", absent)]
    lines.append("| mean detection AUC vs B | " + " | ".join(fmt(mean(k)) for k in ("G", "F", "FA", "FD", "FD1")) + " | "
                 + " / ".join(fmt(mean(f"S{s}")) for s in range(1, SITES + 1)) + f" | {fmt(mean('T'))} | — |")
    lines.append("| mean distance membership AUC on the site's records | — | "
                 + " / ".join(fmt(mean(f"mia-F-site{s}")) for s in range(1, SITES + 1)) + " | — | "
                 + " / ".join(fmt(mean(f"mia-FD-site{s}")) for s in range(1, SITES + 1)) + " | "
                 + " / ".join(fmt(mean(f"mia-FD1-site{s}")) for s in range(1, SITES + 1)) + " | "
                 + " / ".join(fmt(mean(f"mia-S{s}-site{s}")) for s in range(1, SITES + 1)) + " | — | — |")
    lines += ["", "sites (patients, median age at entry) per structure: "
              + "; ".join(f"{n} s{s['structure']}: " + ", ".join(f"{c} @ {fmt(m)}" for c, m in s["sites"])
                          for n, r in results.items() for s in r["structures"])]
    shared_rows = None
    if shared:
        try:
            shared_lines, shared_rows = shared_extracts(args, zebra, shared)
            lines += shared_lines
        except (planted.ZebraError, OSError, ValueError, KeyError) as error:
            failures.append(f"shared extracts: {error}")
    if failures:
        lines += ["", "failures:"] + [f"- {f}" for f in failures]
    text = "\n".join(lines) + "\n"
    print(text)
    with open(os.path.join(args.out, "summary.md"), "w") as f:
        f.write(text)
    planted.write_json(os.path.join(args.out, "results.json"), {"diseases": results, "shared": shared_rows, "failures": failures})
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
