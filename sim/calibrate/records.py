"""Read an export as the system wrote it: a CSV or an Excel workbook, its columns renamed to
our fields by the mapping, every cell kept as written (text, or an Excel date-time), and each
row's number as a spreadsheet shows it (the header is row 1), so that errors can point at it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibrate.problems import file_problem

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
HEADER_ROWS = 1
IDENTIFIER = r"[a-z][a-z0-9_]*"  # a code that can stand as a scenario id


@dataclass(frozen=True)
class Export:
    """One export's rows: our field names as columns (values as written), the file's own
    column name of each field (for messages), and each row's number in the file."""

    source: str
    table: pd.DataFrame
    columns: dict[str, str]  # our field -> the export's column
    rows: np.ndarray


def read_export(path: Path, renames: Mapping[str, str], required: Sequence[str],
                optional: Sequence[str]) -> Export:
    """Read `path` with `renames` (our field -> its column); a required field whose column
    is missing is an error that lists the columns the file has."""
    raw = _read_raw(path)
    columns = {field: renames.get(field, field) for field in (*required, *optional)}
    missing = [field for field in required if columns[field] not in raw.columns]
    if missing:
        field = missing[0]
        raise file_problem(str(path), f"column {columns[field]}", "nothing",
                           f"a column {columns[field]!r} for {field} (name another with the "
                           f"mapping file's columns); the file has: {', '.join(raw.columns)}")
    present = {field: column for field, column in columns.items() if column in raw.columns}
    table = pd.DataFrame({field: raw[column] for field, column in present.items()})
    rows = np.arange(len(raw)) + HEADER_ROWS + 1
    return Export(str(path), table, present, rows)


def _read_raw(path: Path) -> pd.DataFrame:
    """Every cell as written: text stays text (no guessing of numbers or dates)."""
    try:
        if path.suffix.lower() in EXCEL_SUFFIXES:
            raw = pd.read_excel(path, dtype=object, keep_default_na=False)
        else:
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise file_problem(str(path), "", str(path), "an existing file") from None
    except UnicodeDecodeError:
        raise file_problem(str(path), "", "text that is not UTF-8",
                           "a CSV file in UTF-8 (save it again as 'CSV UTF-8')") from None
    except (OSError, ValueError, pd.errors.ParserError) as err:
        raise file_problem(str(path), "", type(err).__name__,
                           "a readable CSV or Excel (.xlsx) file") from None
    raw.columns = [str(column).strip() for column in raw.columns]
    return raw

