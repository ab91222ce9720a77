"""Valid means it runs, and runs right: properties of every scenario the schema accepts.

Hypothesis draws valid scenario documents across every section (tests/scenario_strategies.py);
for each, every option is simulated and the sample path is checked against identities that hold
exactly, whatever the scenario: every visit ends in one outcome, the centre ends empty, every
dossier is completed or open and never before it was received, and the time-weighted queue areas
agree with the visit table (Little's law on the sample path). Derandomized with bounded examples,
so the file sees the same scenarios on every run.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_strategies import scenario_documents

from sim.analysis.frames import SLOT_MINUTES, intervals_frame
from sim.analysis.timeweighted import step_integral, summed_steps
from sim.experiment.runner import simulate_unit
from sim.model.back_office import DONE, SOURCES
from sim.model.calendar import MINUTES_PER_DAY
from sim.model.centre import (
    BLOCKED,
    INCOMPLETE,
    OUTCOMES,
    SENT_HOME,
    SERVED,
    RunRecord,
    simulate,
)
from sim.model.dossier_sources import online_share_on
from sim.scenario.errors import ScenarioError
from sim.scenario.load import scenario_from_document
from sim.scenario.schema import Scenario, session_minutes

REACHED_COUNTER = (SERVED, INCOMPLETE, BLOCKED)
COUNTER, ONLINE, BACKLOG = (SOURCES.index(s) for s in ("counter", "online", "backlog"))
BUSY_COLUMN, WAITING_COLUMN, OPEN_COLUMN = 1, 2, 3  # desk logs: time, busy, waiting, open, ...

PROPERTY = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SEEDS = st.integers(0, 2**32 - 1)


def runs(document: dict, seed: int) -> list[tuple[str, Scenario, RunRecord]]:
    """Every option of the document, simulated with the same seed."""
    scenarios = scenario_from_document(document, "generated.yaml")
    return [(name, scenario, simulate(scenario, seed))
            for name, scenario in scenarios.options.items()]


def rounding_bound(terms: int, total: float, horizon: float = 0.0, peak: float = 0.0) -> float:
    """Largest float error of a sum of `terms` terms adding up to `total`, each a product of
    a value <= `peak` and a difference of two times <= `horizon` (or a quotient times its
    divisor): each term errs by at most peak x ulp(horizon) (the difference) plus ulp(total)
    (the product), and the running sum by ulp(total) per term."""
    return terms * (peak * math.ulp(horizon) + 2 * math.ulp(max(total, 1.0)))


# --- it runs -------------------------------------------------------------------------------------
@PROPERTY
@given(document=scenario_documents(), seed=SEEDS)
def test_whatever_check_accepts_runs_for_every_option(document: dict, seed: int) -> None:
    """`sim run`'s work for one replication: simulate, then every metric and every table."""
    scenarios = scenario_from_document(document, "generated.yaml")
    for name, scenario in scenarios.options.items():
        rows, frames = simulate_unit(scenario, name, 0, seed)
        assert rows and set(frames) == {"visits", "intervals", "dossiers", "daily"}, name


# --- everybody is accounted for ---------------------------------------------------------------
@PROPERTY
@given(document=scenario_documents(), seed=SEEDS)
def test_every_visit_ends_in_exactly_one_outcome(document: dict, seed: int) -> None:
    """One final outcome per visit, with times that fit it: only visits that reached a counter
    have a service start, and the wait never exceeds the time the visit lasted."""
    for name, scenario, record in runs(document, seed):
        visits = record.visits
        outcome, arrival, start, end = (visits[c] for c in ("outcome", "arrival", "start", "end"))
        assert np.isin(outcome, list(OUTCOMES)).all(), (name, np.unique(outcome))
        reached = np.isin(outcome, REACHED_COUNTER)
        assert (np.isfinite(start) == reached).all(), name
        assert np.isfinite(end).all() and (end >= arrival).all(), name
        assert (start[reached] >= arrival[reached]).all(), name
        assert (end[reached] >= start[reached]).all(), name
        # The wait leaves out service and the minutes with a guide, so it is at most the time
        # from arrival to the counter (or to leaving), exactly that time without guidance.
        lasted = np.where(reached, start, end) - arrival
        slack = 2 * math.ulp(max(float(end.max(initial=1.0)), 1.0))
        assert (visits["wait"] >= 0).all() and (visits["wait"] <= lasted + slack).all(), name
        if not any(p.guidance > 0 for p in scenario.procedures):
            np.testing.assert_allclose(visits["wait"], lasted, rtol=0, atol=slack)
        _trips_follow_each_other(record, scenario, name)


