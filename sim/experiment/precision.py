"""Add replications until the estimates are precise enough, so a leader need not choose N.

Precision is the 95% CI half-width relative to the mean, for every target metric of every
option. The half-width shrinks like 1/sqrt(n), which gives the next number of replications.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.runner import Results, extend_experiment, run_experiment
from sim.scenario.load import ScenarioSet

FIRST_ROUND = 10
SMALLEST_STEP = 5
DEFAULT_CAP = 200


@dataclass(frozen=True)
class PrecisionOutcome:
    """Results with how precise they are: reached, or stopped at the cap."""

    results: Results
    reached: bool
    worst: tuple[str, str, float]  # option, metric, relative half-width


def relative_half_widths(summary: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """Half-width of the 95% CI over |mean|, per option and metric (0 when exact)."""
    rows = summary[summary["metric"].isin(metrics)].copy()
    half = (rows["ci_high"] - rows["ci_low"]) / 2
    scale = rows["mean"].abs()
    rows["relative"] = np.where(half == 0, 0.0, half / scale.where(scale > 0, np.nan))
    return rows[["option", "metric", "relative"]]


def run_to_precision(
    scenarios: ScenarioSet,
    precision: float,
    metrics: list[str],
    seed: int,
    cap: int = DEFAULT_CAP,
    on_replication_done: Callable[[int], None] | None = None,
    execution: Execution = IN_PROCESS,
) -> PrecisionOutcome:
    """Replicate until every metric's relative half-width is within `precision`, or the cap."""
    results = run_experiment(scenarios, min(FIRST_ROUND, cap), seed, on_replication_done,
                             execution)
    while True:
        widths = relative_half_widths(results.summary, metrics).fillna(np.inf)
        worst = widths.loc[widths["relative"].idxmax()]
        worst_tuple = (str(worst["option"]), str(worst["metric"]), float(worst["relative"]))
        count = len(results.seeds)
        reached = bool(worst_tuple[2] <= precision)  # a Python bool: it is written to JSON
        if reached or count >= cap:
            return PrecisionOutcome(results, reached, worst_tuple)
        needed = count * (worst["relative"] / precision) ** 2 if np.isfinite(
            worst["relative"]) else 2 * count
        more = min(max(math.ceil(needed) - count, SMALLEST_STEP), cap - count)
        results = extend_experiment(results, more, on_replication_done, execution)
