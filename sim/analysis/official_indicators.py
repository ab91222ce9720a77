"""The indicators a centre is judged by: the one-door system's monthly counts of dossiers
handled on time *by date*, as provinces report them each month and the national service index
(Decision 766/QĐ-TTg, 2022) scores them; beside the model's own ``on_time_share``, which judges
by the minute and over the whole run.

A dossier is on time when it is finished on or before its promised date (the date of its due
time), whatever the hour; early when before that date. For each calendar month of the run (the
last one up to the run's end):

- *received*: dossiers received in the month; *carried over*: received before the month and
  still open at its start; *to handle* = received + carried over;
- each dossier to handle is, at the month's end, exactly one of *finished early*, *finished on
  the date*, *finished late* (finished in the month), *open past due* (still open, its promised
  date reached: it can no longer finish on time) or *open in time*;
- *late* = finished late + open past due; the *on-time rate* (Gia Lai's published rule) is
  1 - late / to handle;
- the *progress score*, out of 20, of the index's processing-progress group (one
  implementation: open in time + finished on time or early + returned, over the dossiers to
  handle, times 20). The model returns no dossier to the citizen after it is accepted, so its
  score is 20 x the on-time rate.

Dossiers without a deadline have no promised date and are left out, as ``on_time_share`` leaves
them out. Times are the dossier table's minutes since 00:00 of the start date.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sim.analysis.confidence import summarise
from sim.model.calendar import MINUTES_PER_DAY

PROGRESS_POINTS = 20  # the processing-progress group of Decision 766 (out of 100)
STATES = ("finished_early", "finished_on_date", "finished_late", "open_past_due",
          "open_in_time")
COUNTS = ("received", "carried_over", "to_handle", *STATES, "late")
INDICATORS = (*COUNTS, "on_time_rate", "progress_score")


def month_starts(start: dt.date, end_day: int) -> list[dt.date]:
    """The first day of each calendar month from the start date to day ``end_day`` (0: the
    start date), the first one the start date itself."""
    months, day = [start], start
    last = start + dt.timedelta(days=end_day)
    while True:
        day = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        if day > last:
            return months
        months.append(day)


def _day(minutes: pd.Series) -> np.ndarray:
    """The day (0: the start date) of each time; NaN stays NaN (open), infinity infinity."""
    return np.floor(minutes.to_numpy(dtype=float) / MINUTES_PER_DAY)


def month_counts(received: np.ndarray, due: np.ndarray, done: np.ndarray,
                 first: int, last: int, runs: np.ndarray, count: int) -> dict[str, np.ndarray]:
    """The counts of one month (days ``first`` to ``last``) of the dossiers, by day, for each
    of ``count`` runs (``runs``: each dossier's run number): all runs in one pass, since a
    province page counts every replication of every centre."""
    before = received < first
    open_at_start = np.isnan(done) | (done >= first)
    carried = before & open_at_start
    new = (received >= first) & (received <= last)
    handled = carried | new
    finished = handled & ~np.isnan(done) & (done <= last)
    still_open = handled & ~finished
    masks = {"received": new, "carried_over": carried, "to_handle": handled,
             "finished_early": finished & (done < due),
             "finished_on_date": finished & (done == due),
             "finished_late": finished & (done > due),
             "open_past_due": still_open & (due <= last),
             "open_in_time": still_open & (due > last)}
    counts = {name: np.bincount(runs[mask], minlength=count) for name, mask in masks.items()}
    counts["late"] = counts["finished_late"] + counts["open_past_due"]
    return counts


def run_indicators(dossiers: pd.DataFrame, start: dt.date, end_minutes: float) -> pd.DataFrame:
    """The months of one run's dossiers (no option or replication column needed): a row per
    month with the counts, the on-time rate and the progress score."""
    table = grouped_indicators(dossiers.assign(run=0), ["run"], start, end_minutes)
    return table.drop(columns="run").reset_index(drop=True)


def monthly_indicators(dossiers: pd.DataFrame, start: dt.date,
                       end_minutes: float) -> pd.DataFrame:
    """The months of every run of a dossier table (columns option, replication, received, due,
    completed), with the counts of :func:`run_indicators`: one row per option, replication
    and month, in the table's order of options."""
    return grouped_indicators(dossiers, ["option", "replication"], start, end_minutes)


def grouped_indicators(dossiers: pd.DataFrame, keys: list[str], start: dt.date,
                       end_minutes: float) -> pd.DataFrame:
    """A row per run (the ``keys`` columns, in the order runs first appear) and month: the
    counts, the on-time rate and the progress score. A run whose dossiers have no deadline
    still has its months, with nothing to handle."""
    grouped = dossiers.groupby(keys, sort=False, observed=True)
    runs = grouped.ngroup().to_numpy()
    count = grouped.ngroups
    judged = np.isfinite(dossiers["due"].to_numpy(dtype=float))
    received, due, done = (_day(dossiers[c])[judged] for c in ("received", "due", "completed"))
    end_day = int(end_minutes // MINUTES_PER_DAY)
    months = month_starts(start, end_day)
    columns: dict[str, list[np.ndarray]] = {name: [] for name in INDICATORS}
    for number, first_date in enumerate(months):
        first = (first_date - start).days
        last = (months[number + 1] - start).days - 1 if number + 1 < len(months) else end_day
        counts = month_counts(received, due, done, first, last, runs[judged], count)
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(counts["to_handle"] > 0,
                            1 - counts["late"] / counts["to_handle"], np.nan)
        for name in COUNTS:
            columns[name].append(counts[name])
        columns["on_time_rate"].append(rate)
        columns["progress_score"].append(PROGRESS_POINTS * rate)
    first_rows = grouped.head(1) if count else dossiers.iloc[:0]
    table = pd.DataFrame({key: np.repeat(first_rows[key].to_numpy(), len(months))
                          for key in keys})
    table["month"] = [d.strftime("%Y-%m") for d in months] * count
    for name, values in columns.items():
        table[name] = np.stack(values, axis=1).reshape(-1) if count else []
    return table[[*keys, "month", *INDICATORS]]


def indicator_summary(monthly: pd.DataFrame) -> pd.DataFrame:
    """Each option's months across replications: mean and 95% interval of every indicator
    (columns option, month, metric, mean, std, ci_low, ci_high, replications)."""
    long = monthly.melt(id_vars=["option", "replication", "month"], value_vars=list(INDICATORS),
                        var_name="metric", value_name="value")
    return summarise(long, by=("option", "month", "metric"))
