"""A streamed batch's Parquet parts hold exactly what pandas would write of the in-memory
run's DataFrames: the same Arrow types and the same values, nulls where pandas puts them."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_scenarios import BUNDLED

from sim.experiment.plan import METRICS, Batch, Unit, kept_tables, unit_seed
from sim.experiment.store import part_path
from sim.experiment.unit import measure_unit, write_batch
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
