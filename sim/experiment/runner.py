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
from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.seeds import DEFAULT_SEED, replication_seed
from sim.model.centre import simulate
from sim.scenario.load import ScenarioSet
from sim.scenario.schema import Scenario

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
    execution: Execution = IN_PROCESS,
) -> Results:
    """Simulate every option `replications` times; `on_replication_done(r)` reports progress.

    `execution` says where the (replication, option) units run (local processes, a Dask
    cluster); the results are the same whichever runs them.
    """
    if replications < 1:
        raise ValueError("replications must be at least 1")
    started = time.perf_counter()
    rows, tables = _simulate_replications(scenarios, seed, range(replications),
                                          on_replication_done, execution)
    return _assemble(scenarios, seed, replications, rows, tables,
                     time.perf_counter() - started)


def extend_experiment(
    results: Results,
    more: int,
    on_replication_done: Callable[[int], None] | None = None,
    execution: Execution = IN_PROCESS,
) -> Results:
    """The same experiment with `more` replications added (replication seeds continue from
    the root seed, so N + M replications equal a run of N + M from the start)."""
    started = time.perf_counter()
    first = len(results.seeds)
    rows, tables = _simulate_replications(results.scenarios, results.root_seed,
                                          range(first, first + more), on_replication_done,
                                          execution)
    for name in FRAMES:
        tables[name] = [getattr(results, name), *tables[name]]
    old_rows = results.replications.astype({"option": str}).to_dict("records")
    return _assemble(results.scenarios, results.root_seed, first + more, old_rows + rows, tables,
                     results.runtime_seconds + time.perf_counter() - started)


def simulate_unit(scenario: Scenario, option: str, replication: int,
                  run_seed: int) -> tuple[list[dict], dict[str, pd.DataFrame]]:
    """One option in one replication: its metric rows and its tidy frames, with ids."""
    record = simulate(scenario, run_seed)
    ids = {"option": option, "replication": replication}
    rows = [{**ids, "seed": run_seed, "metric": name, "value": value}
            for name, value in run_metrics(record, scenario).items()]
    frames = {name: _with_ids(build(record, scenario), ids) for name, build in FRAMES.items()}
    return rows, frames


def _simulate_replications(
    scenarios: ScenarioSet,
    seed: int,
    replications: range,
    on_replication_done: Callable[[int], None] | None,
    execution: Execution,
) -> tuple[list[dict], dict[str, list[pd.DataFrame]]]:
    units = [(scenario, option, replication, replication_seed(seed, replication))
             for replication in replications for option, scenario in scenarios.options.items()]
    metric_rows: list[dict] = []
    tables: dict[str, list[pd.DataFrame]] = {name: [] for name in FRAMES}
    per_replication = len(scenarios.options)
    results = execution.map(simulate_unit, units)
    for done, (unit, (rows, frames)) in enumerate(zip(units, results, strict=True), start=1):
        metric_rows += rows
        for name, frame in frames.items():
            tables[name].append(frame)
        if on_replication_done is not None and done % per_replication == 0:
            on_replication_done(unit[2])
    return metric_rows, tables


def _assemble(scenarios: ScenarioSet, seed: int, replications: int, rows: list[dict],
              tables: dict[str, list[pd.DataFrame]], runtime: float) -> Results:
    per_run = _sorted_by_run(pd.DataFrame(rows), scenarios)
    return Results(
        scenarios=scenarios,
        root_seed=seed,
        seeds=tuple(replication_seed(seed, r) for r in range(replications)),
        summary=summarise(per_run),
        replications=per_run,
        **{name: _sorted_by_run(pd.concat(frames, ignore_index=True), scenarios)
           for name, frames in tables.items()},
        runtime_seconds=runtime,
    )


def _with_ids(frame: pd.DataFrame, ids: dict[str, object]) -> pd.DataFrame:
    for position, (column, value) in enumerate(ids.items()):
        frame.insert(position, column, value)
    return frame


def _sorted_by_run(frame: pd.DataFrame, scenarios: ScenarioSet) -> pd.DataFrame:
    """Option-major order, as in the summary, whatever order the runs finished in."""
    frame["option"] = pd.Categorical(frame["option"].astype(str),
                                     categories=list(scenarios.options))
    return frame.sort_values(["option", "replication"], kind="stable", ignore_index=True)
