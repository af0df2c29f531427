"""Produces the reference numbers hard-coded in the StatisticsTests (scipy, statsmodels, lifelines).

Run from the package root:  .venv/bin/python Tests/StatisticsTests/reference_values.py
"""
import numpy as np
from scipy import special, stats, optimize
import statsmodels.api as sm
from statsmodels.stats.proportion import proportion_confint
import lifelines
from lifelines import KaplanMeierFitter, CoxPHFitter
from lifelines.statistics import logrank_test
from lifelines.utils import median_survival_times, restricted_mean_survival_time
import pandas as pd
import warnings
warnings.filterwarnings("ignore")
# lifelines' default Newton precision leaves ~1e-5 relative error in Cox coefficients; tighten it.
TIGHT = dict(precision=1e-12)

np.set_printoptions(precision=17)
def show(name, value):
    print(f"{name} = {np.array2string(np.asarray(value), precision=15, separator=', ', max_line_width=200)}")

print("== special functions / distributions (scipy", __import__("scipy").__version__, ")")
for x in [0.1, 0.5, 1.5, 3.7, 12.5, 150.0]:
    show(f"gammaln({x})", special.gammaln(x))
for a, x in [(0.5, 0.2), (2.0, 1.0), (5.0, 9.0), (30.0, 20.0), (100.0, 130.0)]:
    show(f"gammainc({a},{x}) P", special.gammainc(a, x)); show(f"gammaincc({a},{x}) Q", special.gammaincc(a, x))
for x, a, b in [(0.3, 2.0, 3.0), (0.9, 0.5, 0.5), (0.01, 5.0, 0.5), (0.7, 40.0, 20.0)]:
    show(f"betainc({a},{b},{x})", special.betainc(a, b, x))
for p, df in [(0.975, 10), (0.975, 3), (0.995, 1.5), (0.9, 2), (0.999999, 4), (0.6, 25), (0.025, 7)]:
    show(f"t.ppf({p},{df})", stats.t.ppf(p, df))
for t, df in [(2.0, 5), (-1.3, 12), (8.0, 3), (40.0, 10), (0.001, 4)]:
    show(f"t.cdf({t},{df})", stats.t.cdf(t, df)); show(f"t.sf({t},{df})", stats.t.sf(t, df))
for x, k in [(3.841458820694124, 1), (10.0, 4), (0.01, 3), (150.0, 100), (80.0, 10)]:
    show(f"chi2.cdf({x},{k})", stats.chi2.cdf(x, k)); show(f"chi2.sf({x},{k})", stats.chi2.sf(x, k))
for p, k in [(0.95, 1), (0.5, 3), (0.001, 2), (0.99, 30), (1e-6, 0.5)]:
    show(f"chi2.ppf({p},{k})", stats.chi2.ppf(p, k))
for x, d1, d2 in [(2.5, 3, 20), (0.5, 5, 7), (12.0, 2, 40)]:
    show(f"f.cdf({x},{d1},{d2})", stats.f.cdf(x, d1, d2)); show(f"f.sf({x},{d1},{d2})", stats.f.sf(x, d1, d2))
show("f.ppf(0.95,3,20)", stats.f.ppf(0.95, 3, 20))
show("f.ppf(0.1,5,7)", stats.f.ppf(0.1, 5, 7))

print("== descriptive")
x = np.array([3.1, -0.4, 2.2, 7.9, 5.5, 2.2, 0.0, 4.8, 6.1, 1.3])
y = np.array([1.0, 0.2, 2.5, 6.0, 5.1, 1.9, -1.0, 3.3, 7.2, 1.1])
show("mean", x.mean()); show("var", x.var(ddof=1))
show("quantile type7 [0,0.1,0.25,0.5,0.9,1]", np.quantile(x, [0, 0.1, 0.25, 0.5, 0.9, 1]))
show("pearson", stats.pearsonr(x, y)[0]); show("spearman", stats.spearmanr(x, y)[0])
show("cov matrix", np.cov(np.vstack([x, y, x * y])))
w = np.array([1.0, 2.0, 0.5, 1.5, 1.0, 3.0, 0.2, 1.0, 2.5, 1.0])
m = np.average(x, weights=w)
v1, v2 = w.sum(), (w**2).sum()
show("weighted mean", m)
show("weighted var reliability", (w * (x - m)**2).sum() / (v1 - v2 / v1))
show("histogram edges 0,2,4,6,8", np.histogram(x, bins=[0, 2, 4, 6, 8])[0])

