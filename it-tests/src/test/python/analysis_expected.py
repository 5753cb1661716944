"""Expected values of the analysis ITs and unit tests, computed independently with NumPy and SciPy.

Run once by hand (python3 -m pip install numpy scipy; python3 analysis_expected.py); the printed numbers are
recorded in AnalysisStatsIT, AnalysisTestCasesIT, AnalysisCompareIT and StatisticsTest next to the same input
data. Nothing in the build runs this script.
"""
import numpy as np
from scipy import stats

np.set_printoptions(precision=17)


def show(label, value):
    print(f"{label} = {value!r}")


def distribution(label, values):
    v = np.array([x for x in values if x is not None], dtype=float)
    show(label + ".n", len(v))
    if len(v):
        show(label + ".sum", float(v.sum()))
        show(label + ".mean", float(v.mean()))
        show(label + ".min", float(v.min()))
        # type 7 (linear interpolation between the nearest ranks), NumPy's default
        for p in (50, 90, 95, 99):
            show(f"{label}.p{p}", float(np.percentile(v, p, method="linear")))
        show(label + ".max", float(v.max()))


def evaluator(label, values, boolean=False):
    v = np.array([x for x in values if x is not None], dtype=float)
    n = len(v)
    show(label + ".n", n)
    show(label + ".mean", float(v.mean()))
    sd = float(v.std(ddof=1)) if n > 1 else None
    show(label + ".stddev", sd)
    if n > 1:
        low, high = stats.t.interval(0.95, n - 1, loc=v.mean(), scale=stats.sem(v))
        show(label + ".ci95", (float(low), float(high)))
    show(label + ".min", float(v.min()))
    show(label + ".max", float(v.max()))
    if boolean:
        show(label + ".pass_rate", float((v == 1.0).mean()))


# ---- AnalysisStatsIT / AnalysisTestCasesIT fixture: one session per index ----
LATENCY = [120, 340, 95, 410, 230, 180, 999, 505, 260, 75, 50]
COST = [0.012, 0.034, None, 0.051, 0.0205, 0.017, 0.099, 0.044, 0.026, 0.008, None]
PROMPT = [100, 250, 80, None, 310, 150, 900, 420, 205, 60, None]
COMPLETION = [10, 25, 8, 30, None, 15, 90, 42, 20, 6, None]
QUALITY = [0.9, 0.4, 0.75, 0.6, 0.85, 0.3, 0.95, 0.5, 0.7, None, None]
CORRECT = [True, False, True, True, True, False, True, False, True, True, None]
TEST_CASE = ["a", "a", "a", "b", "b", "c", "c", "c", "c", "d", None]
ERROR = [False, True, False, False, False, True, False, False, False, False, False]


def total_tokens(i):
    if PROMPT[i] is None and COMPLETION[i] is None:
        return None
    return (PROMPT[i] or 0) + (COMPLETION[i] or 0)


def select(indexes):
    print(f"-- sessions {indexes}")
    show("sessions", len(indexes))
    show("errors", sum(ERROR[i] for i in indexes))
    distribution("latency_ms", [LATENCY[i] for i in indexes])
    distribution("cost_total_usd", [COST[i] for i in indexes])
    distribution("input_tokens", [PROMPT[i] for i in indexes])
    distribution("output_tokens", [COMPLETION[i] for i in indexes])
    distribution("total_tokens", [total_tokens(i) for i in indexes])
    evaluator("quality", [QUALITY[i] for i in indexes])
    evaluator("correct", [None if CORRECT[i] is None else float(CORRECT[i]) for i in indexes], boolean=True)
    reps = {}
    for i in indexes:
        if TEST_CASE[i] is not None:
            reps[TEST_CASE[i]] = reps.get(TEST_CASE[i], 0) + 1
    r = list(reps.values())
    show("test_cases", (len(r), min(r), max(r), float(np.mean(r))) if r else (0, None, None, None))


print("==== stats")
select(list(range(11)))
select([i for i in range(11) if ERROR[i]])
select([i for i in range(11) if TEST_CASE[i] == "c"])

print("==== test cases")
for case in ["a", "b", "c", "d"]:
    idx = [i for i in range(11) if TEST_CASE[i] == case]
    print(f"-- {case}")
    show("latency_ms_mean", float(np.mean([LATENCY[i] for i in idx])))
    costs = [COST[i] for i in idx if COST[i] is not None]
    show("cost_total_usd_mean", float(np.mean(costs)) if costs else None)
    tokens = [total_tokens(i) for i in idx if total_tokens(i) is not None]
    show("total_tokens_mean", float(np.mean(tokens)) if tokens else None)
    q = [QUALITY[i] for i in idx if QUALITY[i] is not None]
    if q:
        show("quality", (len(q), float(np.mean(q)), float(np.std(q, ddof=1)) if len(q) > 1 else None))
    c = [float(CORRECT[i]) for i in idx if CORRECT[i] is not None]
    show("correct", (len(c), float(np.mean(c)), float(np.std(c, ddof=1)) if len(c) > 1 else None,
                     float(np.mean(np.array(c) == 1.0))))

