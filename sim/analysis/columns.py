"""A tidy table's columns as numpy arrays, per run, and the DataFrame of one run or of many.

The builders of the tidy tables (`sim.analysis.frames`, `sim.analysis.daily_frames`) hand back
each run's columns; `tidy_frame` makes one DataFrame of the runs' columns put end to end. A
province run's batch of small runs thus pays pandas' cost per DataFrame and per column (the
categoricals' checks, the conversion of text to pandas' `str`, timestamps) once per batch
rather than once per run, and a single run's table is the same function given one run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


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


def _timestamps(start: dt.date, minutes: np.ndarray) -> pd.DatetimeIndex:
    """Minutes since 00:00 of the start date as date and time of day (NaT for NaN or an
    infinite time: no deadline), for researchers who resample by week or join on dates."""
    finite = np.where(np.isfinite(minutes), minutes, np.nan)
    return pd.Timestamp(start) + pd.to_timedelta(finite, unit="min")
