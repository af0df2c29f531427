#!/usr/bin/env python3
"""Checks a `zebra simulate --format csv` folder against its own data dictionary, as R or pandas
would read it: every table the dictionary names exists with exactly its columns, every value
parses as its column's type (date, integer, number, enumeration), keys resolve (each row's
patient is in patients.csv, each observation's visit is in encounters.csv).

Usage: flat-csv-check.py FOLDER
"""
import csv
import datetime
import sys


def main():
    folder = sys.argv[1]
    with open(f"{folder}/data-dictionary.csv", newline="") as f:
        dictionary = list(csv.DictReader(f))
    tables = {}
    for row in dictionary:
        tables.setdefault(row["table"], []).append(row)
    problems, counts = [], {}
    parsed = {}
    for table, columns in tables.items():
        with open(f"{folder}/{table}", newline="") as f:
            reader = csv.DictReader(f)
            names = [c["column"] for c in columns]
            if reader.fieldnames != names:
                problems.append(f"{table}: columns {reader.fieldnames}, dictionary {names}")
                continue
            rows = list(reader)
        counts[table] = len(rows)
        parsed[table] = rows
        for c in columns:
            kind = c["type"]
            for i, row in enumerate(rows):
                v = row[c["column"]]
                if v == "":
                    continue
                try:
                    if kind == "date":
                        datetime.date.fromisoformat(v)
                    elif kind == "integer":
                        int(v)
                    elif kind == "number":
                        float(v)
                    elif "|" in kind and v not in kind.split("|"):
                        raise ValueError(f"not one of {kind}")
                except ValueError as e:
                    problems.append(f"{table} line {i + 2}: {c['column']} = {v!r}: {e}")
                    break
    patients = {r["patient_id"] for r in parsed.get("patients.csv", [])}
    visits = {(r["patient_id"], r["visit"]) for r in parsed.get("encounters.csv", [])}
    for table, rows in parsed.items():
        if table != "patients.csv" and any(r["patient_id"] not in patients for r in rows):
            problems.append(f"{table}: a row's patient is not in patients.csv")
    if any(r["visit"] and (r["patient_id"], r["visit"]) not in visits for r in parsed.get("observations.csv", [])):
        problems.append("observations.csv: a row's visit is not in encounters.csv")
    print("flat CSV tables: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
    for p in problems[:20]:
        print("PROBLEM: " + p)
    if not patients or not counts.get("observations.csv"):
        problems.append("empty export")
    print("typed as its data dictionary says" if not problems else f"{len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
