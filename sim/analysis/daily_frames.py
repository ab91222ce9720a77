"""Tidy per-run tables of the back office: one row per dossier, and one row per opening day,
each as its columns (`sim.analysis.columns.tidy_frame` makes them a DataFrame).

Times are simulated minutes since 00:00 of the start date, as in the visits table.
"""

from __future__ import annotations

import numpy as np

from sim.analysis.columns import TIMESTAMP_UNIT, Clock, Coded, Columns
from sim.analysis.timeweighted import span_integrals, summed_steps
from sim.model.back_office import SOURCES, BackOfficeLog
from sim.model.calendar import MINUTES_PER_DAY
from sim.model.deadlines import WorkingCalendar, working_calendar
from sim.model.desk import DeskLog
from sim.model.record import (
    ABANDONED,
    BLOCKED,
    INCOMPLETE,
    NOT_READY,
    PURPOSES,
    SENT_HOME,
    SERVED,
    RunRecord,
)
from sim.scenario.schema import Scenario

BACKLOG = SOURCES.index("backlog")


def dossiers_columns(record: RunRecord, scenario: Scenario) -> Columns:
    """One row per dossier: where it came from, when it was received, due and completed, and
    how many working days late it was (or is, at the end, when still open)."""
    dossiers, start = record.dossiers, scenario.calendar.start
    return {
        "procedure": Coded(dossiers["procedure"], tuple(p.id for p in scenario.procedures)),
        "source": Coded(dossiers["source"], tuple(SOURCES)),
        "citizen": dossiers["citizen"],
        "received": dossiers["received"],
        "due": dossiers["due"],
        "completed": dossiers["completed"],
        "received_time": Clock(dossiers["received"], start),
        "due_time": Clock(dossiers["due"], start),
        "completed_time": Clock(dossiers["completed"], start),
        "work_hours": dossiers["work"],
        "trips": dossiers["trips"],
        "late_days": _late_days(dossiers, working_calendar(scenario.calendar), record.horizon_end),
    }


def _late_days(dossiers: dict[str, np.ndarray], working: WorkingCalendar,
               horizon_end: float) -> np.ndarray:
    """Working days each dossier with a deadline was late, judged at completion or at the end
    of the run when still open; NaN without a deadline."""
    completed, due = dossiers["completed"], dossiers["due"]
    judged_at = np.where(np.isnan(completed), horizon_end, completed)
    finite = np.isfinite(due)
    late_days = np.full(len(due), np.nan)
    late_days[finite] = working.lateness(due[finite], judged_at[finite])
    return late_days


def daily_columns(record: RunRecord, scenario: Scenario) -> Columns:
    """One row per opening day: visits and what became of them, the back office's open and
    overdue dossiers at the end of the day, and staff on counters and in the back office."""
    days = record.timeline.days
    midnights = np.array([day.midnight for day in days])
    return {
        "day": np.arange(1, len(days) + 1),
        "date": np.array([day.date for day in days], dtype=f"datetime64[{TIMESTAMP_UNIT}]"),
        **_visit_counts(record.visits, midnights),
        **_dossier_counts(record.dossiers, midnights),
        **_staff_means(record, days),
    }


def _visit_counts(visits: dict[str, np.ndarray], midnights: np.ndarray) -> dict[str, np.ndarray]:
    """Arrivals per day, how many of them ended each way, and how many came for each purpose
    (`submit_visits`, `pickup_visits`, `inquiry_visits`)."""
    day_of_visit = np.searchsorted(midnights, visits["arrival"], side="right") - 1
    outcomes = (("served", SERVED), ("abandoned", ABANDONED), ("sent_home", SENT_HOME),
                ("incomplete", INCOMPLETE), ("blocked", BLOCKED), ("not_ready", NOT_READY))

    def per_day(chosen: np.ndarray) -> np.ndarray:
        return np.bincount(day_of_visit[chosen], minlength=len(midnights))

    return {"arrivals": np.bincount(day_of_visit, minlength=len(midnights)),
            **{name: per_day(visits["outcome"] == code) for name, code in outcomes},
            **{f"{name}_visits": per_day(visits["purpose"] == code)
               for code, name in PURPOSES.items()}}


def _dossier_counts(dossiers: dict[str, np.ndarray],
                    midnights: np.ndarray) -> dict[str, np.ndarray]:
    """Dossiers open (all, transferred) and overdue at each day's end, and completed in it."""
    ends = midnights + MINUTES_PER_DAY
    open_at = _open_at(dossiers["received"], dossiers["completed"], ends)
    transferred = dossiers["source"] == BACKLOG
    return {
        "open_dossiers": open_at.sum(axis=1),
        "open_transferred": open_at[:, transferred].sum(axis=1),
        "overdue": (open_at & (dossiers["due"][None, :] < ends[:, None])).sum(axis=1),
        "completed": _count_between(dossiers["completed"], midnights, ends),
    }


def _staff_means(record: RunRecord, days: tuple) -> dict[str, np.ndarray]:
    """Staff at counters and in the back office, and counters helping it, over the sessions."""
    desks = list(record.desk_logs.values())
    return {
        "staff_counters": _mean_over_sessions(record, days, desks, column=DeskLog.OPEN),
        "staff_back_office": _mean_over_sessions(record, days, [record.back_office_log],
                                                 column=BackOfficeLog.ON_DUTY),
        "counters_helping": _mean_over_sessions(record, days, desks, column=DeskLog.HELPING),
    }


def _open_at(received: np.ndarray, completed: np.ndarray, times: np.ndarray) -> np.ndarray:
    """(times x dossiers) flags: received by then and not yet completed."""
    done = np.where(np.isnan(completed), np.inf, completed)
    return (received[None, :] <= times[:, None]) & (done[None, :] > times[:, None])


def _count_between(times: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    ordered = np.sort(times[~np.isnan(times)])
    return np.searchsorted(ordered, ends, side="left") - np.searchsorted(ordered, starts,
                                                                          side="left")


def _mean_over_sessions(record: RunRecord, days: tuple, logs: list[np.ndarray],
                        column: int) -> np.ndarray:
    """Time-averaged sum of one log column over each day's sessions (desk or back-office
    logs: their time is the same first column, DeskLog.TIME == BackOfficeLog.TIME).

    One span_integrals over every session of the run: a call per day would scan the whole log
    once per day, quadratic in the length of the run.
    """
    times, total = summed_steps([(log[:, DeskLog.TIME], log[:, column]) for log in logs])
    sessions = [session for day in days for session in day.sessions]
    day_of_session = np.array([number for number, day in enumerate(days)
                               for _ in day.sessions], dtype=np.int64)
    within = span_integrals(times, total, np.array(sessions, dtype=float).reshape(-1, 2))
    length = np.array([end - start for start, end in sessions], dtype=float)
    integral = np.bincount(day_of_session, weights=within, minlength=len(days))
    return integral / np.bincount(day_of_session, weights=length, minlength=len(days))
