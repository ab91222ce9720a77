"""Tidy per-run tables: one row per visit, and one row per desk, day and half-hour.

Ids (option, replication) are added by the experiment, so that every row of every table can be
traced back to its run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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


def visits_frame(record: RunRecord, scenario: Scenario) -> pd.DataFrame:
    """One row per visit (trip); times in minutes since 00:00 of the start date."""
    visits = record.visits
    midnights = np.array([day.midnight for day in record.timeline.days])
    day_index = np.clip(np.searchsorted(midnights, visits["arrival"], side="right") - 1, 0, None)
    procedure_ids = [p.id for p in scenario.procedures]
    return pd.DataFrame({
        "citizen": visits["citizen"],
        "trip": visits["trip"],
        "procedure": pd.Categorical.from_codes(visits["procedure"], procedure_ids),
        "desk": pd.Categorical.from_codes(visits["desk"], list(record.desk_names)),
        "day": day_index + 1,
        "arrival": visits["arrival"],
        "arrival_time": timestamps(scenario, visits["arrival"]),
        "start": visits["start"],
        "end": visits["end"],
        "wait": visits["wait"],
        "guidance_wait": visits["guidance_wait"],
        "outcome": pd.Categorical.from_codes(visits["outcome"] - min(OUTCOMES),
                                             list(OUTCOMES.values())),
        "ticket_class": pd.Categorical.from_codes(visits["ticket_class"], list(TICKET_CLASSES)),
        "purpose": pd.Categorical.from_codes(visits["purpose"], list(PURPOSES.values())),
        "dossier": visits["dossier"],
    })


def timestamps(scenario: Scenario, minutes: np.ndarray) -> pd.DatetimeIndex:
    """Minutes since 00:00 of the start date as date and time of day (NaT for NaN or an
    infinite time: no deadline), for researchers who resample by week or join on dates."""
    finite = np.where(np.isfinite(minutes), minutes, np.nan)
    return pd.Timestamp(scenario.calendar.start) + pd.to_timedelta(finite, unit="min")


def intervals_frame(record: RunRecord, scenario: Scenario) -> pd.DataFrame:
    """Per desk, opening day and half-hour: arrivals, their mean wait, and time-averaged
    queue length, busy counters and open counters."""
    midnights = np.array([day.midnight for day in record.timeline.days])
    slot_starts = (midnights[:, None] + SLOT_MINUTES * np.arange(SLOTS_PER_DAY)).ravel()
    edges = np.append(slot_starts, slot_starts[-1] + SLOT_MINUTES)
    slot_of_visit = np.searchsorted(edges, record.visits["arrival"], side="right") - 1
    # Each slot's own half-hour: the last slot of an opening day followed by a closed day
    # would otherwise run on to the next opening day's midnight.
    slots = np.column_stack([slot_starts, slot_starts + SLOT_MINUTES])
    return pd.concat([pd.DataFrame({
        "desk": name,
        "day": np.repeat(np.arange(1, len(midnights) + 1), SLOTS_PER_DAY),
        "time": np.tile(list(SLOT_STARTS), len(midnights)),
        **_arrivals_by_slot(record.visits, index, slot_of_visit, len(slot_starts)),
        **_log_means_by_slot(log, slots),
    }) for index, (name, log) in enumerate(record.desk_logs.items())], ignore_index=True)


def _arrivals_by_slot(visits: dict[str, np.ndarray], desk: int, slot_of_visit: np.ndarray,
                      slots: int) -> dict[str, np.ndarray]:
    """Arrivals at one desk per slot and their mean wait (NaN where nobody arrived)."""
    mine = (visits["desk"] == desk) & (slot_of_visit < slots)
    arrivals = np.bincount(slot_of_visit[mine], minlength=slots)
    wait_sum = np.bincount(slot_of_visit[mine], weights=visits["wait"][mine], minlength=slots)
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
