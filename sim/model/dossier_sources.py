"""Dossiers that reach the back office without a counter visit: online filings and the backlog
transferred from the abolished district level. Both are drawn before the run and filed with
the back office during it (`file_dossiers`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import simpy

from sim.model.arrivals import Intensity, build_intensity, sample_arrival_times
from sim.model.back_office import BackOffice
from sim.model.calendar import OpeningDay, Timeline
from sim.model.citizens import handoff_delay_of, per_procedure, work_of
from sim.model.deadlines import WorkingCalendar
from sim.model.memo import remember_last
from sim.model.streams import item_keys, item_stream
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
    origin: np.ndarray  # each dossier's row in the order of its parts (backlog entries)

    @staticmethod
    def empty() -> DossierBatch:
        nothing = np.zeros(0)
        return DossierBatch(nothing, nothing.astype(np.int64), nothing, nothing, nothing,
                            nothing.astype(np.int64))


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


def dossiers_without_visit(scenario: Scenario, timeline: Timeline, working: WorkingCalendar,
                           seed: int, drawn: bool = True) -> tuple[DossierBatch, DossierBatch]:
    """The run's online filings and transferred backlog; none unless `drawn` (a run that
    leaves the back office out)."""
    if not drawn:
        return DossierBatch.empty(), DossierBatch.empty()
    return (online_dossiers(scenario, timeline, working, seed),
            backlog_dossiers(scenario, timeline, working, seed))


def online_dossiers(scenario: Scenario, timeline: Timeline, working: WorkingCalendar,
                    seed: int) -> DossierBatch:
    """Online filings: visitors' daily pattern scaled by share x s / (1 - s) per procedure,
    so that an online share s means s of the procedure's dossiers are filed online. Each
    procedure's filings, work and hand-off delays come from its own streams."""
    parts = []
    for index, intensity in _online_intensities(scenario, timeline):
        proc = scenario.procedures[index]
        filed = sample_arrival_times(intensity, item_stream(seed, "online", proc.id))
        work, delay = _work_and_delay(scenario, index, len(filed),
                                      item_stream(seed, "online_work", proc.id))
        procedure = np.full(len(filed), index, dtype=np.int64)
        parts.append((filed, procedure, due_times(scenario, working, procedure, filed), work,
                      delay))
    return _in_time_order(parts)


@remember_last
def _online_intensities(scenario: Scenario, timeline: Timeline
                        ) -> tuple[tuple[int, Intensity], ...]:
    """Each back-office procedure's (index, online filing intensity): the same in every run
    of a scenario, so worked out once for a batch of its replications."""
    return tuple((index, build_intensity(scenario.arrivals, scenario.calendar, timeline,
                                         functools.partial(_online_scale, proc)))
                 for index, proc in enumerate(scenario.procedures)
                 if proc.back_office is not None)


def _online_scale(procedure: Procedure, day: OpeningDay) -> float:
    """Online filings per visitor of the procedure on a day: share x s / (1 - s)."""
    s = online_share_on(procedure, day.date)
    return procedure.share * s / (1 - s)


def backlog_dossiers(scenario: Scenario, timeline: Timeline, working: WorkingCalendar,
                     seed: int) -> DossierBatch:
    """Transferred dossiers, received at the first openings of the first working days, each
    with the working days left to its original deadline. Each backlog entry draws from its own
    streams, keyed by its procedure (and a repeat number for a second entry of the same one)."""
    ids = [p.id for p in scenario.procedures]
    openings = np.array([day.sessions[0][0] for day in timeline.days if day.working])
    keys = item_keys([item.procedure for item in scenario.backlog])
    parts = []
    for item, key in zip(scenario.backlog, keys, strict=True):
        spread = min(item.spread_days, len(openings))
        day_of = (np.arange(item.count) * spread) // max(item.count, 1)
        days_left = as_distribution(item.days_left).ppf(
            item_stream(seed, "backlog", key).random(item.count))
        index = ids.index(item.procedure)
        work, delay = _work_and_delay(scenario, index, item.count,
                                      item_stream(seed, "backlog_work", key))
        parts.append((openings[day_of], np.full(item.count, index, dtype=np.int64),
                      working.due_from_start(days_left), work, delay))
    return _in_time_order(parts)


def file_dossiers(env: simpy.Environment, back_office: BackOffice, dossiers: DossierBatch,
                  source: int, on_filed: Callable[[int, int], None] | None = None):
    """A process: each dossier of the batch reaches the back office at its time (and
    ``on_filed(origin, dossier)`` is told of it)."""
    for index, time in enumerate(dossiers.time.tolist()):
        yield env.timeout(time - env.now)
        dossier = back_office.receive(int(dossiers.procedure[index]), source,
                                      float(dossiers.due[index]), float(dossiers.work[index]),
                                      float(dossiers.delay_days[index]))
        if on_filed is not None:
            on_filed(int(dossiers.origin[index]), dossier)


def _in_time_order(parts: list[tuple[np.ndarray, ...]]) -> DossierBatch:
    """One batch from (time, procedure, due, work, delay) parts, sorted by time; parts keep
    their order among dossiers received at the same moment, and each dossier its origin (its
    row in the parts' order)."""
    if not parts:
        return DossierBatch.empty()
    columns = [np.concatenate(column) for column in zip(*parts, strict=True)]
    columns.append(np.arange(len(columns[0]), dtype=np.int64))
    order = np.argsort(columns[0], kind="stable")
    return DossierBatch(*(column[order] for column in columns))


def _work_and_delay(scenario: Scenario, index: int, count: int,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Staff-hours of work and working days at an outside body of `count` dossiers of one
    procedure."""
    work_uniforms, delay_uniforms = rng.random((count, 2)).T  # drawn together, per dossier
    procedure = np.full(count, index)
    procedures = scenario.procedures
    work = per_procedure(procedures, procedure, work_uniforms, work_of)
    delay = per_procedure(procedures, procedure, delay_uniforms,
                          lambda p: handoff_delay_of(scenario, p))
    return work, delay
