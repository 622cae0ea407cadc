"""Score anomalies (seed 004's detect_anomalies, DESIGN "observability"): today's quality scores
against their own history over the last successful runs. A score far below its usual level is
news even when it clears the gate: 0.990 after weeks of 0.998 +- 0.0005 is a source getting
worse. Only drops are reported; a better score needs nobody's attention.

Settings, vars of dbt_project.yml: `score_anomaly_min_runs` (history needed before judging) and
`score_anomaly_max_sigma` (how many standard deviations below the mean is an anomaly)."""

from __future__ import annotations

from statistics import fmean, pstdev

from seeds_gen.reference import project_vars

# A score that never moved has no spread: judge a drop against at least this much (a fall of
# 3 thousandths is then an anomaly at 3 sigma, not any change in the last digit).
MIN_SPREAD = 0.001


def score_anomalies(history: dict[str, list[float]], current: dict[str, float | None], runs: int) -> dict | None:
    """Today's scores (`current`, by name) that lie more than the var's sigmas below the mean of
    the same score over `runs` earlier runs (`history`, by name); None with too short a history."""
    settings = project_vars()
    min_runs, max_sigma = int(settings["score_anomaly_min_runs"]), float(settings["score_anomaly_max_sigma"])
    if runs < min_runs:
        return None
    findings = []
    for name, score in sorted(current.items()):
        past = history.get(name, [])
        if score is None or len(past) < min_runs:
            continue
        mean, deviation = fmean(past), pstdev(past)
        spread = max(deviation, MIN_SPREAD)
        sigmas = (score - mean) / spread
        if sigmas < -max_sigma:
            findings.append({"score": name, "current": round(score, 6), "mean": round(mean, 6),
                             "standard_deviation": round(deviation, 6), "spread": round(spread, 6),
                             "sigmas": round(sigmas, 2)})
    return {"runs_compared": runs, "max_sigma": max_sigma, "findings": findings}


def describe_anomaly(finding: dict, runs: int) -> str:
    return (f"score anomaly: {finding['score']} {finding['current']:.4f} is {-finding['sigmas']:.1f} times "
            f"{finding['spread']:.4f} (its standard deviation, at least {MIN_SPREAD:g}) below its mean of "
            f"{finding['mean']:.4f} over the last {runs} successful runs")
