"""Dossiers that reach the back office without a counter visit: online filings and the backlog
transferred from the abolished district level. Both are drawn before the run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from sim.model.arrivals import build_intensity, sample_arrival_times
from sim.model.calendar import OpeningDay, Timeline
from sim.model.citizens import handoff_delay_of, per_procedure, work_of
from sim.model.deadlines import WorkingCalendar
from sim.model.sampling import quantiles
from sim.scenario.distributions import as_distribution
from sim.scenario.schema import Procedure, Scenario

NO_DEADLINE = np.inf


@dataclass(frozen=True)
class DossierBatch:
    """Dossiers arriving at given times, sorted by time."""

    time: np.ndarray
    procedure: np.ndarray
    due: np.ndarray
    work: np.ndarray
    delay_days: np.ndarray

    @staticmethod
    def empty() -> DossierBatch:
        nothing = np.zeros(0)
        return DossierBatch(nothing, nothing.astype(np.int64), nothing, nothing, nothing)


def online_share_on(procedure: Procedure, date: dt.date) -> float:
    """The share of a procedure's dossiers filed online on a date (the first period's share
    applies before it starts)."""
    share = procedure.online_share
    if not isinstance(share, list):
        return share
    current = share[0].share
    for period in share:
        if period.start <= date:
            current = period.share
    return current


def due_times(scenario: Scenario, working: WorkingCalendar, procedure: np.ndarray,
              received: np.ndarray) -> np.ndarray:
    """Due time of each dossier from its procedure's deadline; infinite without a deadline."""
    days = np.array([p.deadline.working_days if p.deadline else -1
                     for p in scenario.procedures])[procedure]
    due = np.full(len(procedure), NO_DEADLINE)
    has = days >= 0
    if has.any():
        due[has] = working.due(received[has], days[has])
    return due


def online_dossiers(scenario: Scenario, timeline: Timeline, working: WorkingCalendar,
                    rngs: dict[str, np.random.Generator]) -> DossierBatch:
    """Online filings: visitors' daily pattern scaled by share x s / (1 - s) per procedure,
    so that an online share s means s of the procedure's dossiers are filed online."""
    times, procedures = [], []
    for index, proc in enumerate(scenario.procedures):
        if proc.back_office is None:
            continue

        def scale(day: OpeningDay, proc: Procedure = proc) -> float:
            s = online_share_on(proc, day.date)
            return proc.share * s / (1 - s)

        intensity = build_intensity(scenario.arrivals, scenario.calendar, timeline, scale)
        filed = sample_arrival_times(intensity, rngs["online"])
        times.append(filed)
        procedures.append(np.full(len(filed), index))
    if not times:
        return DossierBatch.empty()
    time = np.concatenate(times)
    procedure = np.concatenate(procedures).astype(np.int64)
    order = np.argsort(time, kind="stable")
    time, procedure = time[order], procedure[order]
    work, delay = _work_and_delay(scenario, procedure, rngs["online_work"])
    return DossierBatch(time, procedure, due_times(scenario, working, procedure, time), work,
                        delay)


def backlog_dossiers(scenario: Scenario, timeline: Timeline, working: WorkingCalendar,
                     rngs: dict[str, np.random.Generator]) -> DossierBatch:
    """Transferred dossiers, received at the first openings of the first working days, each
    with the working days left to its original deadline."""
    ids = [p.id for p in scenario.procedures]
    openings = [day.sessions[0][0] for day in timeline.days if day.working]
    times, procedures, days_left = [], [], []
    for item in scenario.backlog:
        spread = min(item.spread_days, len(openings))
        day_of = (np.arange(item.count) * spread) // max(item.count, 1)
        times.append(np.array(openings)[day_of])
        procedures.append(np.full(item.count, ids.index(item.procedure)))
        days_left.append(quantiles(as_distribution(item.days_left),
                                   rngs["backlog"].random(item.count)))
    if not times:
        return DossierBatch.empty()
    time = np.concatenate(times)
    order = np.argsort(time, kind="stable")
    procedure = np.concatenate(procedures).astype(np.int64)[order]
    work, delay = _work_and_delay(scenario, procedure, rngs["backlog_work"])
    due = working.due_from_start(np.concatenate(days_left)[order])
    return DossierBatch(time[order], procedure, due, work, delay)


def _work_and_delay(scenario: Scenario, procedure: np.ndarray,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    uniforms = rng.random((len(procedure), 2))
    procedures = scenario.procedures
    work = per_procedure(procedures, procedure, uniforms[:, 0], work_of)
    delay = per_procedure(procedures, procedure, uniforms[:, 1],
                          lambda p: handoff_delay_of(scenario, p))
    return work, delay
