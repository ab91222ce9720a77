"""Add replications until the estimates are precise enough, so a leader need not choose N.

Precision is the 95% CI half-width relative to the mean, for every target metric of every
option. The half-width shrinks like 1/sqrt(n), which gives the next number of replications.
The rule reads only the summary of the metric rows, so the same rounds serve an experiment
held in memory (`run_to_precision`) and one streamed to disk (`PrecisionRounds`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.confidence import summarise
from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.plan import Plan, run_plan
from sim.experiment.runner import Results, extend_experiment, run_experiment
from sim.scenario.load import ScenarioSet

FIRST_ROUND = 10
SMALLEST_STEP = 5
DEFAULT_CAP = 200


@dataclass(frozen=True)
class PrecisionOutcome:
    """How precise an experiment's estimates are: reached, or stopped at the cap."""

    reached: bool
    worst: tuple[str, str, float]  # option, metric, relative half-width
    replications: int  # per option, when it stopped


def relative_half_widths(summary: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """Half-width of the 95% CI over |mean|, per option and metric (0 when exact)."""
    rows = summary[summary["metric"].isin(metrics)].copy()
    half = (rows["ci_high"] - rows["ci_low"]) / 2
    scale = rows["mean"].abs()
    rows["relative"] = np.where(half == 0, 0.0, half / scale.where(scale > 0, np.nan))
    return rows[["option", "metric", "relative"]]


def replicate_to_precision(run_more: Callable[[int, int], pd.DataFrame], precision: float,
                           metrics: list[str], cap: int = DEFAULT_CAP) -> PrecisionOutcome:
    """Replicate until every metric's relative half-width is within `precision`, or the cap:
    ``run_more(first, more)`` runs replications first..first+more-1 and returns the summary
    of every replication so far. Where they run and where their tables go is the caller's."""
    count = min(FIRST_ROUND, cap)
    summary = run_more(0, count)
    while True:
        widths = relative_half_widths(summary, metrics).fillna(np.inf)
        worst = widths.loc[widths["relative"].idxmax()]
        worst_tuple = (str(worst["option"]), str(worst["metric"]), float(worst["relative"]))
        reached = bool(worst_tuple[2] <= precision)  # a Python bool: it is written to JSON
        if reached or count >= cap:
            return PrecisionOutcome(reached, worst_tuple, count)
        needed = count * (worst["relative"] / precision) ** 2 if np.isfinite(
            worst["relative"]) else 2 * count
        more = min(max(math.ceil(needed) - count, SMALLEST_STEP), cap - count)
        summary = run_more(count, more)
        count += more


def run_to_precision(
    scenarios: ScenarioSet,
    precision: float,
    metrics: list[str],
    seed: int,
    cap: int = DEFAULT_CAP,
    on_replication_done: Callable[[int], None] | None = None,
    execution: Execution = IN_PROCESS,
) -> tuple[Results, PrecisionOutcome]:
    """Replicate in memory until every metric's relative half-width is within `precision`,
    or the cap: the results, and how precise they are."""
    held: list[Results] = []

    def run_more(first: int, more: int) -> pd.DataFrame:
        results = (extend_experiment(held.pop(), more, on_replication_done, execution) if first
                   else run_experiment(scenarios, more, seed, on_replication_done, execution))
        held.append(results)
        return results.summary

    outcome = replicate_to_precision(run_more, precision, metrics, cap)
    return held[0], outcome


@dataclass
class PrecisionRounds:
    """The rounds of a streamed experiment with a precision goal (sim/experiment/stream.py):
    each runs the plan of every replication so far, whose units not yet done are the new
    replications, and reads back the metric rows of them all. `outcome` is set once run."""

    scenarios: ScenarioSet
    seed: int
    visits: str
    precision: float
    metrics: list[str]
    cap: int = DEFAULT_CAP
    outcome: PrecisionOutcome | None = None

    def __call__(self, run: Callable[[Plan], Callable[[], pd.DataFrame]]) -> Plan:
        plans: list[Plan] = []

        def run_more(first: int, more: int) -> pd.DataFrame:
            plans.append(run_plan(self.scenarios, self.seed, range(first + more), self.visits))
            return summarise(run(plans[-1])())

        self.outcome = replicate_to_precision(run_more, self.precision, self.metrics, self.cap)
        return plans[-1]
