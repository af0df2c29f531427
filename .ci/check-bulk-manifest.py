#!/usr/bin/env python3
"""Checks a folder's FHIR Bulk Data manifest (bulk-manifest.json) against the $export
completion response of the Bulk Data Access IG: the required keys and their types, an output
entry for every ndjson file with the right resource type, a relative url that exists, and a
count equal to the file's resources."""
import json, os, re, sys

folder = sys.argv[1]
m = json.load(open(os.path.join(folder, "bulk-manifest.json")))
problems = []
for key, kind in [("transactionTime", str), ("request", str), ("requiresAccessToken", bool), ("output", list),
                  ("error", list)]:
    if not isinstance(m.get(key), kind): problems.append(f"{key} missing or not {kind.__name__}")
if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", m.get("transactionTime", "")):
    problems.append("transactionTime is not a FHIR instant")
listed = set()
for o in m.get("output", []):
    path = os.path.join(folder, o.get("url", ""))
    if not os.path.isfile(path): problems.append(f"output url {o.get('url')} is not a file here"); continue
    listed.add(o["url"])
    types = set()
    with open(path) as f:
        lines = [json.loads(l) for l in f if l.strip()]
    types = {r.get("resourceType") for r in lines}
    if types != {o.get("type")}: problems.append(f"{o['url']}: type {o.get('type')} but holds {sorted(types)}")
    if o.get("count") != len(lines): problems.append(f"{o['url']}: count {o.get('count')}, {len(lines)} resources")
missing = {n for n in os.listdir(folder) if n.endswith(".ndjson")} - listed
if missing: problems.append(f"ndjson files not in the manifest: {sorted(missing)}")
print(f"{folder}/bulk-manifest.json: " + ("valid" if not problems else "; ".join(problems)))
sys.exit(1 if problems else 0)
