#!/usr/bin/env python3
"""Characterises a Zebra OMOP export loaded in PostgreSQL and checks it against the FHIR export
of the same cohort (the same template, patients, seed and options, written with --format ndjson).

Usage: omop-characterization.py DATABASE FHIR_FOLDER TEMPLATE_JSON

Queries the CDM with SQL (psql) and reads the FHIR ndjson with plain Python, then compares:
- persons by sex and year of birth;
- the median age (years of 365.25 days) at the first record of the disease condition;
- measurement counts per source code (FHIR: Observations with a valueQuantity of a measure);
- observation counts per source code (attributes: FHIR Observations of attributes);
- condition, drug exposure and procedure counts per source code;
- deaths, and deaths by cause.
Prints the table counts and every comparison; exits 1 on any difference.
"""
import collections
import datetime
import json
import statistics
import subprocess
import sys


# The cause-of-death Observation (LOINC 69453-9, or Zebra's local code): OMOP records it in death.
CAUSE_OF_DEATH = {"69453-9", "cause-of-death"}


def sql(database, query):
    out = subprocess.run(["psql", "-X", "-At", "-F", "|", "-d", database, "-c", query],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("|") for line in out.splitlines() if line]


def day(text):
    return datetime.date.fromisoformat(text[:10])


def ndjson(folder, kind):
    try:
        with open(f"{folder}/{kind}.ndjson") as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def fhir_figures(folder, template):
    condition_codes = {c["code"] for c in template["condition"]["codes"]}
    attribute_codes = {c["code"] for a in template.get("attributes", []) for c in a.get("codes", [])}
    patients = {p["id"]: p for p in ndjson(folder, "Patient")}
    by_sex_year = collections.Counter((p["gender"], int(p["birthDate"][:4])) for p in patients.values())
    onset = {}
    counts = {k: collections.Counter() for k in ("measurement", "observation", "condition", "drug", "procedure")}
    for c in ndjson(folder, "Condition"):
        code = c["code"]["coding"][0]["code"]
        counts["condition"][code] += 1
        if code in condition_codes:
            pid = c["subject"]["reference"].split("/")[-1]
            d = day(c["onsetDateTime"])
            onset[pid] = min(onset.get(pid, d), d)
    for o in ndjson(folder, "Observation"):
        code = o["code"]["coding"][0]["code"]
        if code in CAUSE_OF_DEATH:
            continue
        if "valueQuantity" in o and code not in attribute_codes:
            counts["measurement"][code] += 1
        else:
            counts["observation"][code] += 1
    for m in ndjson(folder, "MedicationStatement"):
        counts["drug"][m["medicationCodeableConcept"]["coding"][0]["code"]] += 1
    for p in ndjson(folder, "Procedure"):
        counts["procedure"][p["code"]["coding"][0]["code"]] += 1
    ages = [(d - day(patients[pid]["birthDate"])).days / 365.25 for pid, d in onset.items()]
    deaths = sum(1 for p in patients.values() if "deceasedDateTime" in p)
    causes = collections.Counter()
    for o in ndjson(folder, "Observation"):
        if o["code"]["coding"][0]["code"] in CAUSE_OF_DEATH:
            causes[o["valueCodeableConcept"]["coding"][0]["code"]] += 1
    return by_sex_year, statistics.median(ages), counts, deaths, causes, condition_codes


def omop_figures(database, condition_codes):
    sexes = {"8507": "male", "8532": "female"}
    by_sex_year = collections.Counter({(sexes[g], int(y)): int(n) for g, y, n in sql(
        database, "SELECT gender_concept_id, year_of_birth, count(*) FROM cdm.person GROUP BY 1, 2")})
    codes = ",".join(f"'{c}'" for c in sorted(condition_codes))
    median = float(sql(database, f"""
        SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY age) FROM (
          SELECT (min(c.condition_start_date) - make_date(p.year_of_birth, p.month_of_birth, p.day_of_birth))
                 / 365.25 AS age
          FROM cdm.condition_occurrence c JOIN cdm.person p USING (person_id)
          WHERE c.condition_source_value IN ({codes}) GROUP BY p.person_id, p.year_of_birth, p.month_of_birth,
                p.day_of_birth) ages""")[0][0])
    counts = {}
    for kind, table, column in [("measurement", "measurement", "measurement_source_value"),
                                ("observation", "observation", "observation_source_value"),
                                ("condition", "condition_occurrence", "condition_source_value"),
                                ("drug", "drug_exposure", "drug_source_value"),
                                ("procedure", "procedure_occurrence", "procedure_source_value")]:
        counts[kind] = collections.Counter({c: int(n) for c, n in sql(
            database, f"SELECT {column}, count(*) FROM cdm.{table} GROUP BY 1")})
    # A finding whose standard concept is in the Observation domain lands in observation, as OMOP files it.
    deaths = int(sql(database, "SELECT count(*) FROM cdm.death")[0][0])
    causes = collections.Counter({c: int(n) for c, n in sql(
        database, "SELECT cause_source_value, count(*) FROM cdm.death WHERE cause_source_value IS NOT NULL "
                  "GROUP BY 1")})
    return by_sex_year, median, counts, deaths, causes


def main():
    database, folder, template_path = sys.argv[1:4]
    template = json.load(open(template_path))
    tables = ["person", "observation_period", "visit_occurrence", "condition_occurrence", "drug_exposure",
              "procedure_occurrence", "measurement", "observation", "death", "cdm_source", "concept"]
    print("OMOP table counts: " + ", ".join(
        f"{t} {sql(database, f'SELECT count(*) FROM cdm.{t}')[0][0]}" for t in tables))
    f_sex, f_median, f_counts, f_deaths, f_causes, condition_codes = fhir_figures(folder, template)
    o_sex, o_median, o_counts, o_deaths, o_causes = omop_figures(database, condition_codes)
    problems = []
    if f_sex != o_sex:
        problems.append(f"persons by sex and year of birth differ: {sorted((f_sex - o_sex).items())[:5]} / "
                        f"{sorted((o_sex - f_sex).items())[:5]}")
    print(f"persons: FHIR {sum(f_sex.values())}, OMOP {sum(o_sex.values())}; "
          f"{len(f_sex)} sex × birth-year cells")
    print(f"median age at the disease condition: FHIR {f_median:.6f}, OMOP {o_median:.6f}")
    if abs(f_median - o_median) > 1e-9:
        problems.append("median age at the disease condition differs")
    for kind in f_counts:
        # Findings filed by domain may move between condition and observation: compare their union too.
        fc, oc = f_counts[kind], o_counts[kind]
        print(f"{kind} counts by code: FHIR {dict(sorted(fc.items()))}, OMOP {dict(sorted(oc.items()))}")
        if kind not in ("condition", "observation") and fc != oc:
            problems.append(f"{kind} counts differ")
    if f_counts["condition"] + f_counts["observation"] != o_counts["condition"] + o_counts["observation"]:
        problems.append("condition and observation counts differ")
    print(f"deaths: FHIR {f_deaths}, OMOP {o_deaths}; causes FHIR {dict(f_causes)}, OMOP {dict(o_causes)}")
    if f_deaths != o_deaths or f_causes != o_causes:
        problems.append("deaths differ")
    if sum(f_sex.values()) == 0 or not f_counts["measurement"]:
        problems.append("the FHIR export is empty")
    for p in problems:
        print("MISMATCH: " + p)
    print("OMOP characterisation matches FHIR" if not problems else f"{len(problems)} mismatches")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
