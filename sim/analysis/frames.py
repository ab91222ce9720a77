"""Tidy per-run tables: one row per visit, and one row per desk, day and half-hour, each as
its columns (`sim.analysis.columns.tidy_frame` makes them a DataFrame).

Ids (option, replication) are added by the experiment, so that every row of every table can be
traced back to its run.
"""

from __future__ import annotations

import numpy as np

from sim.analysis.columns import Clock, Coded, Columns
from sim.analysis.timeweighted import span_integrals
from sim.model.calendar import MINUTES_PER_DAY
from sim.model.desk import DeskLog
from sim.model.record import OUTCOMES, PURPOSES, TICKET_CLASSES, RunRecord
from sim.scenario.schema import Scenario

SLOT_MINUTES = 30
SLOTS_PER_DAY = MINUTES_PER_DAY // SLOT_MINUTES
SLOT_STARTS: dict[str, int] = {f"{m // 60:02d}:{m % 60:02d}": m
                               for m in range(0, MINUTES_PER_DAY, SLOT_MINUTES)}
"""The `time` label of each half-hour in the intervals table, and the minute since midnight at
which it starts: figures look the minutes up here rather than reading them back from the text."""


def visits_columns(record: RunRecord, scenario: Scenario) -> Columns:
    """One row per visit (trip); times in minutes since 00:00 of the start date."""
    visits = record.visits
    midnights = np.array([day.midnight for day in record.timeline.days])
    day_index = np.clip(np.searchsorted(midnights, visits["arrival"], side="right") - 1, 0, None)
    return {
        "citizen": visits["citizen"],
        "trip": visits["trip"],
        "procedure": Coded(visits["procedure"], tuple(p.id for p in scenario.procedures)),
        "desk": Coded(visits["desk"], record.desk_names),
        "day": day_index + 1,
        "arrival": visits["arrival"],
        "arrival_time": Clock(visits["arrival"], scenario.calendar.start),
        "start": visits["start"],
        "end": visits["end"],
        "wait": visits["wait"],
        "guidance_wait": visits["guidance_wait"],
        "outcome": Coded(visits["outcome"] - min(OUTCOMES), tuple(OUTCOMES.values())),
        "ticket_class": Coded(visits["ticket_class"], tuple(TICKET_CLASSES)),
        "purpose": Coded(visits["purpose"], tuple(PURPOSES.values())),
        "dossier": visits["dossier"],
    }


def intervals_columns(record: RunRecord, scenario: Scenario) -> Columns:
    """Per desk, opening day and half-hour: arrivals, their mean wait, and time-averaged
    queue length, busy counters and open counters."""
    days = len(record.timeline.days)
    midnights = np.array([day.midnight for day in record.timeline.days])
    slot_starts = (midnights[:, None] + SLOT_MINUTES * np.arange(SLOTS_PER_DAY)).ravel()
    edges = np.append(slot_starts, slot_starts[-1] + SLOT_MINUTES)
    slot_of_visit = np.searchsorted(edges, record.visits["arrival"], side="right") - 1
    # Each slot's own half-hour: the last slot of an opening day followed by a closed day
    # would otherwise run on to the next opening day's midnight.
    slots = np.column_stack([slot_starts, slot_starts + SLOT_MINUTES])
    logs = [_log_means_by_slot(log, slots) for log in record.desk_logs.values()]
    return {
        "desk": np.repeat(np.array(list(record.desk_logs), dtype=str), len(slot_starts)),
        "day": np.tile(np.repeat(np.arange(1, days + 1), SLOTS_PER_DAY), len(logs)),
        "time": np.tile(np.array(list(SLOT_STARTS)), days * len(logs)),
        **_arrivals_by_slot(record.visits, slot_of_visit, len(slot_starts), len(logs)),
        **{name: np.concatenate([means[name] for means in logs]) for name in logs[0]},
    }


def _arrivals_by_slot(visits: dict[str, np.ndarray], slot_of_visit: np.ndarray, slots: int,
                      desks: int) -> dict[str, np.ndarray]:
    """Arrivals per desk and slot, desk after desk, and their mean wait (NaN where nobody
    arrived); a visit that reached no desk (-1) counts at none."""
    mine = (visits["desk"] >= 0) & (slot_of_visit < slots)
    cell = visits["desk"][mine] * slots + slot_of_visit[mine]
    arrivals = np.bincount(cell, minlength=desks * slots)
    wait_sum = np.bincount(cell, weights=visits["wait"][mine], minlength=desks * slots)
    return {"arrivals": arrivals,
            "wait_mean": np.divide(wait_sum, arrivals, out=np.full(len(arrivals), np.nan),
                                   where=arrivals > 0)}


def _log_means_by_slot(log: np.ndarray, slots: np.ndarray) -> dict[str, np.ndarray]:
    """Time-averaged queue length, busy counters and open counters of one desk per slot."""
    times = log[:, DeskLog.TIME]
    columns = {"queue_mean": DeskLog.WAITING, "busy_mean": DeskLog.BUSY,
               "open_mean": DeskLog.OPEN}
    return {name: span_integrals(times, log[:, column], slots) / SLOT_MINUTES
            for name, column in columns.items()}
