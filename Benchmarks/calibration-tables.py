#!/usr/bin/env python3
"""Writes docs/calibration.md: every disease's calibration checks, default path and template-only, side by side.

Usage: python3 Benchmarks/calibration-tables.py [--zebra .build/release/zebra] [--patients 4000] [--out docs/calibration.md]
Runs `zebra calibrate` twice per shipped template (the shipped model, then --template-only) and joins the tables.
"""
import argparse, datetime, glob, os, re, subprocess, sys

ROW = re.compile(r"^(?P<name>.+?)\s{2,}(?P<source>.+?)\s{2,}(?P<target>-?[\d.]+)\s+(?P<sim>-?[\d.]+|nan)\s+"
                 r"±(?P<tol>[\d.]+)\s+(?P<n>\d+)\s+(?P<ok>ok|FAIL)\s*$")


def calibrate(zebra, disease, patients, template_only):
    cmd = [zebra, "calibrate", "--disease", disease, "--patients", str(patients)]
    if template_only:
        cmd.append("--template-only")
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    rows, reasons, title = [], {}, ""
    in_reasons = False
    for line in out.splitlines():
        if line.startswith("Calibration of"):
            title = line.strip()
        if line.startswith("Tolerances:"):
            in_reasons = True
            continue
        m = ROW.match(line)
        if m and not in_reasons:
            rows.append(m.groupdict())
        elif in_reasons and line.startswith("  ") and ": " in line:
            name, reason = line.strip().split(": ", 1)
            reasons[name] = reason
    return title, rows, reasons


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zebra", default=".build/release/zebra")
    ap.add_argument("--patients", type=int, default=4000)
    ap.add_argument("--out", default="docs/calibration.md")
    a = ap.parse_args()
    diseases = sorted(os.path.basename(p)[:-5] for p in glob.glob("DiseaseModels/*.json") if not p.endswith(".schema.json"))
    lines = ["# Calibration tables", "",
             f"Every calibration check of every shipped template, on {a.patients:,} simulated patients per cohort "
             "(seed 2024): the default path (the shipped learned template, DiseaseModels/<disease>.model) and the "
             "template alone. Made by `python3 Benchmarks/calibration-tables.py` on "
             f"{datetime.date.today().isoformat()}; `swift test` runs the same checks on 2,000 patients and "
             "`.ci/run` on 4,000. A tolerance is the published figure's uncertainty (its CI, or what the study's "
             "size allows) plus simulation error; the reason for each is in the last column.", ""]
    failures = 0
    for d in diseases:
        title, default, reasons = calibrate(a.zebra, d, a.patients, False)
        _, template, _ = calibrate(a.zebra, d, a.patients, True)
        if not default:
            print(f"{d}: no calibration table", file=sys.stderr)
            failures += 1
            continue
        by_name = {r["name"]: r for r in template}
        lines += [f"## {d}", "", title, "",
                  "| check | source | target | default path | template only | ± | n | why this tolerance |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in default:
            t = by_name.get(r["name"], {})
            flag = "" if r["ok"] == "ok" and t.get("ok", "ok") == "ok" else " **FAIL**"
            failures += flag != ""
            lines.append(f"| {r['name']} | {r['source']} | {r['target']} | {r['sim']} | {t.get('sim', '–')} | "
                         f"{r['tol']} | {r['n']} | {reasons.get(r['name'], '')}{flag} |")
        lines.append("")
    open(a.out, "w").write("\n".join(lines) + "\n")
    print(f"wrote {a.out}: {len(diseases)} diseases, {failures} failing checks")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