def _trips_follow_each_other(record: RunRecord, scenario: Scenario, name: str) -> None:
    """Trips 1, 2, ... of a citizen, each after a trip that did not end served, on a later
    day, for the same procedure at the same desk, and never more than max_trips."""
    visits = record.visits
    order = np.lexsort((visits["trip"], visits["citizen"]))
    citizen, trip = visits["citizen"][order], visits["trip"][order]
    first = np.ones(len(citizen), dtype=bool)
    first[1:] = citizen[1:] != citizen[:-1]
    assert (trip[first] == 1).all() and (np.diff(trip)[~first[1:]] == 1).all(), name
    assert trip.max(initial=1) <= scenario.max_trips, name
    later = ~first
    before = np.flatnonzero(later) - 1
    assert not np.isin(visits["outcome"][order][before], (SERVED,)).any(), name
    arrival_day = visits["arrival"][order][later] // MINUTES_PER_DAY
    assert (arrival_day > visits["end"][order][before] // MINUTES_PER_DAY).all(), name
    for column in ("procedure", "desk"):
        same = visits[column][order]
        assert (same[later] == same[before]).all(), (name, column)


@PROPERTY
@given(document=scenario_documents(), seed=SEEDS)
def test_the_centre_ends_empty_and_serve_all_sends_nobody_home(document: dict,
                                                               seed: int) -> None:
    """Nobody is left waiting or at a counter or guide when the run ends; under serve_all
    nobody is sent home either (the counters stay open until the queue is empty)."""
    for name, scenario, record in runs(document, seed):
        for desk, log in {**record.desk_logs, **record.guidance_logs}.items():
            assert log[-1, 1:3].tolist() == [0, 0], (name, desk, log[-1])
        if scenario.at_closing == "serve_all":
            assert not (record.visits["outcome"] == SENT_HOME).any(), name


# --- every dossier is completed or open ---------------------------------------------------------
@PROPERTY
@given(document=scenario_documents(), seed=SEEDS)
def test_dossiers_are_completed_or_open_never_before_received(document: dict,
                                                              seed: int) -> None:
    """Each dossier comes from a served visit, an online filing or the backlog; it is still
    open or completed within the run, no sooner than its work allows."""
    for name, scenario, record in runs(document, seed):
        dossiers = record.dossiers
        received, completed = dossiers["received"], dossiers["completed"]
        done = np.isfinite(completed)
        assert (completed[done] >= received[done]).all(), name
        assert (completed[done] <= record.horizon_end).all(), name
        # Nobody works a dossier faster than the fastest worker: a counter at one staff-hour
        # per hour, or a dedicated staff member at hours_per_day over the ordinary sessions.
        office = scenario.back_office
        ordinary = sum(b - a for a, b in map(session_minutes, scenario.calendar.sessions))
        per_hour = max(1.0, 60 * office.hours_per_day / ordinary) if office else 1.0
        # A dossier counts as processed with DONE staff-hours left; then float rounding.
        slack = 60 * DONE / per_hour + 4 * math.ulp(record.horizon_end)
        fastest = received + 60 * dossiers["work"] / per_hour - slack
        assert (completed[done] >= fastest[done]).all(), name
        _dossiers_have_their_sources(record, scenario, name)


def _dossiers_have_their_sources(record: RunRecord, scenario: Scenario, name: str) -> None:
    dossiers, visits = record.dossiers, record.visits
    source = dossiers["source"]
    with_work = np.array([p.back_office is not None for p in scenario.procedures])
    assert with_work[dossiers["procedure"]].all(), name
    # One counter dossier per served visit of a procedure with back-office work, received
    # when the service ended, on the trip it was served on.
    served = (visits["outcome"] == SERVED) & with_work[visits["procedure"]]
    from_counter = sorted(zip(dossiers["received"][source == COUNTER].tolist(),
                              dossiers["procedure"][source == COUNTER].tolist(),
                              dossiers["trips"][source == COUNTER].tolist(), strict=True))
    from_visits = sorted(zip(visits["end"][served].tolist(), visits["procedure"][served].tolist(),
                             visits["trip"][served].tolist(), strict=True))
    assert from_counter == from_visits, name
    assert (source == BACKLOG).sum() == sum(item.count for item in scenario.backlog), name
    openings = {day.sessions[0][0] for day in record.timeline.days if day.working}
    assert set(dossiers["received"][source == BACKLOG].tolist()) <= openings, name
    online = np.flatnonzero(source == ONLINE)
    for dossier in online:
        procedure = scenario.procedures[dossiers["procedure"][dossier]]
        day = next(d for d in record.timeline.days
                   if d.midnight <= dossiers["received"][dossier] < d.midnight + MINUTES_PER_DAY)
        assert online_share_on(procedure, day.date) > 0, (name, procedure.id, day.date)


# --- Little's law on the sample path ------------------------------------------------------------
@PROPERTY
@given(document=scenario_documents(), seed=SEEDS)
def test_queue_and_busy_areas_agree_with_the_visit_table(document: dict, seed: int) -> None:
    """The centre starts and ends empty, so on every sample path the area under the number
    waiting (all desks and guides) is the sum of the waits, and the area under the busy
    counters is the sum of service times, up to float rounding (`rounding_bound`)."""
    for name, scenario, record in runs(document, seed):
        visits = record.visits
        logs = [*record.desk_logs.values(), *record.guidance_logs.values()]
        times, waiting = summed_steps([(log[:, 0], log[:, WAITING_COLUMN]) for log in logs])
        horizon = float(times[-1]) + 1.0
        area = step_integral(times, waiting, np.array([0.0, horizon]))[0]
        bound = rounding_bound(len(times) + len(visits["wait"]), area, horizon,
                               peak=waiting.max(initial=1.0))
        assert area == pytest.approx(visits["wait"].sum(), rel=0, abs=bound), name
        desk_logs = list(record.desk_logs.values())
        times, busy = summed_steps([(log[:, 0], log[:, BUSY_COLUMN]) for log in desk_logs])
        reached = np.isin(visits["outcome"], REACHED_COUNTER)
        service = (visits["end"] - visits["start"])[reached].sum()
        area = step_integral(times, busy, np.array([0.0, horizon]))[0]
        bound = rounding_bound(len(times) + int(reached.sum()), area, horizon,
                               peak=busy.max(initial=1.0))
        assert area == pytest.approx(service, rel=0, abs=bound), name
        if not any(p.guidance > 0 for p in scenario.procedures):
            for index, log in enumerate(desk_logs):  # each desk's queue holds its visits
                mine = visits["desk"] == index
                area = step_integral(log[:, 0], log[:, WAITING_COLUMN],
                                     np.array([0.0, horizon]))[0]
                bound = rounding_bound(len(log) + int(mine.sum()), area, horizon,
                                       peak=log[:, WAITING_COLUMN].max(initial=1.0))
                assert area == pytest.approx(visits["wait"][mine].sum(), rel=0, abs=bound), (
                    name, index)


@PROPERTY
@given(document=scenario_documents(), seed=SEEDS)
def test_the_intervals_table_agrees_with_the_run(document: dict, seed: int) -> None:
    """Per desk, the half-hour rows of `intervals.parquet` add up to the run's: their queue,
    busy and open means times 30 minutes to the areas of the desk's log over the opening days,
    their arrivals and waits to the desk's visits."""
    for name, scenario, record in runs(document, seed):
        visits = record.visits
        table = intervals_frame(record, scenario)
        midnights = np.array([day.midnight for day in record.timeline.days])
        days = np.column_stack([midnights, midnights + MINUTES_PER_DAY]).ravel()
        for index, (desk, log) in enumerate(record.desk_logs.items()):
            rows = table[table["desk"] == desk]
            mine = visits["desk"] == index
            assert rows["arrivals"].sum() == mine.sum(), (name, desk)
            waits = (rows["wait_mean"].fillna(0) * rows["arrivals"]).sum()
            bound = rounding_bound(int(mine.sum()) + len(rows), waits)
            assert waits == pytest.approx(visits["wait"][mine].sum(), rel=0, abs=bound), (
                name, desk)
            for column, mean in ((WAITING_COLUMN, "queue_mean"), (BUSY_COLUMN, "busy_mean"),
                                 (OPEN_COLUMN, "open_mean")):
                inside = step_integral(log[:, 0], log[:, column], days)[::2].sum()
                area = (rows[mean] * SLOT_MINUTES).sum()
                bound = rounding_bound(len(log) + len(rows), inside, float(days[-1]),
                                       peak=log[:, column].max(initial=1.0))
                assert area == pytest.approx(inside, rel=0, abs=bound), (name, desk, mean)


# --- scenarios check accepted that could not run, found by the properties above -----------------
def one_desk(**changes: object) -> dict:
    """A one-desk centre for a day, with back-office work, and the given changes."""
    return {
        "name": "one desk", "calendar": {"start": "2025-07-01", "working_days": 1},
        "arrivals": {"per_day": 10},
        "procedures": [{"id": "a", "name": "Chứng thực", "share": 1, "desk": "general",
                        "service": {"dist": "exponential", "mean": 5},
                        "back_office": {"hours": {"dist": "deterministic", "mean": 1}}}],
        "desks": {"general": {"counters": 1}},
        "back_office": {"staff": 1, "hours_per_day": 6},
        **changes,
    }


def test_a_profile_with_nobody_before_closing_is_refused_by_check() -> None:
    """A profile whose only positive intensity starts at the 17:00 closing was accepted, then
    `simulate` divided by zero spreading per_day over the ordinary day."""
    late = one_desk(arrivals={"per_day": 10, "profile": {"07:30": 0, "17:00": 1}})
    with pytest.raises(ScenarioError) as error:
        scenario_from_document(late, "late.yaml")
    assert "arrivals.profile: got {'07:30': 0.0, '17:00': 1.0}" in str(error.value)
    assert "before the ordinary day's last closing (17:00)" in str(error.value)
    just_in_time = one_desk(arrivals={"per_day": 10, "profile": {"07:30": 0, "16:59": 1}})
    simulate(scenario_from_document(just_in_time, "late.yaml").baseline, seed=1)


@pytest.mark.parametrize("days_left", [-3, {"dist": "deterministic", "mean": -3}])
def test_backlog_days_left_may_be_a_negative_number(days_left: object) -> None:
    """`days_left: -3` (as the docs write it) passed check, then crashed `simulate` turning
    the number into a deterministic distribution, which refused a negative mean."""
    document = one_desk(backlog=[{"procedure": "a", "count": 2, "days_left": days_left}])
    record = simulate(scenario_from_document(document, "backlog.yaml").baseline, seed=1)
    due = record.dossiers["due"][record.dossiers["source"] == BACKLOG]
    # Three working days before Tuesday 1 July 2025: Thursday 26 June, at the 17:00 close.
    assert due.tolist() == [-5 * MINUTES_PER_DAY + 17 * 60] * 2


def test_a_negative_deterministic_duration_is_still_refused() -> None:
    document = one_desk(patience={"dist": "deterministic", "mean": -1})
    with pytest.raises(ScenarioError, match="a duration cannot be negative"):
        scenario_from_document(document, "patience.yaml")


def test_the_last_half_hour_before_a_closed_day_is_half_an_hour() -> None:
    """The intervals table integrated the last slot of an opening day on to the next opening
    day's midnight: with serve_all overtime past midnight into a Saturday, Friday's 23:30 slot
    showed more busy and open counters than the desk has."""
    document = one_desk(calendar={"start": "2025-07-04", "working_days": 2,
                                  "sessions": ["22:00-24:00"]},
                        arrivals={"per_day": 40}, at_closing="serve_all")
    scenario = scenario_from_document(document, "friday.yaml").baseline
    record = simulate(scenario, seed=1)
    assert record.visits["end"].max() > 2 * MINUTES_PER_DAY, "overtime into Saturday intended"
    table = intervals_frame(record, scenario)
    assert (table["busy_mean"] <= 1).all() and (table["open_mean"] <= 1).all()
    log = record.desk_logs["general"]
    last = table[(table["day"] == 1) & (table["time"] == "23:30")].iloc[0]
    slot = np.array([MINUTES_PER_DAY - SLOT_MINUTES, MINUTES_PER_DAY])
    queue_area = step_integral(log[:, 0], log[:, WAITING_COLUMN], slot)[0]
    assert last["queue_mean"] == queue_area / SLOT_MINUTES
