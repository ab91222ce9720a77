"""Per-run back-office metrics: deadlines kept, lateness, and the inherited backlog.

A dossier counts for `on_time_share` and `lateness_p90` when its deadline falls within the
simulated horizon: a dossier due later cannot be judged yet.
"""

from __future__ import annotations

import numpy as np

from sim.analysis.timeweighted import step_total
from sim.model.back_office import SOURCES, BackOfficeLog
from sim.model.deadlines import WorkingCalendar, working_calendar
from sim.model.record import RunRecord
from sim.scenario.schema import Scenario

DOSSIER_METRICS: tuple[str, ...] = (
    "dossiers", "on_time_share", "overdue", "lateness_p90", "backlog_peak",
    "backlog_cleared_day", "backlog_on_time_share", "trips_per_dossier",
    "back_office_utilisation",
)
COUNTER, BACKLOG = SOURCES.index("counter"), SOURCES.index("backlog")


def dossier_metrics(record: RunRecord, scenario: Scenario) -> dict[str, float]:
    """Deadline, backlog and back-office metrics of one run."""
    working = working_calendar(scenario.calendar)
    dossiers = record.dossiers
    end = record.horizon_end
    counted = dossiers["received"] >= record.warmup_end
    due, completed = dossiers["due"][counted], dossiers["completed"][counted]
    source = dossiers["source"][counted]
    judged = due <= end
    on_time = completed <= due  # NaN (still open) compares False
    done_by_end = np.where(np.isnan(completed), end, completed)
    lateness = working.lateness(due[judged], done_by_end[judged])
    transferred = source == BACKLOG
    return {
        "dossiers": float(counted.sum()),
        "on_time_share": _mean(on_time[judged]),
        "overdue": float((np.isnan(completed) & (due <= end)).sum()),
        "lateness_p90": float(np.percentile(lateness, 90)) if len(lateness) else np.nan,
        "backlog_peak": _peak_open(record),
        "backlog_cleared_day": _cleared_day(working, completed[transferred]),
        "backlog_on_time_share": _mean(on_time[judged & transferred]),
        "trips_per_dossier": _mean(dossiers["trips"][counted][source == COUNTER]),
        "back_office_utilisation": _utilisation(record),
    }


def _mean(values: np.ndarray) -> float:
    return float(np.mean(values)) if len(values) else np.nan


def _peak_open(record: RunRecord) -> float:
    log = record.back_office_log
    return float(log[log[:, BackOfficeLog.TIME] <= record.horizon_end, BackOfficeLog.OPEN].max())


def _cleared_day(working: WorkingCalendar, completed: np.ndarray) -> float:
    """Working day (1 = the start date's) on which the last transferred dossier was done."""
    if len(completed) == 0 or np.isnan(completed).any():
        return np.nan
    first, last = working.dates(np.array([0.0, completed.max()]))
    return float(np.busday_count(first, last, weekmask=working.weekmask,
                                 holidays=working.holidays) + 1)


def _utilisation(record: RunRecord) -> float:
    """Busy staff-minutes over on-duty staff-minutes of the dedicated back-office staff."""
    log = record.back_office_log
    window = record.warmup_end, record.horizon_end
    times = log[:, BackOfficeLog.TIME]
    on_duty = step_total(times, log[:, BackOfficeLog.ON_DUTY], *window)
    busy = step_total(times, log[:, BackOfficeLog.BUSY], *window)
    return busy / on_duty if on_duty > 0 else np.nan
