"""A simulated run's dossiers as the one-door system exports them, one row per dossier.

The model gives each dossier its receipt, due time and completion. The export adds what the
model does not know: when a transferred dossier was first received by the district (its legal
deadline counted back from its due date, before the cut-over), the channel (`HinhThuc`: a few
of the dossiers filed without a visit come by post), when the citizen collected the result
(`NgayTra`, a few working days after completion, empty if not yet), and the status.
Times are minutes since 00:00 of the run's start date (negative before it).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sim.calibrate.example.codes import DOSSIER_STATUS, PORTAL_CODES
from sim.calibrate.fields import DOSSIER, IN_PERSON, ONLINE, POST
from sim.model.calendar import MINUTES_PER_DAY
from sim.scenario.schema import WEEKDAYS, Scenario

POST_SHARE = 0.15  # of the dossiers filed without a visit
COLLECT_DAYS = 0.6  # mean working days from completion to collection (geometric)
RECEIPT_CLOCK = (7.5 * 60, 16.5 * 60)  # minutes of the day a transferred dossier was received
UNIT = "H37.25"  # the example centre's code in dossier numbers


def portal_dossiers(dossiers: pd.DataFrame, scenario: Scenario, end: float,
                    rng: np.random.Generator) -> pd.DataFrame:
    """The dossier export of a run: canonical fields, times in minutes; `end` is the export
    time (the run's last closing)."""
    received = _received(dossiers, scenario, rng)
    completed = dossiers["completed"].to_numpy()
    returned = _collected(completed, end, scenario, rng)
    frame = pd.DataFrame({
        DOSSIER.procedure: dossiers["procedure"].astype(str).map(PORTAL_CODES).to_numpy(),
        DOSSIER.procedure_name: dossiers["procedure"].astype(str).map(
            {p.id: p.name for p in scenario.procedures}).to_numpy(),
        DOSSIER.received: received,
        DOSSIER.due: dossiers["due"].to_numpy(),
        DOSSIER.finished: completed,
        DOSSIER.returned: returned,
        DOSSIER.channel: _channels(dossiers["source"].astype(str).to_numpy(), rng),
        DOSSIER.status: _statuses(completed, returned),
    }).sort_values(DOSSIER.received, kind="stable", ignore_index=True)
    frame.insert(0, DOSSIER.id, _numbers(frame[DOSSIER.received].to_numpy(), scenario))
    return frame


def _received(dossiers: pd.DataFrame, scenario: Scenario,
              rng: np.random.Generator) -> np.ndarray:
    """Receipt times; a transferred dossier's is its deadline counted back from its due day,
    and at the latest the last working day before the start."""
    received = dossiers["received"].to_numpy().copy()
    transferred = (dossiers["source"] == "backlog").to_numpy()
    deadlines = dossiers["procedure"].astype(str).map(
        {p.id: p.deadline.working_days if p.deadline else 0 for p in scenario.procedures})
    due_day = np.floor(dossiers["due"].to_numpy()[transferred] / MINUTES_PER_DAY).astype(int)
    days = _working_offset(due_day, -deadlines.to_numpy()[transferred], scenario)
    days = np.minimum(days, _working_offset(np.zeros(1, dtype=int), np.array([-1]), scenario))
    received[transferred] = days * MINUTES_PER_DAY + rng.uniform(*RECEIPT_CLOCK, len(days))
    return received


def _working_offset(days: np.ndarray, offsets: np.ndarray, scenario: Scenario) -> np.ndarray:
    """Day numbers (from the start date) moved by a number of working days."""
    calendar = scenario.calendar
    start = np.datetime64(calendar.start, "D")
    mask = [name in calendar.weekdays for name in WEEKDAYS]
    holidays = np.array(calendar.holidays, dtype="datetime64[D]")
    moved = np.busday_offset(start + days, offsets, roll="backward", weekmask=mask,
                             holidays=holidays)
    return (moved - start).astype(int)


def _collected(completed: np.ndarray, end: float, scenario: Scenario,
               rng: np.random.Generator) -> np.ndarray:
    """When the citizen collected the result: a few working days after completion, in the
    afternoon; not yet (nan) if that falls after the export."""
    done = ~np.isnan(completed)
    lag = rng.geometric(1 / (1 + COLLECT_DAYS), len(completed)) - 1
    day = np.floor(np.nan_to_num(completed) / MINUTES_PER_DAY).astype(int)
    later = _working_offset(day, lag, scenario) * MINUTES_PER_DAY + rng.uniform(
        14 * 60, 16.9 * 60, len(completed))
    collected = np.maximum(later, np.nan_to_num(completed))
    return np.where(done & (collected <= end), collected, np.nan)


def _channels(sources: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    post = rng.random(len(sources)) < POST_SHARE
    return np.where(sources == "online", np.where(post, POST, ONLINE), IN_PERSON)


def _statuses(completed: np.ndarray, returned: np.ndarray) -> np.ndarray:
    return np.where(~np.isnan(returned), DOSSIER_STATUS["returned"],
                    np.where(~np.isnan(completed), DOSSIER_STATUS["finished"],
                             DOSSIER_STATUS["open"]))


def _numbers(received: np.ndarray, scenario: Scenario) -> list[str]:
    """Dossier numbers as the portal writes them: unit, receipt date, running number."""
    start = scenario.calendar.start
    dates = [start + dt.timedelta(days=int(day)) for day in np.floor(received / MINUTES_PER_DAY)]
    return [f"{UNIT}-{date:%y%m%d}-{index:05d}" for index, date in enumerate(dates, start=1)]