print("== linear regression (statsmodels", sm.__version__, ")")
rng = np.random.default_rng(7)
n = 24
trt = np.array([0, 1] * 12, dtype=float)
base = np.round(rng.normal(50, 10, n), 2)
age = np.round(rng.normal(40, 12, n), 1)
change = np.round(-2.0 - 3.0 * trt + 0.15 * (base - 50) + 0.05 * age + rng.normal(0, 2 + 2 * trt, n), 3)
wts = np.round(rng.uniform(0.5, 2.0, n), 3)
print("trt =", list(map(float, trt))); print("base =", list(map(float, base))); print("age =", list(map(float, age)))
print("change =", list(map(float, change))); print("wts =", list(map(float, wts)))
X = sm.add_constant(np.column_stack([trt, base, age]))
ols = sm.OLS(change, X).fit()
show("ols params", ols.params); show("ols bse", ols.bse); show("ols HC1 bse", ols.get_robustcov_results("HC1").bse)
show("ols rsquared", ols.rsquared); show("ols adj rsquared", ols.rsquared_adj); show("ols resid sd", np.sqrt(ols.scale))
show("ols trt conf_int", ols.conf_int()[1]); show("ols trt p", ols.pvalues[1])
hc1 = ols.get_robustcov_results("HC1")
show("ols HC1 trt conf_int", hc1.conf_int()[1]); show("ols HC1 trt p", hc1.pvalues[1])
wls = sm.WLS(change, X, weights=wts).fit()
show("wls params", wls.params); show("wls bse", wls.bse); show("wls HC1 bse", wls.get_robustcov_results("HC1").bse)
show("wls rsquared", wls.rsquared)

print("== logistic regression")
rng = np.random.default_rng(11)
n = 40
x1 = np.round(rng.normal(0, 1, n), 3)
x2 = np.round(rng.uniform(0, 3, n), 3)
eta = -0.5 + 1.2 * x1 - 0.6 * x2
yb = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float)
lw = np.round(rng.uniform(0.5, 3.0, n), 2)
print("x1 =", list(map(float, x1))); print("x2 =", list(map(float, x2))); print("yb =", list(map(float, yb))); print("lw =", list(map(float, lw)))
X = sm.add_constant(np.column_stack([x1, x2]))
lo = sm.Logit(yb, X).fit(disp=0, tol=1e-12)
show("logit params", lo.params); show("logit bse", lo.bse); show("logit llf", lo.llf)
glmw = sm.GLM(yb, X, family=sm.families.Binomial(), freq_weights=lw).fit(tol=1e-12)
show("glm freq_weights params", glmw.params); show("glm freq_weights bse", glmw.bse); show("glm llf", glmw.llf)
glmr = sm.GLM(yb, X, family=sm.families.Binomial(), var_weights=lw).fit(cov_type="HC0", tol=1e-12)
show("glm var_weights HC0 params", glmr.params); show("glm var_weights HC0 bse", glmr.bse)
lam = 2.0
def negobj(b):
    e = X @ b
    return -(np.sum(yb * e - np.logaddexp(0, e)) - 0.5 * lam * np.sum(b[1:]**2))
r = optimize.minimize(negobj, np.zeros(3), method="BFGS", options={"gtol": 1e-12})
show("ridge 2.0 params (scipy BFGS on l - lam/2 |b[1:]|^2)", r.x)

