"""Identities that every simulated run must satisfy exactly, whatever the scenario.

Each check takes one run's record and its scenario and fails with the `label` it is given (an
option name, a file). tests/test_valid_scenarios.py applies them to generated scenarios and
tests/test_scenarios.py to the bundled ones; test modules import this one by its bare name
(`from sample_path_checks import ...`), as pytest puts this folder on `sys.path`.

Float rounding is the only slack, bounded by `rounding_bound`.
"""

from __future__ import annotations

import math

import numpy as np

from sim.analysis.columns import tidy_frame
from sim.analysis.frames import SLOT_MINUTES, intervals_columns
from sim.analysis.timeweighted import step_integral, summed_steps
from sim.model.back_office import DONE, SOURCES
from sim.model.calendar import MINUTES_PER_DAY
from sim.model.desk import DeskLog
from sim.model.dossier_sources import online_share_on
from sim.model.record import (
    BLOCKED,
    INCOMPLETE,
    INQUIRY,
    NOT_READY,
    OUTCOMES,
    PICKUP,
    PURPOSES,
    SENT_HOME,
    SERVED,
    SUBMIT,
    RunRecord,
)
from sim.scenario.schema import Scenario, session_minutes

REACHED_COUNTER = (SERVED, INCOMPLETE, BLOCKED, NOT_READY)
COUNTER, ONLINE, BACKLOG = (SOURCES.index(s) for s in ("counter", "online", "backlog"))


def rounding_bound(terms: int, total: float, horizon: float = 0.0, peak: float = 0.0) -> float:
    """Largest float error of a sum of `terms` terms adding up to `total`, each a product of
    a value <= `peak` and a difference of two times <= `horizon` (or a quotient times its
    divisor): each term errs by at most peak x ulp(horizon) (the difference) plus ulp(total)
    (the product), and the running sum by ulp(total) per term."""
    return terms * (peak * math.ulp(horizon) + 2 * math.ulp(max(total, 1.0)))


def _guided(scenario: Scenario) -> bool:
    return any(p.guidance > 0 for p in scenario.procedures)


# --- visits ------------------------------------------------------------------------------------
def check_visits(record: RunRecord, scenario: Scenario, label: str) -> None:
    """One final outcome per visit, with times that fit it: only visits that reached a counter
    have a service start, and the wait never exceeds the time the visit lasted (exactly that
    time without guidance, whose minutes with a guide are not waiting)."""
    visits = record.visits
    outcome, arrival, start, end = (visits[c] for c in ("outcome", "arrival", "start", "end"))
    assert np.isin(outcome, list(OUTCOMES)).all(), (label, np.unique(outcome))
    reached = np.isin(outcome, REACHED_COUNTER)
    assert (np.isfinite(start) == reached).all(), label
    assert np.isfinite(end).all() and (end >= arrival).all(), label
    assert (start[reached] >= arrival[reached]).all(), label
    assert (end[reached] >= start[reached]).all(), label
    lasted = np.where(reached, start, end) - arrival
    slack = 2 * math.ulp(max(float(end.max(initial=1.0)), 1.0))
    assert (visits["wait"] >= 0).all() and (visits["wait"] <= lasted + slack).all(), label
    if not _guided(scenario):
        assert (np.abs(visits["wait"] - lasted) <= slack).all(), label
    _check_trips(record, scenario, label)


