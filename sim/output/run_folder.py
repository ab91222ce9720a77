"""`sim run`: every (option, replication) unit streamed to disk, then the results folder (and
`sim compare`'s, which adds its decision: sim/output/compare_folder.py).

Each unit's tables go to a staging folder as Parquet parts as it finishes, so the main process
keeps only the small metric rows; at the end each table becomes its one Parquet file of
today's layout (summary.csv, replications.csv, visits.parquet, intervals.parquet,
dossiers.parquet, daily.parquet, manifest.json, report.html), written part by part in the
order of the tables (option, then replication). The report reads back only the columns its
figures draw. An interrupted run continues with `resume`.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.analysis.categories import table_categories
from sim.analysis.confidence import summarise
from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.merge import merge_parts
from sim.experiment.plan import METRICS, TABLES, run_plan
from sim.experiment.runner import Results
from sim.experiment.stream import Rounds, Streamed, one_round
from sim.output.json_file import write_json
from sim.output.manifest import run_manifest
from sim.output.report import write_report
from sim.output.results_io import read_figure_tables, read_table
from sim.output.streamed import Published, StreamedRun, publish_streamed
from sim.scenario.document import scenario_document
from sim.scenario.load import ScenarioSet

RUN_VISITS_MODES = ("sample", "all")  # a results folder always has its visits.parquet


@dataclass(frozen=True)
class FolderOptions:
    """How `sim run` writes its results folder."""

    visits: str = "all"
    report: bool = True
    lang: str = "vi"
    command: list[str] | None = None  # for the manifest (default: sys.argv)


@dataclass(frozen=True)
class RunFolder:
    """A published `sim run` folder, its summary, and what an interrupted run had done."""

    published: Published
    summary: pd.DataFrame


def run_to_folder(scenarios: ScenarioSet, replications: int, seed: int, out: Path,
                  execution: Execution = IN_PROCESS, options: FolderOptions = FolderOptions(),
                  resume: bool = False, on_unit_done: Callable[[], None] | None = None
                  ) -> RunFolder:
    """Run every unit not yet done (or done with parts damaged since) and publish the results
    folder. Resuming a run that has finished does nothing and leaves its folder as it is."""
    plan = run_plan(scenarios, seed, range(replications), options.visits)
    description = run_description(scenarios, replications, seed, options)
    streamed = StreamedFolder(scenarios, one_round(plan), description, options)
    return stream_to_folder(streamed, out, execution, resume, on_unit_done)


# Writes a decision's own files into the staging folder, from the summary and the metric rows
# of every replication, and hands the report its comparison table and recommendation record.
Judge = Callable[[pd.DataFrame, pd.DataFrame, Path], tuple[pd.DataFrame, dict]]


@dataclass(frozen=True)
class StreamedFolder:
    """What a streamed results folder holds: `sim run`'s, or `sim compare`'s with `judge`."""

    scenarios: ScenarioSet
    rounds: Rounds  # the units, in one round or in several (a precision goal)
    description: dict  # what plan.json holds (run_description, and more)
    options: FolderOptions
    judge: Judge | None = None


def stream_to_folder(folder: StreamedFolder, out: Path, execution: Execution = IN_PROCESS,
                     resume: bool = False, on_unit_done: Callable[[], None] | None = None
                     ) -> RunFolder:
    """Run the folder's units into the staging folder beside `out`, write its files there
    and publish it."""
    started = time.perf_counter()

    def finish(streamed: Streamed) -> None:
        _finish(folder, streamed, time.perf_counter() - started)

    run = StreamedRun(folder.rounds, folder.description, finish,
                      earlier_plan=lambda m: m.get("plan", {}), scratch=(*TABLES, METRICS))
    published = publish_streamed(run, out, execution, resume, on_unit_done)
    return RunFolder(published, read_table(published.folder / "summary.csv", pd.read_csv))


def run_description(scenarios: ScenarioSet, replications: int | None, seed: int,
                    options: FolderOptions, kind: str = "run") -> dict:
    """What plan.json holds: what makes the folder what it is (a resumed run must match)."""
    documents = {"baseline": scenario_document(scenarios.baseline, with_options=True),
                 **{name: scenario_document(s) for name, s in scenarios.options.items()}}
    digest = hashlib.sha256(json.dumps(documents, sort_keys=True).encode()).hexdigest()
    return {"kind": kind, "scenario_file": scenarios.source, "root_seed": seed,
            "replications": replications, "visits": options.visits,
            "options": list(scenarios.options), "scenarios_sha256": digest,
            "report": options.report, "lang": options.lang}


def _finish(folder: StreamedFolder, streamed: Streamed, runtime: float) -> None:
    """The folder's files, into the staging folder."""
    staging, plan, options = streamed.staging, streamed.plan, folder.options
    categories = table_categories(folder.scenarios)
    for table in TABLES:
        merge_parts(streamed.table_parts(table), staging / f"{table}.parquet", categories)
    replications = streamed.read_metrics()
    replications.to_csv(staging / "replications.csv", index=False)
    summary = summarise(replications)
    summary.to_csv(staging / "summary.csv", index=False)
    manifest = run_manifest(folder.scenarios, plan.root_seed, plan.seeds(), runtime,
                            options.command)
    write_json({**manifest, "plan": folder.description}, staging / "manifest.json")
    judged = () if folder.judge is None else folder.judge(summary, replications, staging)
    if options.report:
        results = Results(folder.scenarios, plan.root_seed, plan.seeds(), summary, replications,
                          **read_figure_tables(staging, categories),
                          runtime_seconds=runtime)
        write_report(results, staging / "report.html", options.lang, *judged)
