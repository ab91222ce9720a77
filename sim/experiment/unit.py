"""One unit of an experiment: simulate it and measure it, then hand back its tables (an
in-memory experiment) or write them to the staging folder of a streamed one.

Either way the same function measures it, so a streamed run and an in-memory one give the
same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.analysis.daily_frames import daily_frame, dossiers_frame
from sim.analysis.frames import intervals_frame, visits_frame
from sim.analysis.metrics import run_metrics
from sim.experiment.plan import METRICS, Unit
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
    record = simulate(unit.scenario, unit.seed)
    ids = unit.ids
    rows = [{**ids, "seed": unit.seed, "metric": name, "value": value}
            for name, value in run_metrics(record, unit.scenario).items()]
    frames = {name: with_ids(FRAMES[name](record, unit.scenario), ids) for name in unit.tables}
    return Measured(rows, frames)


def write_unit(unit: Unit, staging: str) -> Written:
    """Measure the unit and write its parts, then its index entry, which marks it done."""
    measured = measure_unit(unit)
    folder = Path(staging)
    parts = {}
    for table, frame in measured.frames.items():
        parts.update(write_part(frame, folder, table, unit.name))
    parts.update(write_part(pd.DataFrame(measured.rows), folder, METRICS, unit.name))
    write_entry(folder, unit.name, parts)
    return Written(unit.name)


def with_ids(frame: pd.DataFrame, ids: dict[str, object]) -> pd.DataFrame:
    """The frame with the unit's id columns first."""
    for position, (column, value) in enumerate(ids.items()):
        frame.insert(position, column, value)
    return frame
