"""One unit of an experiment: simulate it and measure it, then hand back its tables (an
in-memory experiment) or write them to the staging folder of a streamed one.

Either way the same function measures it, so a streamed run and an in-memory one give the
same numbers. A table is made a DataFrame once per part: one unit's in memory, all the units'
of a batch when written (pandas' cost per DataFrame outweighs a small centre's run).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.columns import Columns, row_count, tidy_frame
from sim.analysis.daily_frames import daily_columns, dossiers_columns
from sim.analysis.frames import intervals_columns, visits_columns
from sim.analysis.metrics import run_metrics
from sim.experiment.plan import METRICS, Batch, Unit
from sim.experiment.store import write_entry, write_part
from sim.model.centre import simulate

FRAMES = {  # tidy per-run tables (their columns; tidy_frame makes them DataFrames), each
    # written as <name>.parquet
    "visits": visits_columns,
    "intervals": intervals_columns,
    "dossiers": dossiers_columns,
    "daily": daily_columns,
}


@dataclass(frozen=True)
class Measured:
    """What one unit produced: its metric rows and its tidy tables, with ids on every row."""

    rows: list[dict]  # option, [centre,] replication, seed, metric, value
    frames: dict[str, pd.DataFrame]


@dataclass(frozen=True)
class Written:
    """What a streamed unit hands back to the main process: which unit is done, no table."""

    name: str


def measure_unit(unit: Unit) -> Measured:
    """Simulate the unit and measure it: every metric, and the tables it keeps."""
    rows, tables = _measure(unit)
    return Measured(rows, {name: with_ids(tidy_frame([columns]), unit.ids)
                           for name, columns in tables.items()})


def _measure(unit: Unit) -> tuple[list[dict], dict[str, Columns]]:
    """The unit's metric rows (with ids) and its tables' columns (without ids)."""
    record = simulate(unit.scenario, unit.seed)
    rows = [{**unit.ids, "seed": unit.seed, "metric": name, "value": value}
            for name, value in run_metrics(record, unit.scenario).items()]
    return rows, {name: FRAMES[name](record, unit.scenario) for name in unit.tables}


def write_batch(batch: Batch, staging: str) -> Written:
    """Measure the batch's units and write one part per table for all of them (their rows in
    replication order, the ids put in once for the whole part), then the batch's index
    entry, which marks it done."""
    measured = [_measure(unit) for unit in batch.units]
    folder = Path(staging)
    parts = {}
    for table in batch.stored[:-1]:
        kept = [(unit, tables[table]) for unit, (_, tables) in zip(batch.units, measured,
                                                                    strict=True)
                if table in tables]
        frame = tidy_frame([columns for _, columns in kept])
        ids = {**kept[0][0].ids, "replication": np.repeat(
            [unit.replication for unit, _ in kept], [row_count(columns) for _, columns in kept])}
        parts.update(write_part(with_ids(frame, ids), folder, table, batch.name))
    rows = pd.DataFrame([row for unit_rows, _ in measured for row in unit_rows])
    parts.update(write_part(rows, folder, METRICS, batch.name))
    write_entry(folder, batch.name, parts)
    return Written(batch.name)


def with_ids(frame: pd.DataFrame, ids: dict[str, object]) -> pd.DataFrame:
    """The frame with the unit's id columns first."""
    for position, (column, value) in enumerate(ids.items()):
        frame.insert(position, column, value)
    return frame
