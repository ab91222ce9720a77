"""Behaviour of the counter-visit model: identities that must hold exactly on every sample path,
reproducibility, common random numbers, and the expected direction of staffing changes."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sample_path_checks import check_areas

import sim
from sim.model.centre import simulate
from sim.model.desk import DeskLog
from sim.model.record import ABANDONED, BLOCKED, SENT_HOME, SERVED, RunRecord
from sim.scenario.load import ScenarioSet, load_scenario, scenario_from_document
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "scenarios" / "demo.yaml"


def demo(*overrides: str) -> Scenario:
    return load_scenario(DEMO, overrides=overrides).baseline


def small_centre(counters: int, **changes: object) -> ScenarioSet:
    """A one-desk centre with lunch break, morning peak and early arrivals at the door."""
    document = {
        "name": "small",
        "calendar": {"start": "2025-07-01", "working_days": 3},
        "arrivals": {"per_day": 120,
                     "profile": {"06:30": 0.5, "07:30": 2.0, "09:30": 1.0, "11:30": 0.0,
                                 "13:30": 1.0, "17:00": 0.0}},
        "procedures": [
            {"id": "a", "name": "Chứng thực", "share": 0.7, "desk": "general",
             "service": {"dist": "gamma", "mean": 8, "cv": 0.6}},
            {"id": "b", "name": "Hộ tịch", "share": 0.3, "desk": "general",
             "service": {"dist": "lognormal", "mean": 14, "cv": 0.8}},
        ],
        "desks": {"general": {"counters": counters}},
        "at_closing": "serve_all",
        **changes,
    }
    return scenario_from_document(document, "small-centre")


# --- identities on one sample path -------------------------------------------------------------
def test_littles_law_holds_on_a_busy_day() -> None:
    """Queue area = sum of waits, and busy area = sum of service times (L = lambda W, exactly).

    The run starts and ends with an empty centre, so Little's law holds on the sample path itself,
    with no statistical error: every minute a citizen waits adds one to the queue length. Only
    float rounding separates the two sides (sample_path_checks.rounding_bound).
    """
    scenario = demo("calendar.working_days=1")
    record = simulate(scenario, seed=7)
    assert len(record.visits["arrival"]) > 300, "a busy day was intended"
    check_areas(record, scenario, "demo, one day")


def _conserved(record: RunRecord, scenario: Scenario) -> None:
    visits = record.visits
    assert set(np.unique(visits["outcome"])) <= {SERVED, ABANDONED, SENT_HOME}, (
        "every visit must end served, abandoned or sent home")
    assert not np.isnan(visits["end"]).any()
    served = visits["outcome"] == SERVED
    assert (visits["start"][served] >= visits["arrival"][served]).all()
    for log in record.desk_logs.values():
        assert log[-1, DeskLog.BUSY] == 0 and log[-1, DeskLog.WAITING] == 0, (
            "the centre ends empty")
    assert visits["trip"].max() <= scenario.max_trips


def test_every_visit_is_accounted_for_in_the_demo() -> None:
    scenario = demo()
    _conserved(simulate(scenario, seed=3), scenario)


def test_return_trips_follow_a_failed_trip_on_an_earlier_day() -> None:
    scenario = demo()
    record = simulate(scenario, seed=3)
    visits = record.visits
    returns = np.flatnonzero(visits["trip"] > 1)
    assert len(returns) > 20, "the demo should send some citizens home or make them give up"
    previous = {(c, t): i for i, (c, t) in enumerate(zip(visits["citizen"], visits["trip"],
                                                          strict=True))}
    for visit in returns:
        before = previous[(visits["citizen"][visit], visits["trip"][visit] - 1)]
        assert visits["outcome"][before] in (ABANDONED, SENT_HOME)
        assert visits["procedure"][before] == visits["procedure"][visit]
        assert visits["arrival"][visit] // 1440 > visits["end"][before] // 1440


def test_send_home_empties_the_queue_at_closing() -> None:
    record = simulate(demo(), seed=5)
    sent = record.visits["outcome"] == SENT_HOME
    assert sent.any()
    assert np.isin(record.visits["end"][sent], record.timeline.closings).all()


def test_early_arrivals_wait_for_opening() -> None:
    record = simulate(small_centre(2).baseline, seed=1)
    clock = record.visits["arrival"] % 1440
    early = clock < 450
    assert early.any()
    assert (record.visits["start"][early] % 1440 >= 450).all()


def test_counters_closing_at_lunch_finish_their_citizen() -> None:
    """Service times are never cut short: the same citizen takes as long with any staffing."""
    one, three = (simulate(small_centre(c).baseline, seed=2) for c in (1, 3))
    first = lambda r: r.visits["trip"] == 1  # noqa: E731
    durations = [(r.visits["end"] - r.visits["start"])[first(r)] for r in (one, three)]
    # end - start recovers the service time up to the rounding of the two times (an ulp each).
    latest = max(float(r.visits["end"].max()) for r in (one, three))
    np.testing.assert_allclose(durations[0], durations[1], rtol=0, atol=4 * math.ulp(latest))


def test_open_around_the_clock_is_one_continuous_period() -> None:
    base = {"weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "2025-07-01",
            "working_days": 4}
    whole = small_centre(2, calendar={**base, "sessions": ["00:00-24:00"]},
                         arrivals={"per_hour": 9})
    halves = small_centre(2, calendar={**base, "sessions": ["00:00-12:00", "12:00-24:00"]},
                          arrivals={"per_hour": 9})
    a, b = (simulate(s.baseline, seed=11) for s in (whole, halves))
    assert len(a.timeline.periods) == 1 and a.timeline.closings == (4 * 1440.0,)
    for column in a.visits:
        np.testing.assert_array_equal(a.visits[column], b.visits[column])


# --- reproducibility and common random numbers -------------------------------------------------
def test_same_seed_same_run_different_seed_different_run() -> None:
    scenario = demo()
    a, b, c = simulate(scenario, 42), simulate(scenario, 42), simulate(scenario, 43)
    for column in a.visits:
        np.testing.assert_array_equal(a.visits[column], b.visits[column])
    assert len(a.visits["arrival"]) != len(c.visits["arrival"]) or not np.array_equal(
        a.visits["arrival"], c.visits["arrival"])


def test_options_see_the_same_citizens() -> None:
    """Common random numbers: replication r of every option meets the same first-trip citizens."""
    results = sim.run(DEMO, replications=2, options=["baseline", "extra_general_counter"])
    first = results.visits[results.visits["trip"] == 1]
    columns = ["replication", "citizen", "arrival", "procedure"]
    by_option = {name: group[columns].reset_index(drop=True)
                 for name, group in first.groupby("option", observed=True)}
    assert by_option["baseline"].equals(by_option["extra_general_counter"])


# --- expected direction -------------------------------------------------------------------------
def float_slack(visits: dict[str, np.ndarray]) -> float:
    """How far float rounding can move a wait: every event time is the previous one plus a
    delay, one rounding each, so a time that ends a chain of n events is off by at most
    n ulps of the horizon, and a wait (a difference of two times) by twice that."""
    return 2 * len(visits["arrival"]) * math.ulp(max(float(np.nanmax(visits["end"])), 1.0))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_more_counters_never_raise_the_mean_wait(seed: int) -> None:
    visits = [simulate(small_centre(c).baseline, seed).visits for c in (1, 2, 3, 4)]
    waits = [v["wait"].mean() for v in visits]
    slack = float_slack(visits[0])
    assert all(later <= earlier + slack for earlier, later in itertools.pairwise(waits)), (
        f"mean wait by counters 1..4 should not increase for the same citizens: {waits}")


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(counters=st.integers(1, 4), per_day=st.integers(20, 250), cv=st.floats(0.1, 1.5),
       seed=st.integers(0, 2**32 - 1))
def test_each_citizen_waits_no_longer_with_one_more_counter(
    counters: int, per_day: int, cv: float, seed: int
) -> None:
    """FCFS with the same citizens: adding a counter cannot make anyone wait longer."""
    service = {"dist": "gamma", "mean": 12, "cv": cv}
    procedures = [{"id": "a", "name": "Chứng thực", "share": 1.0, "desk": "general",
                   "service": service}]
    runs = [simulate(small_centre(c, arrivals={"per_day": per_day},
                                  procedures=procedures).baseline, seed)
            for c in (counters, counters + 1)]
    fewer, more = (r.visits["wait"] for r in runs)
    slack = float_slack(runs[0].visits)
    assert (more <= fewer + slack).all(), (
        f"{int((more > fewer + slack).sum())} citizens waited longer with {counters + 1} counters")


def test_serve_all_with_a_desk_closed_before_lunch_leaves_nobody_waiting_overnight() -> None:
    """A schedule may close every counter inside the day, as long as one is open at the
    closing (check refuses the rest): nobody comes while the desk is closed (its citizens come
    in its open hours), the queue at 10:30 waits through lunch, and every visit ends on the
    day it began."""
    scenario = small_centre(2, desks={"general": {"counters": 2, "schedule": {
        "07:30": 2, "10:30": 0, "13:30": 2}}}).baseline
    visits = simulate(scenario, seed=5).visits
    assert set(np.unique(visits["outcome"])) <= {SERVED}
    assert (visits["end"] // 1440 == visits["arrival"] // 1440).all()
    clock = visits["arrival"] % 1440
    assert not ((clock >= 630) & (clock < 690)).any()
    waited_lunch = (visits["start"] % 1440 >= 630) & (visits["arrival"] % 1440 < 630)
    assert (visits["start"][waited_lunch] % 1440 >= 810).all()


# --- transition behaviour ----------------------------------------------------------------------
def test_blocked_procedure_sends_citizens_back_after_the_block() -> None:
    """Blocked on 1-2 July (Tue-Wed): those served then come back on Thursday 3 July."""
    scenario = small_centre(3, disruptions=[{"kind": "blocked", "procedure": "a",
                                             "from": "2025-07-01", "to": "2025-07-02"}]).baseline
    visits = simulate(scenario, seed=3).visits
    blocked = visits["outcome"] == BLOCKED
    assert blocked.any()
    assert (visits["arrival"][blocked] < 2 * 1440).all()
    returns = (visits["trip"] == 2) & (visits["procedure"] == 0)
    assert returns.any()
    assert (visits["arrival"][returns] // 1440 == 2).all(), "back on the first day after"


def test_guidance_ending_after_closing_sends_the_citizen_home() -> None:
    """A citizen still with a guide at closing cannot reach a counter that day."""
    scenario = small_centre(
        2, at_closing="send_home",
        procedures=[{"id": "a", "name": "Hộ tịch", "share": 1.0, "desk": "general",
                     "guidance": 1.0, "service": {"dist": "exponential", "mean": 5}}],
        guidance={"staff": 1, "service": {"dist": "deterministic", "mean": 50}}).baseline
    record = simulate(scenario, seed=2)
    _conserved(record, scenario)
    visits = record.visits
    late = visits["outcome"] == SENT_HOME
    assert late.any()
    assert (visits["end"][late] % 1440 >= 17 * 60).all(), "sent home at or after the closing"
    reached = ~np.isnan(visits["start"])
    assert (visits["start"][reached] % 1440 < 17 * 60).all(), "no counter after the closing"
