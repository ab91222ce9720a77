"""Run every option of a scenario for a number of replications and collect tidy results.

Replication r of every option uses the same seed (common random numbers), so that differences
between options come from the options, not from different citizens.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from sim.analysis.confidence import summarise
from sim.analysis.daily_frames import daily_frame, dossiers_frame
from sim.analysis.frames import intervals_frame, visits_frame
from sim.analysis.metrics import run_metrics
from sim.experiment.seeds import DEFAULT_SEED, replication_seed
from sim.model.centre import simulate
from sim.scenario.load import ScenarioSet

DEFAULT_REPLICATIONS = 10
FRAMES = {  # tidy per-run tables, each written as <name>.parquet
    "visits": visits_frame,
    "intervals": intervals_frame,
    "dossiers": dossiers_frame,
    "daily": daily_frame,
}


@dataclass(frozen=True)
class Results:
    """Everything an experiment produced, as tidy frames with ids on every row."""

    scenarios: ScenarioSet
    root_seed: int
    seeds: tuple[int, ...]  # seed of replication r at index r
    summary: pd.DataFrame  # option, metric, mean, std, ci_low, ci_high, replications
    replications: pd.DataFrame  # option, replication, seed, metric, value
    visits: pd.DataFrame  # one row per visit
    intervals: pd.DataFrame  # one row per desk, day and half-hour
    dossiers: pd.DataFrame  # one row per back-office dossier
    daily: pd.DataFrame  # one row per opening day
    runtime_seconds: float


def run_experiment(
    scenarios: ScenarioSet,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int = DEFAULT_SEED,
    on_replication_done: Callable[[int], None] | None = None,
) -> Results:
    """Simulate every option `replications` times; `on_replication_done(r)` reports progress."""
    if replications < 1:
        raise ValueError("replications must be at least 1")
    started = time.perf_counter()
    seeds = tuple(replication_seed(seed, r) for r in range(replications))
    metric_rows: list[dict] = []
    tables: dict[str, list[pd.DataFrame]] = {name: [] for name in FRAMES}
    for replication, run_seed in enumerate(seeds):
        for option, scenario in scenarios.options.items():
            record = simulate(scenario, run_seed)
            ids = {"option": option, "replication": replication}
            metric_rows += [{**ids, "seed": run_seed, "metric": name, "value": value}
                            for name, value in run_metrics(record, scenario).items()]
            for name, build in FRAMES.items():
                tables[name].append(_with_ids(build(record, scenario), ids))
        if on_replication_done is not None:
            on_replication_done(replication)
    per_run = pd.DataFrame(metric_rows)
    per_run = _option_order(per_run, scenarios).sort_values(["option", "replication"],
                                                             kind="stable", ignore_index=True)
    return Results(
        scenarios=scenarios,
        root_seed=seed,
        seeds=seeds,
        summary=summarise(per_run),
        replications=per_run,
        **{name: _sorted_by_run(pd.concat(frames, ignore_index=True), scenarios)
           for name, frames in tables.items()},
        runtime_seconds=time.perf_counter() - started,
    )


def _with_ids(frame: pd.DataFrame, ids: dict[str, object]) -> pd.DataFrame:
    for position, (column, value) in enumerate(ids.items()):
        frame.insert(position, column, value)
    return frame


def _option_order(frame: pd.DataFrame, scenarios: ScenarioSet) -> pd.DataFrame:
    frame["option"] = pd.Categorical(frame["option"], categories=list(scenarios.options))
    return frame


def _sorted_by_run(frame: pd.DataFrame, scenarios: ScenarioSet) -> pd.DataFrame:
    """Option-major order, as in the summary, whatever order the runs finished in."""
    frame = _option_order(frame, scenarios)
    return frame.sort_values(["option", "replication"], kind="stable", ignore_index=True)
