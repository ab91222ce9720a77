"""Read a results folder back into the objects that wrote it, for `sim plot` and `sim report`
(and for researchers who want yesterday's run in a notebook).

The manifest holds the scenarios that ran in the scenario format itself, and they are read back
through the same validation as a scenario file; a folder that is incomplete or damaged gets one
ResultsFolderError that names the file and what is wrong, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.analysis.categories import categorised, table_categories
from sim.analysis.figure_data import FIGURE_COLUMNS
from sim.experiment.runner import Results
from sim.experiment.unit import FRAMES
from sim.output.manifest import PROVINCE, RUN
from sim.scenario.errors import ScenarioError
from sim.scenario.load import ScenarioSet, validate_document
from sim.scenario.schema import Scenario

MANIFEST = "manifest.json"


class ResultsFolderError(Exception):
    """The folder is not a complete, readable results folder."""


def load_results(folder: str | Path, figures_only: bool = False) -> Results:
    """The Results saved in ``folder`` by `sim run` or `sim compare`; with `figures_only`, of
    each table only the columns the figures and the report draw (FIGURE_COLUMNS), read a row
    group at a time, so that `sim report` and `sim plot` need not hold whole tables."""
    folder = Path(folder)
    manifest = read_manifest(folder, RUN)
    _require(folder, [f"{name}.parquet" for name in FRAMES] + ["summary.csv", "replications.csv"])
    source = str(folder / MANIFEST)
    baseline = resolved_scenario(manifest, ["baseline"], source)
    options = {name: resolved_scenario(manifest, ["options", name], source)
               for name in _mapping(manifest, "options", source)}
    scenarios = ScenarioSet(source=manifest["scenario_file"], baseline=baseline, options=options)
    categories = table_categories(scenarios)
    seeds = manifest["replication_seeds"]
    if not isinstance(seeds, list) or not all(isinstance(seed, int) for seed in seeds):
        raise ResultsFolderError(f"{source}: replication_seeds is not a list of seeds")
    return Results(
        scenarios=scenarios,
        root_seed=manifest["root_seed"],
        seeds=tuple(seeds),
        summary=_frame(folder / "summary.csv", pd.read_csv, categories),
        replications=_frame(folder / "replications.csv", pd.read_csv, categories),
        **(read_figure_tables(folder, categories) if figures_only else
           {name: _frame(folder / f"{name}.parquet", pd.read_parquet, categories)
            for name in FRAMES}),
        runtime_seconds=manifest["runtime_seconds"],
    )


def folder_kind(folder: str | Path) -> str:
    """'run' (written by `sim run` or `sim compare`) or 'province' (by `sim province run`)."""
    return read_manifest(Path(folder)).get("kind", RUN)


def folder_kind_or_none(folder: str | Path) -> str | None:
    """The folder's kind, or None when it is no results folder of sim."""
    try:
        return folder_kind(folder)
    except ResultsFolderError:
        return None


def load_recommendation(folder: str | Path) -> dict | None:
    """The recommendation of `sim compare`, or None for a folder written by `sim run`."""
    path = Path(folder) / "recommendation.json"
    return read_table(path, _read_json) if path.is_file() else None


def load_comparison(folder: str | Path) -> pd.DataFrame | None:
    path = Path(folder) / "comparison.csv"
    return read_table(path, pd.read_csv) if path.is_file() else None


def read_manifest(folder: Path, kind: str | None = None) -> dict[str, Any]:
    """The folder's manifest, checked to be a JSON object of the expected kind."""
    path = folder / MANIFEST
    if not path.is_file():
        raise ResultsFolderError(f"{folder} is not a results folder of sim (no {MANIFEST}); "
                                 "give the folder that `sim run`, `sim compare` or "
                                 "`sim province run` wrote")
    manifest = read_table(path, _read_json)
    if not isinstance(manifest, dict):
        raise ResultsFolderError(f"{path}: not a manifest (a JSON object); run the command "
                                 "that wrote the folder again")
    found = manifest.get("kind", RUN)
    if found not in _REQUIRED:
        raise ResultsFolderError(f"{path}: kind {found!r} is not one of {', '.join(_REQUIRED)}")
    if kind is not None and found != kind:
        raise ResultsFolderError(f"{path}: a folder of kind {found!r}, not {kind!r}")
    missing = [key for key in _REQUIRED[found] if key not in manifest]
    if missing:
        raise ResultsFolderError(f"{path}: lacks {', '.join(missing)}; the folder was written "
                                 "by another version of sim or damaged; run it again")
    return manifest


