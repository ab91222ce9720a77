"""Run every option of a scenario for a number of replications and keep the tidy results in
memory: for the Python API (`sim.run`, `sim.compare`, in-memory precision runs) and the staffing
search.

The plan, the unit function and the executors are those of a streamed run
(sim/experiment/stream.py); only where the tables go differs: here each unit hands its tables
back to the main process. Replication r of every option uses the same seed (common random
numbers), so that differences between options come from the options, not from different
citizens.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from sim.analysis.categories import categorised, table_categories
from sim.analysis.confidence import summarise
from sim.experiment.describe import results_repr
from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.plan import DEFAULT_SEED, Plan, run_plan
from sim.experiment.unit import FRAMES, Measured, measure_unit
from sim.scenario.load import ScenarioSet

DEFAULT_REPLICATIONS = 10


@dataclass(frozen=True, repr=False)
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

    def __repr__(self) -> str:
        return results_repr(self)


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
    plan = run_plan(scenarios, seed, range(replications))
    rows, tables = _run_in_memory(plan, on_replication_done, execution)
    return _assemble(scenarios, plan, rows, tables, time.perf_counter() - started)


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
    plan = run_plan(results.scenarios, results.root_seed, range(first, first + more))
    rows, tables = _run_in_memory(plan, on_replication_done, execution)
    for name in FRAMES:
        tables[name] = [getattr(results, name), *tables[name]]
    old_rows = results.replications.astype({"option": str}).to_dict("records")
    return _assemble(results.scenarios, plan, old_rows + rows, tables,
                     results.runtime_seconds + time.perf_counter() - started)


def _run_in_memory(plan: Plan, on_replication_done: Callable[[int], None] | None,
                   execution: Execution) -> tuple[list[dict], dict[str, list[pd.DataFrame]]]:
    """Every unit's metric rows and tables, collected in the main process (the memory sink)."""
    metric_rows: list[dict] = []
    tables: dict[str, list[pd.DataFrame]] = {name: [] for name in FRAMES}
    per_replication = len(plan.options)
    measured = execution.map(measure_unit, [(unit,) for unit in plan.units])
    for done, (unit, result) in enumerate(zip(plan.units, measured, strict=True), start=1):
        _collect(result, metric_rows, tables)
        if on_replication_done is not None and done % per_replication == 0:
            on_replication_done(unit.replication)
    return metric_rows, tables


def _collect(result: Measured, rows: list[dict], tables: dict[str, list[pd.DataFrame]]) -> None:
    rows += result.rows
    for name, frame in result.frames.items():
        tables[name].append(frame)


def _assemble(scenarios: ScenarioSet, plan: Plan, rows: list[dict],
              tables: dict[str, list[pd.DataFrame]], runtime: float) -> Results:
    categories = table_categories(scenarios)
    per_run = sorted_by_run(pd.DataFrame(rows), categories)
    return Results(
        scenarios=scenarios,
        root_seed=plan.root_seed,
        seeds=plan.seeds(),
        summary=categorised(summarise(per_run), categories),
        replications=per_run,
        **{name: sorted_by_run(pd.concat(frames, ignore_index=True), categories)
           for name, frames in tables.items()},
        runtime_seconds=runtime,
    )


def sorted_by_run(frame: pd.DataFrame, categories: dict[str, list[str]]) -> pd.DataFrame:
    """Option-major order, as in the summary, whatever order the runs finished in; text
    columns as the run's categoricals (sim/analysis/categories.py)."""
    return categorised(frame, categories).sort_values(["option", "replication"], kind="stable",
                                                      ignore_index=True)
