"""Bad records, said the way bad scenarios are: one error per file that names the row and the
column of each problem, what it held and what is allowed (`RecordError`, a ScenarioError, so
the command line reports it with exit code 2 and writes nothing).

Checks are made column by column over the whole table (`RowCheck`, a mask of the rows that
fail); `settle` then either raises with the failing rows or, when bad rows may be skipped,
drops them and counts them by reason; `skipped_lines` says those counts file by file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.scenario.errors import Problem, ScenarioError


class RecordError(ScenarioError):
    """Records that cannot be used: the file, then one line per bad row and column."""


class RecordErrors(ScenarioError):
    """Several exports' bad records at once, each file's message in turn: a planner fixes
    every file after one run instead of meeting the next file's rows only on the next."""

    def __init__(self, errors: Sequence[ScenarioError]):
        self.errors = list(errors)
        super().__init__(", ".join(error.source for error in self.errors),
                         [problem for error in self.errors for problem in error.problems])

    def message(self) -> str:
        return "\n".join(error.message() for error in self.errors)


@dataclass(frozen=True)
class RowCheck:
    """One rule over every row: which rows break it, in which column, and what is allowed."""

    reason: str  # short, for the count of skipped rows: "called before created"
    column: str  # the export's own column name
    failing: np.ndarray  # bool per row
    values: pd.Series  # what the rows hold in that column, as the file read it
    allowed: str | Callable[[int], str]  # one text for every row, or made for a row position


@dataclass(frozen=True)
class Settled:
    """What remains of a table after its checks, and what was skipped and why."""

    keep: np.ndarray  # bool per row
    skipped: dict[str, int]  # reason -> rows skipped (each row counted once, first reason)


def settle(checks: Sequence[RowCheck], rows: np.ndarray, source: str,
           skip_bad: bool) -> Settled:
    """Raise a RecordError naming every bad row (`rows`: the file's row numbers), or with
    `skip_bad` keep the good rows and count the others by their first failing rule."""
    first = np.full(len(rows), -1)
    for index, check in reversed(list(enumerate(checks))):
        first[check.failing] = index
    bad = first >= 0
    if bad.any() and not skip_bad:
        raise RecordError(source, [_problem(checks[first[i]], rows, i)
                                   for i in np.flatnonzero(bad)])
    counts = Counter(checks[index].reason for index in first[bad])
    return Settled(~bad, dict(sorted(counts.items(), key=lambda item: -item[1])))


def _problem(check: RowCheck, rows: np.ndarray, index: int) -> Problem:
    value = cell_text(check.values.iloc[index])
    allowed = check.allowed if isinstance(check.allowed, str) else check.allowed(index)
    return Problem(f"row {rows[index]}, column {check.column}", value or "nothing", allowed)


def cell_text(value: object) -> str:
    """A cell as a message shows it: a date-time cell as date and time, text as written."""
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ")
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def file_problem(source: str, where: str, value: object, allowed: str) -> RecordError:
    """An error about the file as a whole (a missing column, an unreadable file)."""
    return RecordError(source, [Problem(where, value, allowed)])


def skipped_lines(files: Sequence[tuple[str, dict[str, int]]], heading: str) -> list[str]:
    """The rows left out: `heading` with the total, then each file with its own count by
    reason. The same reason can occur in several files, so their counts are never merged."""
    shown = [(name, counts) for name, counts in files if counts]
    if not shown:
        return []
    total = sum(sum(counts.values()) for _, counts in shown)
    return [f"{heading}: {total:,}"] + [
        f"  {name}: {sum(counts.values()):,} ("
        + ", ".join(f"{count:,} {reason}" for reason, count in counts.items()) + ")"
        for name, counts in shown]
