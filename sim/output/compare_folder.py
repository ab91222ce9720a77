"""`sim compare`: the options streamed to disk as `sim run` streams them, then the decision.

The comparison table and the recommendation need only the metric rows (the summary and the
replications), so the units run into a staging folder (sim/output/run_folder.py), the main
process keeping only those rows, and the folder of `sim run` gets comparison.csv,
recommendation.json and a report with the comparison. With a precision goal, the rounds add
replications to the same staging folder until the goal or the cap
(sim/experiment/precision.py `PrecisionRounds`): the same units with the same seeds as a
comparison held in memory, so the same results. plan.json names the goal and the cap, not the
replications, so an interrupted comparison resumes with or without a goal: the rounds are played
again from the metric rows of the units found done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.decide.compare import judge, precision_metrics
from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.plan import run_plan
from sim.experiment.precision import DEFAULT_CAP, PrecisionRounds
from sim.experiment.stream import Rounds, one_round
from sim.output.json_file import write_json
from sim.output.recommendation_text import comparison_record
from sim.output.results_io import load_comparison, load_recommendation
from sim.output.run_folder import (
    FolderOptions,
    Judge,
    RunFolder,
    StreamedFolder,
    run_description,
    stream_to_folder,
)
from sim.output.streamed import Published
from sim.scenario.load import ScenarioSet


@dataclass(frozen=True)
class Replicate:
    """How many replications a comparison runs: a fixed number, or until a precision goal."""

    replications: int | None = None  # with no precision goal
    precision: float | None = None  # the 95% CI half-width over the mean to reach
    cap: int = DEFAULT_CAP  # replications at most, with a precision goal


@dataclass(frozen=True)
class CompareFolder:
    """A published `sim compare` folder, and the decision it holds (read back from it)."""

    published: Published
    summary: pd.DataFrame
    comparison: pd.DataFrame  # comparison.csv
    recommendation: dict  # recommendation.json


def compare_to_folder(scenarios: ScenarioSet, replicate: Replicate, seed: int, out: Path,
                      execution: Execution = IN_PROCESS, options: FolderOptions | None = None,
                      resume: bool = False, on_unit_done: Callable[[], None] | None = None
                      ) -> CompareFolder:
    """Run every unit not yet done (or done with parts damaged since), compare the options
    and publish the results folder; resuming a comparison that has finished does nothing."""
    options = options or FolderOptions()
    description = {**run_description(scenarios, replicate.replications, seed, options,
                                     kind="compare"),
                   "precision": replicate.precision,
                   "max_replications": replicate.cap if replicate.precision else None}
    rounds, decided = _rounds(scenarios, replicate, seed, options.visits)
    folder = StreamedFolder(scenarios, rounds, description, options,
                            _judge(scenarios, replicate, decided))
    done = stream_to_folder(folder, out, execution, resume, on_unit_done)
    return _read_back(done)


def _rounds(scenarios: ScenarioSet, replicate: Replicate, seed: int,
            visits: str) -> tuple[Rounds, PrecisionRounds | None]:
    """The rounds of the comparison and, with a precision goal, what tells how it ended."""
    if replicate.precision is None:
        replications = replicate.replications
        if replications is None:
            raise ValueError("give replications or a precision goal")
        return one_round(run_plan(scenarios, seed, range(replications), visits)), None
    rounds = PrecisionRounds(scenarios, seed, visits, replicate.precision,
                             precision_metrics(scenarios), replicate.cap)
    return rounds, rounds


def _judge(scenarios: ScenarioSet, replicate: Replicate,
           decided: PrecisionRounds | None) -> Judge:
    """comparison.csv and recommendation.json, from the metric rows of every replication."""
    def write(summary: pd.DataFrame, replications: pd.DataFrame,
              staging: Path) -> tuple[pd.DataFrame, dict]:
        table, recommendation = judge(scenarios, summary, replications)
        outcome = None if decided is None else decided.outcome
        record = comparison_record(recommendation, int(replications["replication"].nunique()),
                                   outcome, replicate.precision, scenarios.baseline)
        table.to_csv(staging / "comparison.csv", index=False)
        write_json(record, staging / "recommendation.json")
        return table, record
    return write


def _read_back(done: RunFolder) -> CompareFolder:
    folder = done.published.folder
    comparison, recommendation = load_comparison(folder), load_recommendation(folder)
    if comparison is None or recommendation is None:  # a finished folder of `sim run`: refused
        raise ValueError(f"{folder} holds no comparison")  # before, as plan.json differs
    return CompareFolder(done.published, done.summary, comparison, recommendation)