print("== survival (lifelines", lifelines.__version__, ")")
# Freireich et al. (1963) 6-MP leukaemia remission data (Gehan 1965); + = censored.
t_mp = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
e_mp = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
t_pl = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]
e_pl = [1] * 21
kmf = KaplanMeierFitter().fit(t_mp, e_mp)
sf = kmf.survival_function_["KM_estimate"]
show("km 6mp times", sf.index.values); show("km 6mp S", sf.values)
ci = kmf.confidence_interval_
show("km 6mp ci lower", ci.iloc[:, 0].values); show("km 6mp ci upper", ci.iloc[:, 1].values)
show("km 6mp median", kmf.median_survival_time_)
show("km 6mp median ci", median_survival_times(kmf.confidence_interval_).values)
kpl = KaplanMeierFitter().fit(t_pl, e_pl)
show("km placebo median", kpl.median_survival_time_)
show("km placebo median ci", median_survival_times(kpl.confidence_interval_).values)
show("rmst 6mp tau=30", restricted_mean_survival_time(kmf, t=30))
show("rmst placebo tau=20", restricted_mean_survival_time(kpl, t=20))
# Greenwood SE and the RMST variance sum A_j^2 d_j / (n_j (n_j - d_j)) from the lifelines event table.
tab = kmf.event_table
n_j, d_j = tab["at_risk"].values.astype(float), tab["observed"].values.astype(float)
gw = np.cumsum(np.where(d_j > 0, d_j / (n_j * np.maximum(n_j - d_j, 1e-300)), 0.0))
show("km 6mp greenwood se", sf.values * np.sqrt(gw))
tau = 30.0
grid = np.linspace(0, tau, 300001)
S_grid = kmf.survival_function_at_times(grid).values
var = 0.0
for t_, n_, d_ in zip(tab.index.values, n_j, d_j):
    if d_ > 0 and t_ < tau and n_ > d_:
        A = np.trapezoid(np.where(grid >= t_, S_grid, 0.0), grid)
        var += A * A * d_ / (n_ * (n_ - d_))
show("rmst 6mp tau=30 se (numeric integration of A_j)", np.sqrt(var))
lr = logrank_test(t_mp, t_pl, e_mp, e_pl)
show("logrank chi2", lr.test_statistic); show("logrank p", lr.p_value)
df = pd.DataFrame({"T": t_mp + t_pl, "E": e_mp + e_pl, "placebo": [0] * 21 + [1] * 21})
cph = CoxPHFitter().fit(df, "T", "E", fit_options=TIGHT)
show("cox efron coef", cph.params_.values); show("cox efron se", cph.standard_errors_.values)
show("cox efron loglik", cph.log_likelihood_)
show("cox efron HR ci", np.exp(cph.confidence_intervals_.values))
import statsmodels.duration.hazard_regression as hr
bres = hr.PHReg(np.array(t_mp + t_pl, float), np.array(df[["placebo"]], float), status=np.array(e_mp + e_pl), ties="breslow").fit()
show("cox breslow coef (statsmodels)", bres.params); show("cox breslow se (statsmodels)", bres.bse)
efr = hr.PHReg(np.array(t_mp + t_pl, float), np.array(df[["placebo"]], float), status=np.array(e_mp + e_pl), ties="efron").fit()
show("cox efron coef (statsmodels)", efr.params); show("cox efron se (statsmodels)", efr.bse)

