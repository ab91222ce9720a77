"""The `counter_first` policy keeps its promises: citizens are served exactly as under
`dedicated`, and the back office loses no working time to it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.model.back_office import BackOfficeLog
from sim.model.centre import simulate
from sim.model.desk import DeskLog
from sim.model.record import RunRecord
from sim.scenario.load import load_scenario, scenario_from_document
from sim.scenario.schema import Scenario


def helped_centre(policy: str, desk: dict, chunk: float = 60, **changes: object) -> Scenario:
    """Two days, a lunch break, one desk whose idle counters can take long pieces of
    back-office work (by default 60 minutes: long enough that a late recall shows)."""
    document = {
        "name": "counter first",
        "calendar": {"start": "2025-07-01", "working_days": 2,
                     "sessions": ["07:30-11:30", "13:30-17:00"]},
        "arrivals": {"per_day": 70},
        "procedures": [
            {"id": "a", "name": "A", "share": 0.5, "desk": "general",
             "service": {"dist": "exponential", "mean": 10}},
            {"id": "b", "name": "B", "share": 0.5, "desk": "general",
             "service": {"dist": "gamma", "mean": 12, "cv": 0.7},
             "back_office": {"hours": {"dist": "exponential", "mean": 2}},
             "deadline": {"working_days": 3}},
        ],
        "desks": {"general": desk},
        "back_office": {"staff": 1, "hours_per_day": 6, "policy": policy,
                        "chunk_minutes": chunk},
        "backlog": [{"procedure": "b", "count": 20, "days_left": 5}],
        **changes,
    }
    return scenario_from_document(document, "counter-first.yaml").baseline


def assert_same_visits(a: RunRecord, b: RunRecord) -> None:
    assert a.visits.keys() == b.visits.keys()
    for column in a.visits:
        np.testing.assert_array_equal(a.visits[column], b.visits[column], err_msg=column)


DROPS = {"counters": 3, "schedule": {"07:30": 3, "09:00": 1, "10:00": 2, "14:00": 1}}
OUTAGES = [{"kind": "outage", "from": "2025-07-01 09:20", "minutes": 25},
           {"kind": "outage", "from": "2025-07-02 15:10", "minutes": 10}]
CASES = {
    "schedule drops": (DROPS, {}),
    "outages": ({"counters": 2}, {"disruptions": OUTAGES, "arrivals": {"per_day": 30}}),
    "drops, outages and patience": (DROPS, {"disruptions": OUTAGES,
                                            "patience": {"dist": "exponential", "mean": 40},
                                            "return_probability": 0.5}),
}


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("case", list(CASES))
def test_citizens_wait_exactly_as_under_dedicated(case: str, seed: int) -> None:
    """Whenever a citizen waits and fewer open counters serve citizens than are open, a helper
    comes back at once: so every visit starts, ends and waits as under `dedicated`, also when a
    schedule drops while counters help, after an outage and over lunch."""
    desk, changes = CASES[case]
    dedicated, counter_first = (simulate(helped_centre(policy, desk, **changes), seed)
                                for policy in ("dedicated", "counter_first"))
    helping = np.concatenate([log[:, DeskLog.HELPING]
                              for log in counter_first.desk_logs.values()])
    assert helping.max() > 0, "the counters were meant to help the back office"
    assert_same_visits(dedicated, counter_first)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(counters=st.integers(1, 3), per_day=st.integers(10, 120),
       schedule=st.dictionaries(st.sampled_from(["07:30", "08:15", "09:40", "10:55", "13:30",
                                                 "14:20", "15:45"]),
                                st.integers(0, 3), max_size=4),
       outages=st.lists(st.tuples(st.sampled_from(["2025-07-01", "2025-07-02"]),
                                  st.integers(7 * 60 + 30, 16 * 60), st.integers(1, 90)),
                        max_size=3),
       chunk=st.sampled_from([5, 15, 45, 120]), patience=st.booleans(),
       seed=st.integers(0, 2**32 - 1))
def test_counter_first_never_changes_a_visit(counters: int, per_day: int,
                                             schedule: dict[str, int],
                                             outages: list[tuple[str, int, int]], chunk: int,
                                             patience: bool, seed: int) -> None:
    """The same identity on small random centres: any schedule, outages, piece length."""
    desk: dict[str, object] = {"counters": counters}
    if schedule:
        desk["schedule"] = {clock: min(level, counters) for clock, level in schedule.items()}
    changes: dict[str, object] = {
        "arrivals": {"per_day": per_day},
        "disruptions": [{"kind": "outage", "from": f"{day} {start // 60:02d}:{start % 60:02d}",
                         "minutes": minutes} for day, start, minutes in outages],
    }
    if patience:
        changes["patience"] = {"dist": "exponential", "mean": 30}
    runs = [simulate(helped_centre(policy, desk, chunk, **changes), seed)
            for policy in ("dedicated", "counter_first")]
    assert_same_visits(*runs)


def back_office_day(desk: dict, backlog: list[dict]) -> Scenario:
    """One day, one counter under counter_first and one dedicated staff member at half a
    staff-hour per hour (3.75 hours over 7.5 open hours); citizens come only after 16:00, so
    the morning belongs to the transferred dossiers."""
    return scenario_from_document({
        "name": "back office day",
        "calendar": {"start": "2025-07-01", "working_days": 1,
                     "sessions": ["07:30-11:30", "13:30-17:00"]},
        "arrivals": {"per_day": 5, "profile": {"07:30": 0, "16:00": 1, "17:00": 0}},
        "procedures": [
            {"id": "visit", "name": "Visit", "share": 1.0, "desk": "general",
             "service": {"dist": "deterministic", "mean": 5}},
            {"id": "quick", "name": "Quick", "share": 0.0, "desk": "general",
             "service": {"dist": "deterministic", "mean": 5},
             "back_office": {"hours": {"dist": "deterministic", "mean": 5 / 60}},
             "deadline": {"working_days": 1}},
            {"id": "long", "name": "Long", "share": 0.0, "desk": "general",
             "service": {"dist": "deterministic", "mean": 5},
             "back_office": {"hours": {"dist": "deterministic", "mean": 1}},
             "deadline": {"working_days": 2}},
        ],
        "desks": {"general": desk},
        "back_office": {"staff": 1, "hours_per_day": 3.75, "policy": "counter_first",
                        "chunk_minutes": 15},
        "backlog": backlog,
    }, "back-office-day.yaml").baseline


def completed(record: RunRecord) -> dict[str, float]:
    names = ["visit", "quick", "long"]
    return {names[p]: c for p, c in zip(record.dossiers["procedure"], record.dossiers["completed"],
                                        strict=True)}


def test_dedicated_staff_take_a_new_dossier_before_a_counter_does() -> None:
    """A one-hour dossier at 07:30 with a free counter and a free staff member: the staff
    member takes it (two hours at half speed, done 09:30); the counter never helps."""
    record = simulate(back_office_day({"counters": 1},
                                      [{"procedure": "long", "count": 1, "days_left": 2}]), 1)
    assert completed(record)["long"] == pytest.approx(9.5 * 60, abs=1e-9)
    assert record.desk_logs["general"][:, DeskLog.HELPING].max() == 0


def test_a_dossier_a_counter_hands_back_goes_to_idle_staff_at_once() -> None:
    """07:30: the staff member takes the quick dossier (5 minutes of work, 10 at half speed),
    the counter the long one, in a 15-minute piece. The counter closes at 07:40 and its piece
    ends at 07:45; the staff member, idle since 07:40, takes the long dossier's 45 minutes left
    at once (90 minutes at half speed): done at 09:15, not after lunch."""
    desk = {"counters": 1, "schedule": {"07:30": 1, "07:40": 0}}
    backlog = [{"procedure": "quick", "count": 1, "days_left": 1},
               {"procedure": "long", "count": 1, "days_left": 2}]
    done = completed(simulate(back_office_day(desk, backlog), 1))
    assert done["quick"] == pytest.approx(7 * 60 + 40, abs=1e-9)
    assert done["long"] == pytest.approx(9 * 60 + 15, abs=1e-9)


CENTRES = Path(__file__).resolve().parent.parent / "scenarios" / "centres"
HIGHLAND = CENTRES / "highland_commune.yaml"


@pytest.mark.parametrize("option", ["baseline", "counter_first"])
def test_no_dedicated_staff_idle_while_a_dossier_waits(option: str) -> None:
    """Work conservation in the highland commune: in no stretch of time is a dedicated staff
    member on duty idle while a dossier is queued (taken by nobody)."""
    scenario = load_scenario(HIGHLAND, options=[option]).options[option]
    for seed in (1, 2):
        record = simulate(scenario, seed)
        log = record.back_office_log
        times, queued = log[:, BackOfficeLog.TIME], log[:, BackOfficeLog.QUEUED]
        lasts = np.diff(times, append=record.horizon_end) > 0
        idle = log[:, BackOfficeLog.ON_DUTY] > log[:, BackOfficeLog.BUSY]
        idle_while_queued = lasts & idle & (queued > 0)
        assert queued.max() > 0, "dossiers were meant to queue"
        assert not idle_while_queued.any(), (
            f"seed {seed}: idle staff with dossiers queued from minute "
            f"{times[idle_while_queued][:5]}")