def _check_trips(record: RunRecord, scenario: Scenario, label: str) -> None:
    """Trips 1, 2, ... of a citizen, each after a trip that did not end served, on a later
    day, for the same procedure at the same desk, and never more than max_trips."""
    visits = record.visits
    order = np.lexsort((visits["trip"], visits["citizen"]))
    citizen, trip = visits["citizen"][order], visits["trip"][order]
    first = np.ones(len(citizen), dtype=bool)
    first[1:] = citizen[1:] != citizen[:-1]
    assert (trip[first] == 1).all() and (np.diff(trip)[~first[1:]] == 1).all(), label
    assert trip.max(initial=1) <= scenario.max_trips, label
    later = ~first
    before = np.flatnonzero(later) - 1
    assert not (visits["outcome"][order][before] == SERVED).any(), label
    arrival_day = visits["arrival"][order][later] // MINUTES_PER_DAY
    assert (arrival_day > visits["end"][order][before] // MINUTES_PER_DAY).all(), label
    for column in ("procedure", "desk"):
        same = visits[column][order]
        assert (same[later] == same[before]).all(), (label, column)


def check_ends_empty(record: RunRecord, scenario: Scenario, label: str) -> None:
    """Nobody is left waiting or at a counter or guide when the run ends; under serve_all
    nobody is sent home either (the counters stay open until the queue is empty)."""
    for desk, log in {**record.desk_logs, **record.guidance_logs}.items():
        assert log[-1, [DeskLog.BUSY, DeskLog.WAITING]].tolist() == [0, 0], (label, desk, log[-1])
    if scenario.at_closing == "serve_all":
        assert not (record.visits["outcome"] == SENT_HOME).any(), label


# --- dossiers ----------------------------------------------------------------------------------
def check_dossiers(record: RunRecord, scenario: Scenario, label: str) -> None:
    """Each dossier comes from a served visit, an online filing or the backlog; it is still
    open or completed within the run, no sooner than its work allows; a new one is not due
    before it was received."""
    dossiers = record.dossiers
    received, completed = dossiers["received"], dossiers["completed"]
    done = np.isfinite(completed)
    assert (completed[done] >= received[done]).all(), label
    assert (completed[done] <= record.horizon_end).all(), label
    # Nobody works a dossier faster than the fastest worker: a counter at one staff-hour per
    # hour, or a dedicated staff member at hours_per_day over the ordinary sessions. A dossier
    # counts as processed with DONE staff-hours left; then float rounding.
    office = scenario.back_office
    ordinary = sum(b - a for a, b in map(session_minutes, scenario.calendar.sessions))
    per_hour = max(1.0, 60 * office.hours_per_day / ordinary) if office else 1.0
    slack = 60 * DONE / per_hour + 4 * math.ulp(record.horizon_end)
    fastest = received + 60 * dossiers["work"] / per_hour - slack
    assert (completed[done] >= fastest[done]).all(), label
    # A new dossier is never due before it was received (transferred ones may be overdue).
    new = dossiers["source"] != BACKLOG
    assert (dossiers["due"][new] >= received[new]).all(), label
    _check_sources(record, scenario, label)


def _check_sources(record: RunRecord, scenario: Scenario, label: str) -> None:
    dossiers, visits = record.dossiers, record.visits
    source = dossiers["source"]
    with_work = np.array([p.back_office is not None for p in scenario.procedures])
    assert with_work[dossiers["procedure"]].all(), label
    # One counter dossier per served visit of a procedure with back-office work, received
    # when the service ended, on the trip it was served on.
    served = ((visits["outcome"] == SERVED) & with_work[visits["procedure"]]
              & (visits["purpose"] == SUBMIT))
    mine = source == COUNTER
    from_counter = sorted(zip(dossiers["received"][mine].tolist(),
                              dossiers["procedure"][mine].tolist(),
                              dossiers["trips"][mine].tolist(), strict=True))
    from_visits = sorted(zip(visits["end"][served].tolist(), visits["procedure"][served].tolist(),
                             visits["trip"][served].tolist(), strict=True))
    assert from_counter == from_visits, label
    assert (source == BACKLOG).sum() == sum(item.count for item in scenario.backlog), label
    openings = {day.sessions[0][0] for day in record.timeline.days if day.working}
    assert set(dossiers["received"][source == BACKLOG].tolist()) <= openings, label
    # Online filings only on days with an online share, for a procedure that has one.
    days = record.timeline.days
    midnights = np.array([day.midnight for day in days])
    online = source == ONLINE
    day_of = np.searchsorted(midnights, dossiers["received"][online], side="right") - 1
    for procedure, day in set(zip(dossiers["procedure"][online].tolist(), day_of.tolist(),
                                  strict=True)):
        assert online_share_on(scenario.procedures[procedure], days[day].date) > 0, (
            label, procedure, days[day].date)


# --- Little's law on the sample path -----------------------------------------------------------
def check_areas(record: RunRecord, scenario: Scenario, label: str) -> None:
    """The centre starts and ends empty, so the area under the number waiting (all desks and
    guides) is the sum of the waits, per desk too without guidance, and the area under the
    busy counters is the sum of service times."""
    visits = record.visits
    logs = [*record.desk_logs.values(), *record.guidance_logs.values()]
    times, waiting = summed_steps([(log[:, DeskLog.TIME], log[:, DeskLog.WAITING])
                                    for log in logs])
    horizon = float(times[-1]) + 1.0
    whole_run = np.array([0.0, horizon])
    area = step_integral(times, waiting, whole_run)[0]
    bound = rounding_bound(len(times) + len(visits["wait"]), area, horizon,
                           peak=waiting.max(initial=1.0))
    assert abs(area - visits["wait"].sum()) <= bound, (label, area, visits["wait"].sum())
    desk_logs = list(record.desk_logs.values())
    times, busy = summed_steps([(log[:, DeskLog.TIME], log[:, DeskLog.BUSY])
                                 for log in desk_logs])
    reached = np.isin(visits["outcome"], REACHED_COUNTER)
    service = (visits["end"] - visits["start"])[reached].sum()
    area = step_integral(times, busy, whole_run)[0]
    bound = rounding_bound(len(times) + int(reached.sum()), area, horizon,
                           peak=busy.max(initial=1.0))
    assert abs(area - service) <= bound, (label, area, service)
    if _guided(scenario):
        return  # a visit's wait then includes its guidance queue's
    for index, log in enumerate(desk_logs):
        mine = visits["desk"] == index
        area = step_integral(log[:, DeskLog.TIME], log[:, DeskLog.WAITING], whole_run)[0]
        bound = rounding_bound(len(log) + int(mine.sum()), area, horizon,
                               peak=log[:, DeskLog.WAITING].max(initial=1.0))
        assert abs(area - visits["wait"][mine].sum()) <= bound, (label, index)


def check_intervals(record: RunRecord, scenario: Scenario, label: str) -> None:
    """Per desk, the half-hour rows of the intervals table add up to the run's: their queue,
    busy and open means times 30 minutes to the areas of the desk's log over the opening days,
    their arrivals and waits to the desk's visits."""
    visits = record.visits
    table = tidy_frame([intervals_columns(record, scenario)])
    midnights = np.array([day.midnight for day in record.timeline.days])
    days = np.column_stack([midnights, midnights + MINUTES_PER_DAY]).ravel()
    for index, (desk, log) in enumerate(record.desk_logs.items()):
        rows = table[table["desk"] == desk]
        mine = visits["desk"] == index
        assert rows["arrivals"].sum() == mine.sum(), (label, desk)
        waits = (rows["wait_mean"].fillna(0) * rows["arrivals"]).sum()
        bound = rounding_bound(int(mine.sum()) + len(rows), waits)
        assert abs(waits - visits["wait"][mine].sum()) <= bound, (label, desk)
        for column, mean in ((DeskLog.WAITING, "queue_mean"), (DeskLog.BUSY, "busy_mean"),
                             (DeskLog.OPEN, "open_mean")):
            inside = step_integral(log[:, DeskLog.TIME], log[:, column], days)[::2].sum()
            area = (rows[mean] * SLOT_MINUTES).sum()
            bound = rounding_bound(len(log) + len(rows), inside, float(days[-1]),
                                   peak=log[:, column].max(initial=1.0))
            assert abs(area - inside) <= bound, (label, desk, mean, area, inside)


# --- visits after the submission ---------------------------------------------------------------
def check_purposes(record: RunRecord, scenario: Scenario, label: str) -> None:
    """Every visit is for one purpose; a submission has no dossier, a pick-up one dossier (of
    a procedure with a pick-up, received at the counter or transferred, one collector each),
    comes after its receipt, and ends served exactly when the dossier was completed when the
    officer looked; only pick-ups end not ready. An inquiry is about a transferred dossier,
    still open when the citizen comes."""
    visits, dossiers = record.visits, record.dossiers
    purpose, outcome, dossier = visits["purpose"], visits["outcome"], visits["dossier"]
    assert np.isin(purpose, list(PURPOSES)).all(), label
    assert (dossier[purpose == SUBMIT] == -1).all(), label
    assert not (outcome[purpose != PICKUP] == NOT_READY).any(), label
    pickup = purpose == PICKUP
    mine = dossier[pickup]
    assert ((mine >= 0) & (mine < len(dossiers["received"]))).all(), label
    with_pickup = np.array([p.pickup is not None for p in scenario.procedures])
    assert with_pickup[dossiers["procedure"][mine]].all(), label
    assert (visits["procedure"][pickup] == dossiers["procedure"][mine]).all(), label
    assert (dossiers["source"][mine] != ONLINE).all(), label
    assert (visits["arrival"][pickup] >= dossiers["received"][mine]).all(), label
    collectors = np.unique(np.column_stack([visits["citizen"][pickup], mine]), axis=0)
    assert len(np.unique(collectors[:, 0])) == len(np.unique(collectors[:, 1])) == len(
        collectors), label
    looked = pickup & np.isin(outcome, (SERVED, NOT_READY))
    ready = dossiers["completed"][dossier[looked]] <= visits["start"][looked]
    assert ((outcome[looked] == SERVED) == ready).all(), label
    inquiry = purpose == INQUIRY
    asked = dossier[inquiry]
    assert (dossiers["source"][asked] == BACKLOG).all(), label
    assert (visits["arrival"][inquiry] >= dossiers["received"][asked]).all(), label
    assert not (dossiers["completed"][asked] <= visits["arrival"][inquiry]).any(), label