rng = np.random.default_rng(3)
n = 30
z1 = np.round(rng.normal(0, 1, n), 3)
z2 = (rng.uniform(size=n) < 0.5).astype(float)
tt = np.round(rng.exponential(1 / np.exp(0.7 * z1 - 0.5 * z2)) * 10, 3)
cc = np.round(rng.uniform(2, 25, n), 3)
ev = (tt <= cc).astype(int)
tt = np.minimum(tt, cc)
cw = np.round(rng.uniform(0.5, 2.5, n), 2)
print("z1 =", list(map(float, z1))); print("z2 =", list(map(float, z2))); print("tt =", list(map(float, tt))); print("ev =", list(map(float, ev))); print("cw =", list(map(float, cw)))
d2 = pd.DataFrame({"T": tt, "E": ev, "z1": z1, "z2": z2, "w": cw})
c2 = CoxPHFitter().fit(d2, "T", "E", formula="z1 + z2", fit_options=TIGHT)
show("cox2 coef", c2.params_.values); show("cox2 se", c2.standard_errors_.values)
c3 = CoxPHFitter().fit(d2, "T", "E", weights_col="w", robust=True, formula="z1 + z2", fit_options=TIGHT)
show("cox2 weighted coef", c3.params_.values); show("cox2 weighted robust se", c3.standard_errors_.values)
c4 = CoxPHFitter().fit(d2[["T", "E", "z1", "z2"]], "T", "E", robust=True, fit_options=TIGHT)
show("cox2 unweighted robust se", c4.standard_errors_.values)
# Ties with weights: round times to integers.
d3 = d2.copy(); d3["T"] = np.ceil(d3["T"] / 3)
print("tt tied =", list(map(float, d3["T"])))
c5 = CoxPHFitter().fit(d3, "T", "E", weights_col="w", formula="z1 + z2", fit_options=TIGHT)
show("cox tied weighted efron coef", c5.params_.values); show("cox tied weighted efron classical se", c5.standard_errors_.values)
c6 = CoxPHFitter().fit(d3[["T", "E", "z1", "z2"]], "T", "E", fit_options=TIGHT)
show("cox tied efron coef", c6.params_.values); show("cox tied efron se", c6.standard_errors_.values)
wkm = KaplanMeierFitter().fit(tt, ev, weights=cw)
show("weighted km S at [2,5,10,15]", wkm.survival_function_at_times([2, 5, 10, 15]).values)
lrw = logrank_test(tt[z2 == 0], tt[z2 == 1], ev[z2 == 0], ev[z2 == 1], weights_A=cw[z2 == 0], weights_B=cw[z2 == 1])
show("weighted logrank chi2", lrw.test_statistic)

print("== two-sample")
rng = np.random.default_rng(5)
a = np.round(rng.normal(0, 1, 37), 2)
b = np.round(rng.normal(0.4, 1.3, 23), 2)
print("a =", list(map(float, a))); print("b =", list(map(float, b)))
ks = stats.ks_2samp(a, b)
show("ks D", ks.statistic)
en = 37 * 23 / 60
show("kstwobign.sf(sqrt(en) D)", stats.kstwobign.sf(np.sqrt(en) * ks.statistic))
show("wasserstein", stats.wasserstein_distance(a, b))
wa = np.round(rng.uniform(0.5, 2, 37), 2)
print("wa =", list(map(float, wa)))
show("wasserstein weighted a", stats.wasserstein_distance(a, b, u_weights=wa))
for lam_ in [0.3, 0.5, 1.0, 1.36, 2.0]:
    show(f"kstwobign.sf({lam_})", stats.kstwobign.sf(lam_))
u = stats.mannwhitneyu(b, a).statistic
show("mannwhitney U (b vs a)", u)
m_, n_ = len(b), len(a)
psi = (b[:, None] > a[None, :]) + 0.5 * (b[:, None] == a[None, :])
A = psi.mean(); v10 = psi.mean(axis=1); v01 = psi.mean(axis=0)
show("auc", A); show("delong se", np.sqrt(v10.var(ddof=1) / m_ + v01.var(ddof=1) / n_))
q1, q2 = A / (2 - A), 2 * A * A / (1 + A)
show("hanley-mcneil se", np.sqrt((A * (1 - A) + (m_ - 1) * (q1 - A * A) + (n_ - 1) * (q2 - A * A)) / (m_ * n_)))

print("== proportions")
for s_, n_ in [(7, 40), (0, 25), (25, 25), (512, 1000)]:
    show(f"wilson {s_}/{n_}", proportion_confint(s_, n_, alpha=0.05, method="wilson"))
