"""One unit of an experiment: simulate it and measure it, then hand back its tables (an
in-memory experiment) or write them to the staging folder of a streamed one.

Either way the same function measures it, so a streamed run and an in-memory one give the
same numbers. In memory a unit's tables are DataFrames; a batch's parts are written from Arrow
tables of the same types and values, made without a DataFrame (pandas' cost per DataFrame
outweighs writing a small centre's part).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from sim.analysis.columns import Columns, arrow_table, row_count, tidy_frame
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
    metrics, tables = _measure(unit)
    rows = [{**unit.ids, "seed": unit.seed, "metric": name, "value": value}
            for name, value in metrics.items()]
    return Measured(rows, {name: with_ids(tidy_frame([columns]), unit.ids)
                           for name, columns in tables.items()})


def _measure(unit: Unit) -> tuple[dict[str, float], dict[str, Columns]]:
    """The unit's metrics and its tables' columns (without ids)."""
    record = simulate(unit.scenario, unit.seed)
    return (run_metrics(record, unit.scenario),
            {name: FRAMES[name](record, unit.scenario) for name in unit.tables})


def write_batch(batch: Batch, staging: str) -> Written:
    """Measure the batch's units and write one part per table for all of them (their rows in
    replication order, the ids put in once for the whole part), then the batch's index
    entry, which marks it done. The parts are Arrow tables of the very types and values
    pandas would write of the in-memory run's DataFrames, made without them."""
    measured = [_measure(unit) for unit in batch.units]
    folder = Path(staging)
    parts = {}
    for table in batch.stored[:-1]:
        kept = [(unit, tables[table]) for unit, (_, tables) in zip(batch.units, measured,
                                                                    strict=True)
                if table in tables]
        parts.update(write_part(_with_replications(kept), folder, table, batch.name))
    metrics = [(unit, _metric_columns(unit, unit_metrics))
               for unit, (unit_metrics, _) in zip(batch.units, measured, strict=True)]
    parts.update(write_part(_with_replications(metrics), folder, METRICS, batch.name))
    write_entry(folder, batch.name, parts)
    return Written(batch.name)


def _with_replications(kept: list[tuple[Unit, Columns]]) -> pa.Table:
    """The units' columns end to end as one table, each row with its unit's ids."""
    ids = {**kept[0][0].ids, "replication": np.repeat(
        [unit.replication for unit, _ in kept], [row_count(columns) for _, columns in kept])}
    return arrow_table([columns for _, columns in kept], ids)


def _metric_columns(unit: Unit, metrics: dict[str, float]) -> Columns:
    """A unit's metric rows as columns: its seed, each metric's name and value."""
    return {"seed": np.full(len(metrics), unit.seed, dtype=np.int64),
            "metric": np.array(list(metrics), dtype=object),
            "value": np.fromiter(metrics.values(), dtype=float, count=len(metrics))}


def with_ids(frame: pd.DataFrame, ids: dict[str, object]) -> pd.DataFrame:
    """The frame with the unit's id columns first."""
    for position, (column, value) in enumerate(ids.items()):
        frame.insert(position, column, value)
    return frame
