"""Working days for counting deadlines and days left: Monday to Friday, less Vietnam's public
holidays (the `holidays` package) and the weekdays the centre was seen closed.

Deadlines reach beyond the records (a dossier received before the cut-over, one due after
the export), so the public holidays of every year involved count, not only the closed days
seen in the ticket log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import holidays
import numpy as np

from sim.calibrate.period import weekday_mask


@dataclass(frozen=True)
class WorkingDays:
    """A busday calendar for numpy."""

    weekmask: tuple[bool, ...]
    holidays: np.ndarray  # datetime64[D]

    def count(self, first: np.ndarray, last: np.ndarray) -> np.ndarray:
        """Working days from `first` (included) to `last` (excluded); negative when `last`
        is earlier."""
        return np.busday_count(first, last, weekmask=list(self.weekmask),
                               holidays=self.holidays)

    def on_or_after(self, dates: np.ndarray) -> np.ndarray:
        """Each date if it is a working day, else the next working day."""
        return np.busday_offset(dates, 0, roll="forward", weekmask=list(self.weekmask),
                                holidays=self.holidays)

    def is_working(self, dates: np.ndarray) -> np.ndarray:
        return np.is_busday(dates, weekmask=list(self.weekmask), holidays=self.holidays)


def public_holidays(years: Iterable[int]) -> list[dt.date]:
    """Vietnam's public holidays (and their substitute days off) in these years."""
    return sorted(holidays.country_holidays("VN", years=sorted(set(years))))


def working_days(closed: Iterable[dt.date], years: Iterable[int]) -> WorkingDays:
    """Monday to Friday, less the public holidays of `years` and the `closed` dates."""
    days = sorted(set(public_holidays(years)) | set(closed))
    return WorkingDays(tuple(weekday_mask()), np.array(days, dtype="datetime64[D]"))
