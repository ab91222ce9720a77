"""A streamed batch's Parquet parts hold exactly what pandas would write of the in-memory
run's DataFrames: the same Arrow types and the same values, nulls where pandas puts them."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_scenarios import BUNDLED

from sim.analysis.columns import Clock, Coded, arrow_table, tidy_frame
from sim.experiment.plan import METRICS, Batch, Unit, kept_tables, unit_seed
from sim.experiment.store import part_path
from sim.experiment.unit import measure_unit, with_ids, write_batch
from sim.scenario.load import load_scenario

CASES = [  # scenario, centre id (None: a one-centre run), visits mode
    ("centres/urban_ward_two_sites.yaml", "79-26734", "all"),
    ("centres/rural_merged_commune.yaml", None, "sample"),
    ("demo.yaml", "mot", "none"),
]


def _pandas_written(frames: list[pd.DataFrame]) -> pa.Table:
    """The frames put end to end, written by pandas and read back (what the parts used to
    be), without pandas' metadata (the merge into the published file leaves it out)."""
    written = io.BytesIO(pd.concat(frames, ignore_index=True).to_parquet(index=False))
    return pq.read_table(written).replace_schema_metadata(None)


@pytest.mark.parametrize(("path", "centre", "visits"), CASES)
def test_each_part_is_the_table_pandas_writes_of_the_units_frames(
        tmp_path: Path, path: str, centre: str | None, visits: str) -> None:
    scenario = load_scenario(BUNDLED / path).baseline
    batch = Batch(tuple(Unit(scenario, "baseline", replication,
                             unit_seed(7, replication, centre), centre, 3,
                             kept_tables(visits, replication))
                        for replication in range(3)))
    write_batch(batch, str(tmp_path))
    measured = [measure_unit(unit) for unit in batch.units]
    for table in batch.stored[:-1]:
        written = pq.read_table(part_path(tmp_path, table, batch.name))
        expected = _pandas_written([m.frames[table] for m in measured if table in m.frames])
        assert written.schema == expected.schema, table
        assert written.equals(expected), table
    metrics = pq.read_table(part_path(tmp_path, METRICS, batch.name))
    expected = _pandas_written([pd.DataFrame(m.rows) for m in measured])
    assert metrics.schema == expected.schema
    assert metrics.equals(expected)


def _run(rows: int, offset: float) -> dict[str, object]:
    """One run's columns of every kind, with missing, infinite and empty values."""
    minutes = np.array([offset, np.nan, np.inf, -np.inf, 30.5])[:rows]
    return {
        "count": np.arange(rows, dtype=np.int64),
        "share": np.array([0.5, np.nan, np.inf, -np.inf, 1e-300])[:rows],
        "desk": np.array(["general", "civil status", "địa chính", "", "general"])[:rows],
        "outcome": Coded(np.array([0, -1, 1, -1, 0], dtype=np.int8)[:rows],
                         ("served", "abandoned")),
        "at": Clock(minutes, dt.date(2025, 7, 1)),
        "never": Clock(np.full(rows, np.nan), dt.date(2025, 7, 1)),
    }


@pytest.mark.parametrize("sizes", [(0, 5), (5, 0, 3), (0,), (4, 4)])
def test_an_arrow_table_reads_back_as_the_dataframe_pandas_wrote(sizes: tuple[int, ...]) -> None:
    runs = [_run(rows, 60.0 * number) for number, rows in enumerate(sizes)]
    ids = {"option": "Thêm 1 người", "centre": "79-26734",
           "replication": np.repeat(np.arange(len(sizes)), sizes)}
    expected = _pandas_written([with_ids(tidy_frame(runs), dict(ids))])
    buffer = io.BytesIO()
    pq.write_table(arrow_table(runs, ids), buffer)
    written = pq.read_table(io.BytesIO(buffer.getvalue()))
    assert written.schema == expected.schema
    assert written.equals(expected)