def resolved_scenario(manifest: dict[str, Any], keys: list[str], source: str) -> Scenario:
    """One scenario stored in the manifest under ``keys``, validated as a scenario file is."""
    document: Any = manifest
    for key in keys:
        document = document.get(key) if isinstance(document, dict) else None
    if not isinstance(document, dict):
        raise ResultsFolderError(f"{source}: {'.'.join(keys)} is not a scenario")
    try:
        return validate_document(document, source, prefix=".".join(keys))
    except ScenarioError as err:
        raise ResultsFolderError(err.message()) from None


def read_figure_tables(folder: Path, categories: dict[str, list[str]]
                       ) -> dict[str, pd.DataFrame]:
    """The columns of each table that the figures and the report draw, read back from the
    folder one row group at a time (text columns as categories: a few distinct values each;
    ``categories``: sim/analysis/categories.py `table_categories`)."""
    return {table: read_table(folder / f"{table}.parquet",
                              lambda path, wanted=list(columns): _columns(path, wanted,
                                                                          categories))
            for table, columns in FIGURE_COLUMNS.items()}


def _columns(path: Path, columns: list[str], categories: dict[str, list[str]]) -> pd.DataFrame:
    schema = pq.read_schema(path)
    missing = [column for column in columns if column not in schema.names]
    if missing:
        raise ResultsFolderError(f"{path}: no {missing[0]} column; run it again")
    text = [c for c in columns if pa.types.is_string(schema.field(c).type)
            or pa.types.is_large_string(schema.field(c).type)]
    file = pq.ParquetFile(path, read_dictionary=text)
    pieces = [file.read_row_group(group, columns=columns).to_pandas(self_destruct=True)
              for group in range(file.num_row_groups)]
    frame = (pd.concat(pieces, ignore_index=True) if pieces
             else schema.empty_table().select(columns).to_pandas())
    return categorised(frame, categories)


def read_table(path: Path, reader: Callable[[Path], Any]) -> Any:
    """``reader(path)``, with an unreadable or damaged file as a ResultsFolderError."""
    try:
        return reader(path)
    except (OSError, ValueError, UnicodeDecodeError) as err:  # Arrow, CSV and JSON errors
        raise ResultsFolderError(f"{path}: cannot be read ({type(err).__name__}: "
                                 f"{str(err)[:200]}); run the command that wrote the folder "
                                 "again") from None


_REQUIRED = {
    RUN: ("scenario_file", "baseline", "options", "root_seed", "replication_seeds",
          "runtime_seconds"),
    PROVINCE: ("province_file", "name", "root_seed", "replications", "lang", "options",
               "centres", "scenarios"),
}


def _mapping(manifest: dict[str, Any], key: str, source: str) -> dict[str, Any]:
    value = manifest[key]
    if not isinstance(value, dict) or not value:
        raise ResultsFolderError(f"{source}: {key} is not a mapping of scenarios")
    return value


def _require(folder: Path, names: list[str]) -> None:
    missing = [name for name in names if not (folder / name).is_file()]
    if missing:
        raise ResultsFolderError(f"{folder} lacks {', '.join(missing)}; run it again")


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _frame(path: Path, reader: Callable[[Path], pd.DataFrame],
           categories: dict[str, list[str]]) -> pd.DataFrame:
    """A table of the folder with its text columns as the run's categoricals (the option
    column in the run's order of options)."""
    frame = read_table(path, reader)
    if "option" not in frame.columns:
        raise ResultsFolderError(f"{path}: no option column; run it again")
    return categorised(frame, categories)
