#!/usr/bin/env python3
"""Refits a `zebra control-arm` MMRM from its analysis dataset with an independent REML (scipy).

Usage: mmrm-crosscheck.py OUTPUT_FOLDER

The model (docs/trial-analysis-conventions.md): the change from baseline at each post-baseline
visit up to the endpoint, with visit-specific intercept, treatment, baseline and covariates, an
unstructured covariance between visits, the arm weights as precision weights, REML, and
Satterthwaite degrees of freedom for the treatment effect at the endpoint visit. statsmodels'
MixedLM has no unstructured residual covariance and no weights, so the REML criterion is written
out here and minimized with scipy; covariates enter raw (COV_*), which leaves the treatment
coefficient unchanged. Compares the estimate and SE (relative 1e-4) and the df (2 %).

When every weight is 1 (matching 1:1), statsmodels MixedLM is fitted as well: an unstructured
random effect per visit plus the residual variance spans every unstructured covariance (with one
redundant direction), so its REML estimate of the treatment effect is the MMRM's (relative 1e-5;
its SE within 1 %, as the redundant direction moves its covariance estimate slightly).
"""
import warnings
import csv
import json
import sys

import numpy as np
from scipy import optimize


def load(folder):
    results = json.load(open(f"{folder}/results.json"))
    with open(f"{folder}/analysis-dataset.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    header = rows[0].keys()
    visits = [k for k in header if k.startswith("AVAL_M")][1:]
    months = [float(k[len("AVAL_M"):]) for k in visits]
    endpoint = months.index(max(m for m in months if m <= float(results["endpoint"].split(" at ")[1].split()[0])))
    visits = visits[: endpoint + 1]
    covs = ["COV_" + k[2:] for k in header if k.startswith("X_")]
    subjects = []
    for r in rows:
        if r["IN_ARM"] != "1" or r["BASE"] == "" or float(r["WEIGHT"]) <= 0:
            continue
        ys = [(k, float(r[v]) - float(r["BASE"])) for k, v in enumerate(visits) if r[v] != ""]
        if not ys:
            continue
        z = [1.0, 1.0 if r["ORIGIN"] == "treated" else 0.0, float(r["BASE"])] + [float(r[c]) for c in covs]
        subjects.append((ys, z, float(r["WEIGHT"])))
    return results, subjects, len(visits), 3 + len(covs)


def sigma(theta, t):
    low = np.zeros((t, t))
    k = 0
    for i in range(t):
        for j in range(i + 1):
            low[i, j] = np.exp(theta[k]) if i == j else theta[k]
            k += 1
    return low @ low.T


def reml(theta, subjects, t, q, full=False):
    s = sigma(theta, t)
    p = t * q
    xtvx, xtvy, logdet, parts = np.zeros((p, p)), np.zeros(p), 0.0, []
    for ys, z, w in subjects:
        idx = [k for k, _ in ys]
        x = np.zeros((len(ys), p))
        for a, k in enumerate(idx):
            x[a, k * q:(k + 1) * q] = z
        y = np.array([v for _, v in ys])
        v = s[np.ix_(idx, idx)] / w
        vi = np.linalg.inv(v)
        logdet += np.linalg.slogdet(v)[1]
        xtvx += x.T @ vi @ x
        xtvy += x.T @ vi @ y
        parts.append((x, y, vi))
    beta = np.linalg.solve(xtvx, xtvy)
    quad = sum((y - x @ beta) @ vi @ (y - x @ beta) for x, y, vi in parts)
    n = sum(len(ys) for ys, _, _ in subjects)
    value = 0.5 * (logdet + np.linalg.slogdet(xtvx)[1] + quad + (n - p) * np.log(2 * np.pi))
    return (value, beta, np.linalg.inv(xtvx)) if full else value


def mixedlm(subjects, t, q, m):
    import statsmodels.api as sm
    rows, ys, groups, re = [], [], [], []
    for g, (obs, z, _) in enumerate(subjects):
        for k, y in obs:
            x = np.zeros(t * q)
            x[k * q:(k + 1) * q] = z
            e = np.zeros(t)
            e[k] = 1
            rows.append(x), ys.append(y), groups.append(g), re.append(e)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = sm.MixedLM(np.array(ys), np.array(rows), groups=np.array(groups), exog_re=np.array(re)).fit(
            reml=True, method=["lbfgs"], maxiter=2000)
    j = (t - 1) * q + 1
    est, se = fit.fe_params[j], fit.bse_fe[j]
    print(f"statsmodels MixedLM (unstructured visit effects, REML): {est:.8f} (Zebra {m['estimate']:.8f}); "
          f"SE {se:.6f} (Zebra {m['standardError']:.6f})")
    return abs(est - m["estimate"]) <= 1e-5 * max(1, abs(est)) and abs(se - m["standardError"]) <= 0.01 * se


def main():
    folder = sys.argv[1]
    results, subjects, t, q = load(folder)
    m = results.get("mmrm")
    if m is None:
        sys.exit("results.json has no MMRM (not a change endpoint?)")
    start = np.zeros(t * (t + 1) // 2)
    fit = optimize.minimize(reml, start, args=(subjects, t, q), method="BFGS", options={"gtol": 1e-8})
    _, beta, cov = reml(fit.x, subjects, t, q, full=True)
    j = (t - 1) * q + 1
    est, se = beta[j], np.sqrt(cov[j, j])
    # Satterthwaite: 2 φ² / (∇φᵀ H⁻¹ ∇φ), φ = Var(β̂_j), numerical derivatives in θ.
    eps, k = 1e-4, len(fit.x)
    def grad_reml(th):
        return np.array([(reml(th + eps * e, subjects, t, q) - reml(th - eps * e, subjects, t, q)) / (2 * eps)
                         for e in np.eye(k)])
    hess = np.array([(grad_reml(fit.x + eps * e) - grad_reml(fit.x - eps * e)) / (2 * eps) for e in np.eye(k)])
    hess = (hess + hess.T) / 2
    gphi = np.array([(reml(fit.x + eps * e, subjects, t, q, True)[2][j, j]
                      - reml(fit.x - eps * e, subjects, t, q, True)[2][j, j]) / (2 * eps) for e in np.eye(k)])
    df = 2 * cov[j, j] ** 2 / (gphi @ np.linalg.solve(hess, gphi))
    print(f"scipy REML MMRM: treatment at the endpoint {est:.8f} (Zebra {m['estimate']:.8f}); SE {se:.8f} "
          f"(Zebra {m['standardError']:.8f}); Satterthwaite df {df:.2f} (Zebra {m['degreesOfFreedom']:.2f}); "
          f"{len(subjects)} patients, {t} visits")
    ok = (abs(est - m["estimate"]) <= 1e-4 * max(1, abs(est)) and abs(se - m["standardError"]) <= 1e-4 * se
          and abs(df - m["degreesOfFreedom"]) <= 0.02 * df)
    if all(w == 1 for _, _, w in subjects):
        ok = mixedlm(subjects, t, q, m) and ok
    print("MMRM cross-check:", "agrees" if ok else "DISAGREES")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
