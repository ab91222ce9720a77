"""One unit of an experiment: simulate it and measure it, then hand back its tables (an
in-memory experiment) or write them to the staging folder of a streamed one.

Either way the same function measures it, so a streamed run and an in-memory one give the
same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.daily_frames import daily_frame, dossiers_frame
from sim.analysis.frames import intervals_frame, visits_frame
from sim.analysis.metrics import run_metrics
from sim.experiment.plan import METRICS, Batch, Unit
from sim.experiment.store import write_entry, write_part
from sim.model.centre import simulate

FRAMES = {  # tidy per-run tables, each written as <name>.parquet
    "visits": visits_frame,
    "intervals": intervals_frame,
    "dossiers": dossiers_frame,
    "daily": daily_frame,
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
    return Measured(rows, {name: with_ids(frame, unit.ids) for name, frame in tables.items()})


def _measure(unit: Unit) -> tuple[list[dict], dict[str, pd.DataFrame]]:
    """The unit's metric rows (with ids) and its tables (without them)."""
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
        frame = _joined([frame for _, frame in kept])
        ids = {**kept[0][0].ids, "replication": np.repeat(
            [unit.replication for unit, _ in kept], [len(frame) for _, frame in kept])}
        parts.update(write_part(with_ids(frame, ids), folder, table, batch.name))
    rows = pd.DataFrame([row for unit_rows, _ in measured for row in unit_rows])
    parts.update(write_part(rows, folder, METRICS, batch.name))
    write_entry(folder, batch.name, parts)
    return Written(batch.name)


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One unit's frame as it is, several concatenated (as the merge of parts would)."""
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def with_ids(frame: pd.DataFrame, ids: dict[str, object]) -> pd.DataFrame:
    """The frame with the unit's id columns first."""
    for position, (column, value) in enumerate(ids.items()):
        frame.insert(position, column, value)
    return frame
