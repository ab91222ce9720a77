"""Per-run metrics: what one replication says about waiting, leaving and staffing.

Waits count from joining the queue to the start of service, or to giving up or being sent home,
over all visits that arrive after the warm-up; a visit is one trip of one citizen.
"""

from __future__ import annotations

import numpy as np

from sim.analysis.cost import overtime_staff_hours, planned_staff_hours
from sim.analysis.dossier_metrics import DOSSIER_METRICS, dossier_metrics
from sim.analysis.targets import target_minutes
from sim.analysis.ticket_metrics import ticket_metric_names, ticket_metrics
from sim.analysis.timeweighted import step_max, step_total, summed_steps
from sim.analysis.trip_metrics import trip_metric_names, trip_metrics
from sim.analysis.waits import VisitWaits, share, wait_statistics
from sim.model.desk import DeskLog
from sim.model.record import ABANDONED, BLOCKED, INCOMPLETE, SENT_HOME, SERVED, SUBMIT, RunRecord
from sim.scenario.schema import Scenario

BASE_METRICS: tuple[str, ...] = (
    "arrived", "served", "wait_mean", "wait_served_mean", "wait_p50", "wait_p90", "wait_p95",
    "wait_max", "waited_share", "within_target_share", "abandoned_share", "sent_home_share",
    "incomplete_share", "blocked_share", "trips_per_citizen", "utilisation",
)
TAIL_METRICS: tuple[str, ...] = ("queue_max", "overtime_minutes", "staff_hours",
                                  "overtime_staff_hours")


def metric_names(scenario: Scenario, desk_names: list[str] | tuple[str, ...]) -> list[str]:
    """All metric names of a run, in the order the summary lists them.

    Back-office, guidance, ticket-class and booking metrics appear only for scenarios that
    have those sections.
    """
    names = [*BASE_METRICS, *(f"utilisation:{d}" for d in desk_names), *TAIL_METRICS]
    if scenario.guidance is not None:
        names.append("guidance_wait_mean")
    if any(p.back_office is not None for p in scenario.procedures):
        names += list(DOSSIER_METRICS)
    return names + ticket_metric_names(scenario) + trip_metric_names(scenario)


def counted_visits(record: RunRecord) -> np.ndarray:
    """Which visits the metrics count: those that arrive after the warm-up."""
    return record.visits["arrival"] >= record.warmup_end


def total_waiting(record: RunRecord) -> float:
    """Minutes waited by the counted visits, as ``arrived * wait_mean`` of `run_metrics`
    (NaN without visits): the allocation's objective, without the other metrics."""
    wait = record.visits["wait"][counted_visits(record)]
    return float(len(wait)) * float(wait.mean()) if len(wait) else np.nan


def run_metrics(record: RunRecord, scenario: Scenario) -> dict[str, float]:
    """Every metric of one run, keyed by the names of `metric_names`."""
    visits = record.visits
    counted = counted_visits(record)
    outcome = visits["outcome"][counted]
    waits = VisitWaits(wait=visits["wait"][counted],
                       reached=~np.isnan(visits["start"][counted]),
                       abandoned=outcome == ABANDONED)
    metrics = {
        "arrived": float(len(waits)),
        "served": float((outcome == SERVED).sum()),
        **wait_statistics(waits, target_minutes(scenario)),
        "sent_home_share": share(outcome == SENT_HOME),
        "incomplete_share": share(outcome == INCOMPLETE),
        "blocked_share": share(outcome == BLOCKED),
        "trips_per_citizen": _trips_per_citizen(visits, record.warmup_end),
        **_utilisation(record),
        "queue_max": _queue_max(record),
        "overtime_minutes": _overtime(record),
        "staff_hours": planned_staff_hours(scenario),
        "overtime_staff_hours": overtime_staff_hours(record),
        "guidance_wait_mean": _guidance_wait_mean(visits["guidance_wait"][counted]),
        **dossier_metrics(record, scenario),
        **ticket_metrics(record, scenario, waits, counted),
        **trip_metrics(record),
    }
    return {name: metrics[name] for name in metric_names(scenario, record.desk_names)}


def _guidance_wait_mean(waits: np.ndarray) -> float:
    """Mean wait for a guide of the visits that queued for one (NaN entries did not)."""
    return float(np.nanmean(waits)) if np.isfinite(waits).any() else np.nan


def _trips_per_citizen(visits: dict[str, np.ndarray], warmup_end: float) -> float:
    """Mean trips made to submit by citizens whose first trip came after the warm-up (trips to
    collect a result count in trips_per_dossier_total)."""
    submit = visits["purpose"] == SUBMIT
    first = (visits["trip"] == 1) & (visits["arrival"] >= warmup_end) & submit
    if not first.any():
        return np.nan
    trips = np.bincount(visits["citizen"][submit], minlength=int(visits["citizen"].max()) + 1)
    return float(trips[visits["citizen"][first]].mean())


def run_end(record: RunRecord) -> float:
    """When the last thing happened: the last closing, or the last visit leaving after it."""
    ends = record.visits["end"]
    last_visit = float(np.nanmax(ends)) if len(ends) else 0.0
    return max(record.timeline.closings[-1], last_visit)


def _utilisation(record: RunRecord) -> dict[str, float]:
    """Busy counter-minutes over available counter-minutes, after the warm-up.

    Available counters are the open ones, or more while a closed counter finishes its citizen.
    """
    start, end = record.warmup_end, run_end(record)
    busy_total = available_total = 0.0
    shares: dict[str, float] = {}
    for name, log in record.desk_logs.items():
        times, busy, opened = log[:, DeskLog.TIME], log[:, DeskLog.BUSY], log[:, DeskLog.OPEN]
        busy_minutes = step_total(times, busy, start, end)
        available = step_total(times, np.maximum(busy, opened), start, end)
        shares[f"utilisation:{name}"] = busy_minutes / available if available > 0 else np.nan
        busy_total += busy_minutes
        available_total += available
    overall = busy_total / available_total if available_total > 0 else np.nan
    return {"utilisation": overall, **shares}


def _queue_max(record: RunRecord) -> float:
    """Most citizens waiting at once in the whole centre, after the warm-up."""
    logs = [*record.desk_logs.values(), *record.guidance_logs.values()]
    times, total = summed_steps([(log[:, DeskLog.TIME], log[:, DeskLog.WAITING]) for log in logs])
    return step_max(times, total, record.warmup_end)


def _overtime(record: RunRecord) -> float:
    """Mean minutes per closing that the last citizen's service ran past closing time."""
    visits = record.visits
    ends = np.sort(visits["end"][~np.isnan(visits["start"])])  # every counter service
    closings = np.array([c for c in record.timeline.closings if c >= record.warmup_end])
    if len(closings) == 0:
        return np.nan
    if len(ends) == 0:
        return 0.0  # nobody served, nobody served late
    openings = np.array([start for start, _ in record.timeline.periods] + [np.inf])
    next_open = openings[np.searchsorted(openings, closings, side="right")]
    last = np.searchsorted(ends, next_open, side="right") - 1
    last_end = np.where(last >= 0, ends[np.maximum(last, 0)], -np.inf)
    return float(np.maximum(last_end - closings, 0.0).mean())
