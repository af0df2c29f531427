#!/usr/bin/env python3
"""Re-pools a `zebra control-arm` multiple-imputation run by Rubin's rules, independently.

Usage: imputation-crosscheck.py OUTPUT_FOLDER

Reads the per-imputation estimates and standard errors (imputations.csv) and the pooled result
(results.json, "imputation"), and recomputes Q̄, Ū, B, T = Ū + (1 + 1/m) B, the fraction of
missing information, the Barnard–Rubin (1999) degrees of freedom from the complete-data df that
results.json states (null: a z-based fit, Rubin's 1987 df), and the t interval with scipy. Checks
every figure to 1e-8 relative, and that the primary estimate is the pooled one.
"""
import csv
import json
import sys

import numpy as np
from scipy import stats


def main():
    folder = sys.argv[1]
    r = json.load(open(f"{folder}/results.json"))
    imp = r["imputation"]
    with open(f"{folder}/imputations.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    q = np.array([float(x["estimate"]) for x in rows])
    u = np.array([float(x["standard_error"]) for x in rows]) ** 2
    m = len(q)
    assert m == imp["imputations"] and m >= 2, f"{m} rows for {imp['imputations']} imputations"
    qbar, ubar, b = q.mean(), u.mean(), q.var(ddof=1)
    t = ubar + (1 + 1 / m) * b
    lam = (1 + 1 / m) * b / t
    p = imp["pooled"]
    nu_old = (m - 1) / lam ** 2
    com = p.get("completeDataDegreesOfFreedom")
    nu = nu_old
    if com is not None:
        nu_obs = (com + 1) / (com + 3) * com * (1 - lam)
        nu = nu_old * nu_obs / (nu_old + nu_obs)
    half = stats.t.ppf(0.975, nu) * np.sqrt(t)
    checks = {
        "estimate": (qbar, p["estimate"]), "SE": (np.sqrt(t), p["standardError"]),
        "within": (ubar, p["withinVariance"]), "between": (b, p["betweenVariance"]),
        "lambda": (lam, p["fractionMissingInformation"]),
        "lower": (qbar - half, p["ci95"][0]), "upper": (qbar + half, p["ci95"][1]),
        "p": (2 * stats.t.sf(abs(qbar) / np.sqrt(t), nu), p["pValue"]),
        "df": (nu, p["degreesOfFreedom"]),
        "primary estimate": (qbar, r["estimate"]["estimate"]),
    }
    bad = [k for k, (a, z) in checks.items() if abs(a - z) > 1e-8 * max(1, abs(a))]
    for k, (a, z) in checks.items():
        print(f"  {k:16s} numpy/scipy {a: .10f}  Zebra {z: .10f}")
    print(f"Rubin's rules over {m} imputations (df {nu:.2f}, Rubin's large-sample {nu_old:.2f}):",
          "agree" if not bad else f"DISAGREE on {bad}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
