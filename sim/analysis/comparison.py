"""Options against the baseline and against the targets: the numbers behind a recommendation.

Differences are paired by replication: replication r of every option meets the same citizens
(common random numbers), so the difference of two options in replication r is mostly the
options' doing, and its t interval is much narrower than comparing two independent means.
A target counts as met only when the whole 95% interval is on the right side of it
(`sim.analysis.targets.Target.verdict`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.analysis.confidence import t_interval
from sim.analysis.targets import Target
from sim.scenario.load import BASELINE

COMPARISON_COLUMNS = ["option", "metric", "mean", "ci_low", "ci_high", "diff_mean",
                      "diff_ci_low", "diff_ci_high", "meets_target"]


def paired_differences(replications: pd.DataFrame, baseline: str = BASELINE) -> pd.DataFrame:
    """Per option and metric: mean and 95% CI of (option - baseline), paired by replication."""
    values = replications.astype({"option": str}).pivot_table(
        index=["metric", "replication"], columns="option", values="value", sort=False,
        dropna=False)
    if baseline not in values.columns:  # options run without the baseline: none to pair with
        return pd.DataFrame(columns=["option", "metric", "diff_mean", "diff_ci_low",
                                     "diff_ci_high"])
    return pd.DataFrame([
        _difference(option, metric, diff) for option in values.columns
        for metric, diff in (values[option] - values[baseline]).groupby(level="metric",
                                                                         sort=False)])


def _difference(option: str, metric: str, diff: pd.Series) -> dict:
    """One row of the paired differences: their mean and t interval over replications."""
    mean, low, high = t_interval(diff.to_numpy(dtype=float))
    if np.allclose(diff.dropna(), 0.0, atol=0.0):
        low = high = mean  # identical runs: the difference is exactly zero
    return {"option": option, "metric": metric, "diff_mean": mean, "diff_ci_low": low,
            "diff_ci_high": high}


def comparison_table(summary: pd.DataFrame, replications: pd.DataFrame,
                     targets: Sequence[Target]) -> pd.DataFrame:
    """The tidy comparison: each option's metrics, their difference from the baseline, and
    whether the option meets the metric's target with 95% confidence."""
    table = summary.astype({"option": str}).merge(
        paired_differences(replications), on=["option", "metric"], how="left")
    table["meets_target"] = _verdicts(table, targets)
    return table[COMPARISON_COLUMNS]


def _verdicts(table: pd.DataFrame, targets: Sequence[Target]) -> list[str]:
    """Each row's verdict on its metric's target; empty where the metric has none."""
    by_metric = {t.metric: t for t in targets}
    return [by_metric[m].verdict(low, high) if m in by_metric else ""
            for m, low, high in zip(table["metric"], table["ci_low"], table["ci_high"],
                                    strict=True)]
