#!/usr/bin/env python3
"""Refits a `zebra control-arm` estimate from its analysis dataset with statsmodels or lifelines.

Usage: control-arm-crosscheck.py OUTPUT_FOLDER

Reads OUTPUT_FOLDER/analysis-dataset.csv and results.json. A measure endpoint (change or slope)
is refitted as weighted least squares of OUTCOME on treatment, BASE and the X_* design columns,
with HC1 standard errors and t intervals on n - p degrees of freedom (statsmodels); a
time-to-event endpoint as a weighted Cox model on treatment with a robust (sandwich) SE
(lifelines, Efron ties). The estimate must agree to 1e-8 (relative); the matched-sample SE and
interval too. For ATT weighting the SE includes the propensity model (a stacked sandwich), which
statsmodels' WLS does not: only the point estimate is compared then. Exits non-zero on a mismatch.
"""
import csv
import json
import math
import sys

import numpy as np


def rows(folder):
    with open(f"{folder}/analysis-dataset.csv", newline="") as f:
        return [r for r in csv.DictReader(f) if r["ANALYSED"] == "1"]


def close(a, b, rel):
    return abs(a - b) <= rel * max(1.0, abs(b))


def measure(folder, results, data):
    import statsmodels.api as sm
    from scipy import stats

    xcols = [k for k in data[0] if k.startswith("X_")]
    y = np.array([float(r["OUTCOME"]) for r in data])
    treated = np.array([1.0 if r["ORIGIN"] == "treated" else 0.0 for r in data])
    design = [np.ones(len(data)), treated, np.array([float(r["BASE"]) for r in data])]
    design += [np.array([float(r[c]) for r in data]) for c in xcols]
    x = np.column_stack(design)
    w = np.array([float(r["WEIGHT"]) for r in data])
    fit = sm.WLS(y, x, weights=w).fit(cov_type="HC1")
    est = results["estimate"]
    n, p = x.shape
    coef, se = fit.params[1], fit.bse[1]
    q = stats.t.ppf(0.975, n - p)
    print(f"statsmodels WLS: treatment {coef:.10f} (Zebra {est['estimate']:.10f}); HC1 SE {se:.10f} "
          f"(Zebra {est['standardError']:.10f}); n = {n}, p = {p}")
    ok = close(coef, est["estimate"], 1e-8)
    if results["method"] == "match":
        ok &= close(se, est["standardError"], 1e-8)
        ok &= close(coef - q * se, est["ci95"][0], 1e-8) and close(coef + q * se, est["ci95"][1], 1e-8)
    return ok


def time_to_event(folder, results, data):
    import pandas as pd
    from lifelines import CoxPHFitter

    df = pd.DataFrame({
        "T": [float(r["TIME_Y"]) for r in data],
        "E": [int(r["EVENT"]) for r in data],
        "treated": [1.0 if r["ORIGIN"] == "treated" else 0.0 for r in data],
        "w": [float(r["WEIGHT"]) for r in data],
    })
    cph = CoxPHFitter().fit(df, "T", "E", weights_col="w", robust=True)
    coef, se = cph.params_["treated"], cph.standard_errors_["treated"]
    est = results["estimate"]
    print(f"lifelines Cox: log HR {coef:.10f} (Zebra {est['estimate']:.10f}); robust SE {se:.6f} "
          f"(Zebra {est['standardError']:.6f}); n = {len(df)}")
    # lifelines' robust SE handles tied times slightly differently from R's coxph (Zebra's).
    return close(coef, est["estimate"], 1e-6) and close(se, est["standardError"], 0.02)


def main():
    folder = sys.argv[1]
    results = json.load(open(f"{folder}/results.json"))
    data = rows(folder)
    if not data:
        sys.exit("no analysed rows in the analysis dataset")
    tte = "TIME_Y" in data[0]
    ok = time_to_event(folder, results, data) if tte else measure(folder, results, data)
    print("control-arm cross-check:", "agrees" if ok else "DISAGREES")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
