"""Date-times as exports write them: ISO text, day-first text (01/07/2025 07:42:13), the
portal's digits (20250701074213), or Excel date-time cells, into one datetime64 column.

An empty cell is no time (NaT); a cell that holds something that is not a date-time is marked
bad, so that the caller can name its row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.calibrate.mapping import DossierMapping, TicketMapping
from sim.calibrate.problems import RowCheck
from sim.calibrate.records import Export

DIGITS_FORMAT = "%Y%m%d%H%M%S"
DAY_FIRST_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S",
                     "%d-%m-%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y")


@dataclass(frozen=True)
class Parsed:
    """A parsed column and which of its cells could not be read."""

    times: pd.Series  # datetime64[ns]; NaT where empty or bad
    bad: np.ndarray  # bool: a cell with something that is not a date-time
    empty: np.ndarray  # bool: nothing written


def parse_times(values: pd.Series, date_format: str | None, dayfirst: bool) -> Parsed:
    """Parse one column; with a format every text cell must follow it."""
    text = values.map(_as_text)
    cells = values.map(lambda v: isinstance(v, pd.Timestamp | np.datetime64)).to_numpy()
    empty = (text == "").to_numpy() & ~cells
    times = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if cells.any():
        times[cells] = pd.to_datetime(values[cells])
    todo = ~cells & ~empty
    times[todo] = _parse_text(text[todo], date_format, dayfirst)
    return Parsed(times, todo & times.isna().to_numpy(), empty)


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return "" if isinstance(value, pd.Timestamp | np.datetime64) else str(value).strip()


def _parse_text(text: pd.Series, date_format: str | None, dayfirst: bool) -> pd.Series:
    if text.empty:
        return pd.Series([], dtype="datetime64[ns]")
    if date_format:
        return pd.to_datetime(text, format=date_format, errors="coerce")
    formats = (DIGITS_FORMAT, *(DAY_FIRST_FORMATS if dayfirst else ()), "ISO8601")
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for form in formats:
        todo = parsed.isna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(text[todo], format=form, errors="coerce")
    return parsed


def describe_format(date_format: str | None, dayfirst: bool) -> str:
    """What a date-time cell must look like, for messages."""
    if date_format:
        example = pd.Timestamp("2025-07-01 07:42:13").strftime(date_format)
        return f"a date and time written {date_format} (like {example})"
    if dayfirst:
        return "a date and time, day first (like 01/07/2025 07:42:13)"
    return "a date and time (like 2025-07-01 07:42:13 or 20250701074213)"


def time_checks(export: Export, times: dict[str, Parsed], mapping: DossierMapping | TicketMapping,
                first: str, missing: str, what: str) -> list[RowCheck]:
    """The checks every record's times share: the first time (`first`: `what` it is) given,
    or the row is `missing` it, and every time readable in the export's date format."""
    columns, table = export.columns, export.table
    checks = [RowCheck(missing, columns[first], times[first].empty, table[first], what)]
    allowed = describe_format(mapping.date_format, mapping.dayfirst)
    checks += [RowCheck("unparseable time", columns[field], parsed.bad, table[field], allowed)
               for field, parsed in times.items()]
    return checks
