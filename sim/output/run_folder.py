"""`sim run`: every (option, replication) unit streamed to disk, then the results folder.

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
import pyarrow as pa
import pyarrow.parquet as pq

from sim.analysis.confidence import summarise
from sim.analysis.figure_data import FIGURE_COLUMNS
from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.merge import merge_parts
from sim.experiment.plan import METRICS, TABLES, run_plan
from sim.experiment.runner import Results
from sim.experiment.stream import Streamed, read_metrics, table_parts
from sim.output.json_file import write_json
from sim.output.manifest import run_manifest
from sim.output.report import write_report
from sim.output.results_io import read_table
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
    started = time.perf_counter()
    plan = run_plan(scenarios, seed, range(replications), options.visits)
    description = run_description(scenarios, replications, seed, options)

    def finish(streamed: Streamed) -> None:
        _finish(scenarios, streamed, description, options, time.perf_counter() - started)

    run = StreamedRun(plan, description, finish, earlier_plan=lambda m: m.get("plan", {}),
                      scratch=(*TABLES, METRICS))
    published = publish_streamed(run, out, execution, resume, on_unit_done)
    return RunFolder(published, read_table(published.folder / "summary.csv", pd.read_csv))


def run_description(scenarios: ScenarioSet, replications: int, seed: int,
                    options: FolderOptions) -> dict:
    """What plan.json holds: what makes the folder what it is (a resumed run must match)."""
    documents = {"baseline": scenario_document(scenarios.baseline, with_options=True),
                 **{name: scenario_document(s) for name, s in scenarios.options.items()}}
    digest = hashlib.sha256(json.dumps(documents, sort_keys=True).encode()).hexdigest()
    return {"scenario_file": scenarios.source, "root_seed": seed,
            "replications": replications, "visits": options.visits,
            "options": list(scenarios.options), "scenarios_sha256": digest,
            "report": options.report, "lang": options.lang}


def _finish(scenarios: ScenarioSet, streamed: Streamed, description: dict,
            options: FolderOptions, runtime: float) -> None:
    """The folder's files, into the staging folder."""
    staging, plan = streamed.staging, streamed.plan
    for table in TABLES:
        merge_parts(table_parts(plan, staging, table), staging / f"{table}.parquet",
                    {"option": list(plan.options)})
    replications = read_metrics(plan, staging)
    replications.to_csv(staging / "replications.csv", index=False)
    summary = summarise(replications)
    summary.to_csv(staging / "summary.csv", index=False)
    manifest = run_manifest(scenarios, plan.root_seed, plan.seeds(), runtime, options.command)
    write_json({**manifest, "plan": description}, staging / "manifest.json")
    if options.report:
        results = Results(scenarios, plan.root_seed, plan.seeds(), summary, replications,
                          **_figure_tables(staging, list(plan.options)), runtime_seconds=runtime)
        write_report(results, staging / "report.html", options.lang)


def _figure_tables(folder: Path, options: list[str]) -> dict[str, pd.DataFrame]:
    """The columns of each table that the report's figures draw, read back from the folder
    one row group at a time (text columns as categories: a few distinct values each)."""
    return {table: _read_columns(folder / f"{table}.parquet", list(columns), options)
            for table, columns in FIGURE_COLUMNS.items()}


def _read_columns(path: Path, columns: list[str], options: list[str]) -> pd.DataFrame:
    schema = pq.read_schema(path)
    text = [c for c in columns if pa.types.is_string(schema.field(c).type)
            or pa.types.is_large_string(schema.field(c).type)]
    file = pq.ParquetFile(path, read_dictionary=text)
    pieces = [file.read_row_group(group, columns=columns).to_pandas(self_destruct=True)
              for group in range(file.num_row_groups)]
    frame = (pd.concat(pieces, ignore_index=True) if pieces
             else schema.empty_table().select(columns).to_pandas())
    frame["option"] = frame["option"].astype(pd.CategoricalDtype(options))
    return frame
