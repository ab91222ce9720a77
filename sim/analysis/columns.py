"""A tidy table's columns as numpy arrays, per run, and the DataFrame of one run or of many.

The builders of the tidy tables (`sim.analysis.frames`, `sim.analysis.daily_frames`) hand back
each run's columns; `tidy_frame` makes one DataFrame of the runs' columns put end to end. A
province run's batch of small runs thus pays pandas' cost per DataFrame and per column (the
categoricals' checks, the conversion of text to pandas' `str`, timestamps) once per batch
rather than once per run, and a single run's table is the same function given one run.
`arrow_table` gives a batch's table, with its id columns, as the Arrow table that pandas would
write of that DataFrame, without making the DataFrame: for a small centre, pandas' conversions
cost more than writing the Parquet part.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa


@dataclass(frozen=True)
class Coded:
    """A categorical column before it is one: codes (-1 for none) into its categories."""

    codes: np.ndarray
    categories: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.codes)


@dataclass(frozen=True)
class Clock:
    """A timestamp column before it is one: minutes since 00:00 of the start date."""

    minutes: np.ndarray
    start: dt.date

    def __len__(self) -> int:
        return len(self.minutes)


Column = np.ndarray | Coded | Clock
Columns = dict[str, Column]  # one run's table: column name -> its values, in column order


def tidy_frame(runs: Sequence[Columns]) -> pd.DataFrame:
    """One DataFrame of the runs' tables, their rows in run order (as pd.concat of each run's
    DataFrame would give them, dtypes and all)."""
    return pd.DataFrame({name: _joined([run[name] for run in runs]) for name in runs[0]})


def arrow_table(runs: Sequence[Columns], ids: dict[str, object]) -> pa.Table:
    """The runs' tables end to end as one Arrow table, the id columns first (each a text or
    integer value for every row, or an array of one value a row), with the types
    `pa.Table.from_pandas` gives `tidy_frame(runs)` with the ids inserted: text as
    large_string (pandas' `str`), categoricals as dictionaries, timestamps in their unit."""
    rows = sum(row_count(run) for run in runs)
    arrays = {name: _id_array(value, rows) for name, value in ids.items()}
    arrays.update((name, _arrow(_joined([run[name] for run in runs]))) for name in runs[0])
    return pa.table(arrays)


def _id_array(value: object, rows: int) -> pa.Array:
    if isinstance(value, np.ndarray):
        return _arrow(value)
    kind = pa.large_string() if isinstance(value, str) else pa.int64()
    return pa.repeat(pa.scalar(value, kind), rows)


def _arrow(values: np.ndarray | pd.Categorical | pd.DatetimeIndex) -> pa.Array:
    """One column as Arrow as pandas converts it: text in pandas' `str` type, NaN as null."""
    text = isinstance(values, np.ndarray) and values.dtype.kind in "UO"
    return pa.array(values, pa.large_string() if text else None, from_pandas=True)


def row_count(columns: Columns) -> int:
    """How many rows one run's table has: the length of its first column."""
    return len(next(iter(columns.values())))


def _joined(parts: list[Column]) -> np.ndarray | pd.Categorical | pd.DatetimeIndex:
    """The runs' values of one column end to end, as the column's pandas type."""
    first = parts[0]
    if isinstance(first, Coded):
        _same(part.categories for part in parts)
        return pd.Categorical.from_codes(np.concatenate([part.codes for part in parts]),
                                         list(first.categories))
    if isinstance(first, Clock):
        _same(part.start for part in parts)
        return _timestamps(first.start, np.concatenate([part.minutes for part in parts]))
    return np.concatenate(parts)


def _same(values: Iterable[Hashable]) -> None:
    """Runs joined in one table share its categories and start date (the runs of a batch share
    their scenario): codes or minutes of another would be read wrongly."""
    if len(set(values)) > 1:
        raise ValueError("runs of one table differ in categories or start date")


TIMESTAMP_UNIT = "ns"  # every table's timestamps, whatever their values


def _timestamps(start: dt.date, minutes: np.ndarray) -> pd.DatetimeIndex:
    """Minutes since 00:00 of the start date as date and time of day (NaT for NaN or an
    infinite time: no deadline), for researchers who resample by week or join on dates. In
    nanoseconds always: pandas would pick the unit from the values (whole minutes give
    microseconds), so two tables, or two parts of one table, could differ."""
    finite = np.where(np.isfinite(minutes), minutes, np.nan)
    return (pd.Timestamp(start) + pd.to_timedelta(finite, unit="min")).as_unit(TIMESTAMP_UNIT)
