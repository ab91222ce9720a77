"""The back office from the dossier export: per procedure the legal deadline, the share filed
without a visit, processing times, the backlog open at the cut-over, and (given the staff)
the staff-hours per dossier that the throughput allows.

- **Deadline** in working days: from the day the count starts (the day of receipt, or the next
  working day when received at or after the cut-off, or on a day off) to the promised day
  (`NgayHenTra`), as the model counts it; the most common value of the procedure's dossiers,
  with the share that agree.
- **Online share**, per calendar month: dossiers filed without a visit (online or by post)
  over those and the in-person citizens. The model adds online dossiers at in-person x s /
  (1 - s), in-person counting each citizen once, served or not; so the citizens are the
  procedure's first trips in the ticket log when one is given (a citizen who gave up leaves a
  ticket but no dossier), else the in-person dossiers, and the report says which.
- **Backlog** at the cut-over: dossiers received before it and not finished by then, with
  their working days left to the promised day (negative: already overdue), as the model's
  `days_left`.
- **Processing**: working days from receipt to finish, and the share finished by the
  promised time, over the dossiers received in the period.
- **Staff-hours per dossier**: staff x hours per day x working days over the dossiers
  finished in the period. It is an upper bound (staff who were sometimes idle, or did other
  work, did less per dossier); the records cannot split it by procedure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.calibrate.fields import DOSSIER, IN_PERSON
from sim.calibrate.intervals import LEVEL, Estimate, proportion
from sim.calibrate.period import Period
from sim.calibrate.working_days import WorkingDays


@dataclass(frozen=True)
class OnlinePeriod:
    """The share filed without a visit from a date on."""

    start: dt.date
    share: Estimate
    online: int
    citizens: int


@dataclass(frozen=True)
class ProcedureDossiers:
    """What the export says about one procedure's dossiers."""

    procedure: str
    received: int  # in the period
    deadline: int | None  # working days, the most common
    deadline_agree: float  # share of dossiers with that deadline
    online: list[OnlinePeriod]
    citizens_from_tickets: bool
    processing_median: float  # working days
    processing_p90: float
    on_time: Estimate  # finished by the promised time, of those due in the period
    backlog_days_left: list[int]  # one per dossier open at the cut-over


@dataclass(frozen=True)
class DossierFit:
    """Per procedure, and the back office's throughput."""

    procedures: list[ProcedureDossiers]
    cutover: dt.date
    finished: int  # dossiers finished in the period (every source)
    working_days: int
    hours_per_dossier: float | None  # upper bound, given staff; None without


FirstTrips = dict[str, dict[str, int]]  # procedure -> month ("2025-07") -> first trips


def fit_dossiers(frame: pd.DataFrame, period: Period, calendar: WorkingDays, cutover: dt.date,
                 cutoff_minutes: float, first_trips: FirstTrips | None,
                 staff_hours_per_day: float | None, level: float = LEVEL) -> DossierFit:
    """Fit every procedure of the export; `first_trips` per procedure and month from the
    tickets of the same period (None without tickets); `staff_hours_per_day` is staff x
    hours per day."""
    inside = frame[period.holds(frame[DOSSIER.received])]
    days = int(calendar.count(np.datetime64(period.first, "D"),
                              np.datetime64(period.last, "D") + 1))
    finished = int(period.holds(frame[DOSSIER.finished].dropna()).sum())
    procedures = [
        _procedure(name, inside[inside["procedure"] == name], frame[frame["procedure"] == name],
                   period, calendar, cutover, cutoff_minutes, first_trips, level)
        for name in dict.fromkeys(frame["procedure"])]
    hours = (staff_hours_per_day * days / finished
             if staff_hours_per_day is not None and finished else None)
    return DossierFit(procedures, cutover, finished, days, hours)


