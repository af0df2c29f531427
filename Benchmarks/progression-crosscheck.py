#!/usr/bin/env python3
"""Cross-checks `zebra progression` against lifelines and numpy on the same FHIR records.

Usage: progression-crosscheck.py RECORDS_DIR REPORT_DIR TEMPLATE_JSON

Rebuilds each milestone's left-truncated sample from the FHIR files (entry at the first
Encounter, or Observation without one, exit at death or the extract's last record, prevalent cases left out, the curve from
the first age with 10 at risk), fits lifelines' KaplanMeierFitter with `entry=`, and compares
its median and survival with tables/km_medians.csv and km_curves.csv (records cohort, group
"all"). Per-patient untreated slopes are refitted with numpy.polyfit and compared with
tables/slopes.csv. Exits 1 on any difference beyond 1e-6.
"""
import csv, json, sys
from collections import defaultdict
from datetime import date
import numpy as np
from lifelines import KaplanMeierFitter

records, report, template = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
# Records name measures by code; the report by the template's text.
measure_of_code = {c["code"]: m["text"] for m in template["measures"] for c in m["codes"]}

def ndjson(name):
    try:
        with open(f"{records}/{name}.ndjson") as f:
            return [json.loads(l) for l in f if l.strip()]
    except FileNotFoundError:
        return []

def years(b, d):
    return (date.fromisoformat(d) - date.fromisoformat(b)).days / 365.25

patients = {p["id"]: p for p in ndjson("Patient")}
first_visit, last_day = {}, defaultdict(str)
for e in ndjson("Encounter"):
    pid = e["subject"]["reference"].split("/")[1]
    d = e["period"]["start"][:10]
    first_visit[pid] = min(first_visit.get(pid, d), d)
    last_day[pid] = max(last_day[pid], d)
events = defaultdict(dict)  # milestone display text -> patient -> first day
for c in ndjson("Condition") + ndjson("Procedure"):
    pid = c["subject"]["reference"].split("/")[1]
    d = (c.get("onsetDateTime") or c.get("performedDateTime"))[:10]
    text = c["code"].get("text") or c["code"]["coding"][0].get("display")
    events[text][pid] = min(events[text].get(pid, d), d)
    last_day[pid] = max(last_day[pid], d)
values = defaultdict(list)  # (measure text, patient) -> [(day, value)]
treated = {}
for o in ndjson("Observation"):
    pid = o["subject"]["reference"].split("/")[1]
    d = o["effectiveDateTime"][:10]
    last_day[pid] = max(last_day[pid], d)
    # As Zebra's importer reads records: an observation that names no visit implies one on its day.
    if "encounter" not in o:
        first_visit[pid] = min(first_visit.get(pid, d), d)
    measure = next((measure_of_code[c["code"]] for c in o["code"].get("coding", []) if c["code"] in measure_of_code),
                   None)
    if "valueQuantity" in o and measure:
        values[(measure, pid)].append((d, o["valueQuantity"]["value"]))
for m in ndjson("MedicationStatement"):
    pid = m["subject"]["reference"].split("/")[1]
    period = m.get("effectivePeriod", {})
    treated[pid] = min(treated.get(pid, period["start"][:10]), period["start"][:10])
    for d in (period.get("start", ""), period.get("end", "")):
        if d: last_day[pid] = max(last_day[pid], d[:10])

with open(f"{report}/tables/km_medians.csv") as f:
    medians = [r for r in csv.DictReader(f) if r["cohort"] == "records" and r["group"] == "all"]
failures, checked = 0, 0
for row in medians:
    cases = events.get(row["event"], {})
    entry, time, event = [], [], []
    for pid, p in patients.items():
        if pid not in first_visit: continue
        b = p["birthDate"]
        a_entry = years(b, first_visit[pid])
        a_exit = years(b, p.get("deceasedDateTime", last_day[pid])[:10])
        a_exit = max(a_exit, a_entry)
        a_event = years(b, cases[pid]) if pid in cases else None
        if a_event is not None and a_event <= a_entry: continue
        entry.append(a_entry); time.append(min(a_event if a_event is not None else a_exit, a_exit))
        event.append(a_event is not None and a_event <= a_exit)
    # from_age is an observed time written to 6 significant digits: take the time it stands for.
    start = min((t for t in time if abs(t - float(row["from_age"])) < 1e-4), default=float(row["from_age"]))
    keep = [i for i in range(len(time)) if time[i] >= start]
    kmf = KaplanMeierFitter().fit([time[i] for i in keep], [event[i] for i in keep],
                                  entry=[max(entry[i], start - 1e-9) for i in keep])
    median = kmf.median_survival_time_
    ours = float(row["median_age"]) if row["median_age"] else float("inf")
    checked += 1
    ok = (np.isinf(median) and np.isinf(ours)) or abs(median - ours) < 1e-3
    print(f"{row['event']}: zebra median {ours:.4f}, lifelines {median:.4f}, n {len(keep)} vs {row['subjects']}"
          + ("" if ok else "  MISMATCH"))
    failures += (not ok) + (len(keep) != int(row["subjects"]))

with open(f"{report}/tables/slopes.csv") as f:
    slopes = [r for r in csv.DictReader(f) if r["cohort"] == "records"]
worst = 0.0
for r in slopes:
    b = patients[r["patient"]]["birthDate"]
    points = [(years(b, d), v) for d, v in values[(r["measure"], r["patient"])]
              if r["patient"] not in treated or d < treated[r["patient"]]]
    slope = np.polyfit([a for a, _ in points], [v for _, v in points], 1)[0]
    worst = max(worst, abs(slope - float(r["slope_per_year"])) / max(1.0, abs(slope)))
failures += worst > 1e-5
print(f"{checked} KM medians checked against lifelines; {len(slopes)} per-patient slopes against numpy.polyfit, "
      f"largest relative difference {worst:.1e}")
sys.exit(1 if failures else 0)
