"""The period the records are fitted on or set against, and its days.

Opening days are the dates with tickets; among the calendar's working weekdays (Monday to
Friday unless the scenario says otherwise) a date without any ticket is taken as a closed day
(a holiday). Dates are local: the exports write local date-times.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

WORKING_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Period:
    """From `first` to `last`, both included."""

    first: dt.date
    last: dt.date

    def holds(self, times: pd.Series) -> np.ndarray:
        """Which date-times fall on a day of the period."""
        days = times.dt.date
        return ((days >= self.first) & (days <= self.last)).to_numpy()

    def describe(self) -> str:
        return f"{self.first.isoformat()} to {self.last.isoformat()}"

    def weeks(self) -> float:
        return ((self.last - self.first).days + 1) / 7


def period_of(times: pd.Series, first: dt.date | None, last: dt.date | None) -> Period:
    """The period asked for, each end defaulting to the first or last date in `times`."""
    dates = times.dropna().dt.date
    return Period(first or dates.min(), last or dates.max())


def working_dates(period: Period, weekdays: tuple[str, ...] = WORKING_WEEKDAYS
                  ) -> list[dt.date]:
    """Every date of the period whose weekday is a working weekday."""
    count = (period.last - period.first).days + 1
    dates = [period.first + dt.timedelta(days=k) for k in range(count)]
    return [date for date in dates if WEEKDAY_NAMES[date.weekday()] in weekdays]


def weekday_mask(weekdays: tuple[str, ...] = WORKING_WEEKDAYS) -> list[bool]:
    """numpy's busday weekmask for these working weekdays."""
    return [name in weekdays for name in WEEKDAY_NAMES]
