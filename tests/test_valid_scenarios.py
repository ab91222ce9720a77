"""Valid means it runs, and runs right: properties of every scenario the schema accepts.

Hypothesis draws valid scenario documents across every section (tests/scenario_strategies.py);
for each, every option is simulated and the sample path is checked against identities that hold
exactly, whatever the scenario (tests/sample_path_checks.py): every visit ends in one outcome,
the centre ends empty, every dossier is completed or open and never before it was received, and
the time-weighted areas agree with the visit table (Little's law on the sample path).
Derandomized with bounded examples, so the file sees the same scenarios on every run.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sample_path_checks import (
    BACKLOG,
    check_areas,
    check_dossiers,
    check_ends_empty,
    check_intervals,
    check_purposes,
    check_visits,
)
from scenario_strategies import scenario_documents

from sim.analysis.columns import tidy_frame
from sim.analysis.frames import SLOT_MINUTES, intervals_columns
from sim.analysis.timeweighted import step_integral
from sim.experiment.plan import Unit
from sim.experiment.unit import measure_unit
from sim.model.calendar import MINUTES_PER_DAY
from sim.model.centre import simulate
from sim.model.desk import DeskLog
from sim.model.record import RunRecord
from sim.scenario.errors import ScenarioError
from sim.scenario.load import scenario_from_document
from sim.scenario.schema import Scenario

PROPERTY = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SEEDS = st.integers(0, 2**32 - 1)
Check = Callable[[RunRecord, Scenario, str], None]


def check_every_option(document: dict, seed: int, check: Check) -> None:
    """Simulate every option of the document with the same seed and check each run."""
    for name, scenario in scenario_from_document(document, "generated.yaml").options.items():
        check(simulate(scenario, seed), scenario, name)


@PROPERTY
@given(document=scenario_documents(), seed=SEEDS)
def test_whatever_check_accepts_runs_for_every_option(document: dict, seed: int) -> None:
    """`sim run`'s work for one replication: simulate, then every metric and every table."""
    scenarios = scenario_from_document(document, "generated.yaml")
    for name, scenario in scenarios.options.items():
        measured = measure_unit(Unit(scenario, name, 0, seed))
        assert measured.rows, name
        assert set(measured.frames) == {"visits", "intervals", "dossiers", "daily"}, name


@PROPERTY
@given(document=scenario_documents(), seed=SEEDS)
def test_every_visit_ends_in_exactly_one_outcome(document: dict, seed: int) -> None:
    check_every_option(document, seed, check_visits)


@PROPERTY
@given(document=scenario_documents(), seed=SEEDS)
def test_the_centre_ends_empty_and_serve_all_sends_nobody_home(document: dict,
                                                               seed: int) -> None:
    check_every_option(document, seed, check_ends_empty)


@PROPERTY
@given(document=scenario_documents(), seed=SEEDS)
def test_dossiers_are_completed_or_open_never_before_received(document: dict,
                                                              seed: int) -> None:
    check_every_option(document, seed, check_dossiers)


@PROPERTY
@given(document=scenario_documents(), seed=SEEDS)
def test_queue_and_busy_areas_agree_with_the_visit_table(document: dict, seed: int) -> None:
    check_every_option(document, seed, check_areas)


@PROPERTY
@given(document=scenario_documents(), seed=SEEDS)
def test_every_visit_has_a_purpose_and_a_pickup_is_served_exactly_when_ready(
        document: dict, seed: int) -> None:
    check_every_option(document, seed, check_purposes)


@PROPERTY
@given(document=scenario_documents(), seed=SEEDS)
def test_the_intervals_table_agrees_with_the_run(document: dict, seed: int) -> None:
    check_every_option(document, seed, check_intervals)


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
    table = tidy_frame([intervals_columns(record, scenario)])
    assert (table["busy_mean"] <= 1).all() and (table["open_mean"] <= 1).all()
    log = record.desk_logs["general"]
    last = table[(table["day"] == 1) & (table["time"] == "23:30")].iloc[0]
    slot = np.array([MINUTES_PER_DAY - SLOT_MINUTES, MINUTES_PER_DAY])
    queue_area = step_integral(log[:, DeskLog.TIME], log[:, DeskLog.WAITING], slot)[0]
    assert last["queue_mean"] == queue_area / SLOT_MINUTES


def test_a_dossier_received_after_the_close_is_not_due_that_day() -> None:
    """A cut-off after the 17:00 close (23:00) left dossiers received in serve_all overtime
    due at 17:00 that day, late before they were received; they now count from the next
    working day, as after the cut-off."""
    document = one_desk(calendar={"start": "2025-07-01", "working_days": 2, "cutoff": "23:00"},
                        arrivals={"per_day": 60}, at_closing="serve_all")
    document["procedures"][0]["deadline"] = {"working_days": 0}
    record = simulate(scenario_from_document(document, "cutoff.yaml").baseline, seed=1)
    received, due = record.dossiers["received"], record.dossiers["due"]
    overtime = received % MINUTES_PER_DAY > 17 * 60
    assert overtime.any(), "dossiers received in overtime were intended"
    assert (due[overtime] == received[overtime] // MINUTES_PER_DAY * MINUTES_PER_DAY
            + MINUTES_PER_DAY + 17 * 60).all()
    assert (due >= received).all()