# ---- AnalysisCompareIT fixture: scores per test case and side ----
BASE = {"t1": [0.2, 0.3, 0.25, 0.35], "t2": [0.6, 0.65, 0.7], "t3": [0.5, 0.6], "t4": [0.4], "t5": [0.7, 0.7],
        "t6": [0.5], "t8": [0.1, 0.9, 0.5]}
CAND = {"t1": [0.8, 0.85, 0.9, 0.75], "t2": [0.2, 0.25, 0.3], "t3": [0.55, 0.5], "t4": [0.9], "t5": [0.7, 0.7],
        "t7": [0.6, 0.4], "t8": [0.3, 0.6, 0.2]}
# latency of every session of a side of a test case = LAT_BASE/LAT_CAND[case] + 10 * repetition index
LAT_BASE = {"t1": 100, "t2": 200, "t3": 300, "t4": 400, "t5": 500, "t6": 600, "t8": 800}
LAT_CAND = {"t1": 150, "t2": 180, "t3": 330, "t4": 385, "t5": 540, "t7": 700, "t8": 790}
# cost in USD of every session of a side of a test case
COST_BASE = {"t1": 0.01, "t2": 0.02, "t3": 0.03, "t4": 0.04, "t5": 0.05, "t6": 0.06, "t8": 0.08}
COST_CAND = {"t1": 0.012, "t2": 0.0165, "t3": 0.033, "t4": 0.041, "t5": 0.05, "t7": 0.07, "t8": 0.085}

print("==== compare")
tested = [c for c in sorted(BASE) if c in CAND and len(BASE[c]) > 1 and len(CAND[c]) > 1
          and (np.var(BASE[c]) > 0 or np.var(CAND[c]) > 0)]
p = {c: float(stats.ttest_ind(CAND[c], BASE[c], equal_var=False).pvalue) for c in tested}
adjusted = stats.false_discovery_control([p[c] for c in tested], method="bh")
for c, q in zip(tested, adjusted):
    show(f"{c}.p_value", p[c])
    show(f"{c}.p_value_adjusted", float(q))
paired = [c for c in sorted(BASE) if c in CAND]


def mean_lat(table, c, n):
    return float(np.mean([table[c] + 10 * k for k in range(n)]))


for c in paired:
    show(f"{c}.delta", float(np.mean(CAND[c]) - np.mean(BASE[c])))
    show(f"{c}.latency_ms_delta", mean_lat(LAT_CAND, c, len(CAND[c])) - mean_lat(LAT_BASE, c, len(BASE[c])))


def paired_summary(label, d):
    d = np.array(d, dtype=float)
    show(label + ".n", len(d))
    show(label + ".mean_delta", float(d.mean()))
    low, high = stats.t.interval(0.95, len(d) - 1, loc=d.mean(), scale=stats.sem(d))
    show(label + ".ci95", (float(low), float(high)))
    show(label + ".paired_t_p_value", float(stats.ttest_1samp(d, 0.0).pvalue))
    nz = d[d != 0]
    method = "exact" if len(nz) <= 12 else "approx"
    show(label + ".wilcoxon_p_value(" + method + ")",
         float(stats.wilcoxon(nz, method=method, correction=(method == "approx")).pvalue))


paired_summary("score", [np.mean(CAND[c]) - np.mean(BASE[c]) for c in paired])
paired_summary("latency_ms", [mean_lat(LAT_CAND, c, len(CAND[c])) - mean_lat(LAT_BASE, c, len(BASE[c])) for c in paired])
paired_summary("cost_total_usd", [COST_CAND[c] - COST_BASE[c] for c in paired])

# ---- StatisticsTest: the normal approximation of Wilcoxon (more than 12 differences, with ties) ----
print("==== wilcoxon approx")
D = [0.5, -0.2, 0.3, 0.3, 0.8, -0.1, 0.4, 0.6, -0.3, 0.2, 0.7, 0.3, 0.9, -0.4, 0.0, 1.1, 0.25]
nz = np.array([x for x in D if x != 0])
show("wilcoxon_approx", float(stats.wilcoxon(nz, method="approx", correction=True).pvalue))
show("ttest_1samp", float(stats.ttest_1samp(D, 0.0).pvalue))
P = [0.01, 0.04, 0.03, 0.2, 0.5, 0.001]
show("bh", [float(x) for x in stats.false_discovery_control(P, method="bh")])
show("welch", float(stats.ttest_ind([1.0, 2.0, 4.0, 7.0], [3.0, 3.5, 5.0], equal_var=False).pvalue))
