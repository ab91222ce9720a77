"""Legal deadlines in working days, on the scenario's calendar.

Deadlines count working days (the calendar's weekdays, holidays skipped), and a dossier received
after the same-day cut-off (15:00) counts from the next working day. NumPy's business-day
functions do the counting; we only convert between simulated minutes and dates. One dossier
at a time (during a run) is counted on a list of the working days near the run instead, with
the same answers: a NumPy call on one date costs more than the rest of the dossier's handling.
"""

from __future__ import annotations

import bisect

import numpy as np

from sim.model.calendar import MINUTES_PER_DAY
from sim.model.memo import remember_last
from sim.scenario.schema import WEEKDAYS, Calendar, clock_minutes, session_minutes

_DAYS_AFTER = 400  # days after the run whose working days are listed


class WorkingCalendar:
    """Working-day arithmetic for one scenario; times are simulated minutes."""

    def __init__(self, calendar: Calendar):
        self.start = np.datetime64(calendar.start, "D")
        self.weekmask = [day in calendar.weekdays for day in WEEKDAYS]
        self.holidays = np.array(calendar.holidays, dtype="datetime64[D]")
        # Deadlines fall at the close of an ordinary working day, also beyond the horizon.
        self.closes = session_minutes(calendar.sessions[-1]).closes
        # A cut-off after that close would leave a dossier received in between (serve_all
        # overtime) due at a close already past: the day's count ends at the close too.
        self.cutoff = min(clock_minutes(calendar.cutoff), self.closes)
        # Working days as day numbers from the start, over the run and a year and more after
        # it: deadlines and outside bodies' delays that end later are counted by NumPy.
        span = calendar.working_days * 2 + _DAYS_AFTER
        days = np.arange(span)
        self.working_numbers: list[int] = days[np.is_busday(
            self.start + days.astype("timedelta64[D]"), weekmask=self.weekmask,
            holidays=self.holidays)].tolist()

    def _offset(self, dates: np.ndarray, days: np.ndarray | int) -> np.ndarray:
        return np.busday_offset(dates, days, roll="forward", weekmask=self.weekmask,
                                holidays=self.holidays)

    def dates(self, minutes: np.ndarray) -> np.ndarray:
        """Calendar date of each simulated time."""
        days = np.floor_divide(np.asarray(minutes, dtype=float), MINUTES_PER_DAY)
        return self.start + days.astype("timedelta64[D]")

    def closing_time(self, dates: np.ndarray) -> np.ndarray:
        """Simulated minutes of the close of business on each date."""
        days = (dates - self.start).astype(float)
        return days * MINUTES_PER_DAY + self.closes

    def due(self, received: np.ndarray, working_days: np.ndarray) -> np.ndarray:
        """When dossiers received at ``received`` are due, ``working_days`` after receipt.

        The count starts on the day of receipt if that is a working day and the dossier came
        before the cut-off, otherwise on the next working day; the dossier is due at the close
        of the last counted day.
        """
        received = np.asarray(received, dtype=float)
        dates = self.dates(received)
        clock = received - np.floor_divide(received, MINUTES_PER_DAY) * MINUTES_PER_DAY
        late = np.is_busday(dates, weekmask=self.weekmask, holidays=self.holidays) & (
            clock >= self.cutoff)
        first = self._offset(dates, late.astype(int))
        return self.closing_time(self._offset(first, np.asarray(working_days, dtype=int)))

    def due_from_start(self, days_left: np.ndarray) -> np.ndarray:
        """Due times of dossiers with ``days_left`` working days to go on the start date."""
        first = self._offset(np.array([self.start]), 0)
        return self.closing_time(self._offset(np.repeat(first, len(days_left)),
                                              np.round(days_left).astype(int)))

    def after_working_days(self, time: float, days: int) -> float:
        """Close of business ``days`` working days after the date of ``time`` (0: that day,
        or the next working day if it is not one)."""
        day = time // MINUTES_PER_DAY
        listed = self._close(bisect.bisect_left(self.working_numbers, day) + days)
        if listed is not None:
            return listed
        date = self.dates(np.array([time]))
        return float(self.closing_time(self._offset(date, days))[0])

    def due_one(self, received: float, working_days: int) -> float:
        """`due` of one dossier."""
        day = received // MINUTES_PER_DAY
        numbers = self.working_numbers
        first = bisect.bisect_left(numbers, day)
        if (first < len(numbers) and numbers[first] == day
                and received - day * MINUTES_PER_DAY >= self.cutoff):
            first += 1  # after the cut-off of a working day: the count starts the next one
        listed = self._close(first + working_days)
        if listed is not None:
            return listed
        return float(self.due(np.array([received]), np.array([working_days]))[0])

    def _close(self, index: int) -> float | None:
        """The close of the index-th listed working day; None beyond the list."""
        if 0 <= index < len(self.working_numbers):
            return float(self.working_numbers[index] * MINUTES_PER_DAY + self.closes)
        return None

    def lateness(self, due: np.ndarray, completed: np.ndarray) -> np.ndarray:
        """Working days from the due date to the completion date (0 when on time)."""
        late = completed > due
        count = np.busday_count(self.dates(due), self.dates(np.where(late, completed, due)),
                                weekmask=self.weekmask, holidays=self.holidays)
        return np.where(late, np.maximum(count, 1), 0)


@remember_last
def working_calendar(calendar: Calendar) -> WorkingCalendar:
    """The calendar's working-day arithmetic, built once for the same calendar object (a run
    and its measures ask for it again and again)."""
    return WorkingCalendar(calendar)