def _procedure(name: str, inside: pd.DataFrame, every: pd.DataFrame, period: Period,
               calendar: WorkingDays, cutover: dt.date, cutoff_minutes: float,
               first_trips: FirstTrips | None, level: float) -> ProcedureDossiers:
    deadlines = deadline_days(inside, calendar, cutoff_minutes)
    deadline, agree = _most_common(deadlines)
    processing = processing_days(inside, calendar)
    return ProcedureDossiers(
        procedure=name, received=len(inside), deadline=deadline, deadline_agree=agree,
        online=online_periods(inside, period, first_trips, name, level),
        citizens_from_tickets=first_trips is not None,
        processing_median=float(np.nanmedian(processing)) if len(processing) else np.nan,
        processing_p90=float(np.nanpercentile(processing, 90)) if len(processing) else np.nan,
        on_time=_on_time(inside, period, level),
        backlog_days_left=backlog_days_left(every, calendar, cutover))


def _days(times: pd.Series) -> np.ndarray:
    return times.dt.normalize().to_numpy().astype("datetime64[D]")


def deadline_days(frame: pd.DataFrame, calendar: WorkingDays,
                  cutoff_minutes: float) -> np.ndarray:
    """Working days from the start of the count to the promised day, per dossier with one."""
    frame = frame[frame[DOSSIER.due].notna()]
    received = frame[DOSSIER.received]
    day = _days(received)
    clock = (received - received.dt.normalize()).dt.total_seconds().to_numpy() / 60
    late = (clock >= cutoff_minutes) | ~calendar.is_working(day)
    start = calendar.on_or_after(np.where(late, day + 1, day))
    return calendar.count(start, _days(frame[DOSSIER.due]))


def _most_common(values: np.ndarray) -> tuple[int | None, float]:
    if not len(values):
        return None, np.nan
    numbers, counts = np.unique(values, return_counts=True)
    best = int(np.argmax(counts))
    return max(0, int(numbers[best])), float(counts[best] / counts.sum())


def online_periods(frame: pd.DataFrame, period: Period, first_trips: FirstTrips | None,
                   name: str, level: float) -> list[OnlinePeriod]:
    """The share filed without a visit, per calendar month of the period."""
    month = frame[DOSSIER.received].dt.to_period("M")
    periods = []
    for label, group in frame.groupby(month):
        online = int((group["channel"] != IN_PERSON).sum())
        citizens = (first_trips.get(name, {}).get(str(label), 0) if first_trips is not None
                    else int((group["channel"] == IN_PERSON).sum()))
        start = max(label.start_time.date(), period.first)
        periods.append(OnlinePeriod(start, proportion(online, online + citizens, level),
                                    online, citizens))
    return periods


def processing_days(frame: pd.DataFrame, calendar: WorkingDays) -> np.ndarray:
    """Working days from receipt to finish of the finished dossiers."""
    done = frame[frame[DOSSIER.finished].notna()]
    return calendar.count(_days(done[DOSSIER.received]), _days(done[DOSSIER.finished]))


def _on_time(frame: pd.DataFrame, period: Period, level: float) -> Estimate:
    """Share finished by the promised time, of the dossiers promised within the period."""
    due = frame[frame[DOSSIER.due].notna()]
    due = due[period.holds(due[DOSSIER.due])]
    on_time = due[DOSSIER.finished].notna() & (due[DOSSIER.finished] <= due[DOSSIER.due])
    return proportion(int(on_time.sum()), len(due), level)


def backlog_days_left(frame: pd.DataFrame, calendar: WorkingDays,
                      cutover: dt.date) -> list[int]:
    """Working days left at the cut-over of each dossier received before it and still open
    then (with a promised day)."""
    start = pd.Timestamp(cutover)
    open_then = (frame[DOSSIER.received] < start) & ~(frame[DOSSIER.finished] < start)
    open_then &= frame[DOSSIER.due].notna()
    due = _days(frame.loc[open_then, DOSSIER.due])
    first = calendar.on_or_after(np.array([np.datetime64(cutover, "D")]))[0]
    left = np.where(due >= first, calendar.count(np.full(len(due), first), due),
                    -calendar.count(due, np.full(len(due), first)))
    return sorted(int(value) for value in left)
