"""A target with nothing to measure, or a warm-up with nothing after it, is an error at load:
an empty metric must never pass for a target met."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.model.calendar import build_timeline
from sim.scenario.errors import ScenarioError
from sim.scenario.load import load_scenario
from sim.scenario.opening_days import last_closing
from sim.scenario.schema import WEEKDAYS, Calendar

VALID = Path(__file__).parent / "broken" / "valid.yaml"
BACK_OFFICE = ("procedures[1].back_office={hours: {dist: exponential, mean: 0.5}}",
               "back_office={staff: 1, hours_per_day: 6}")
NO_DOSSIERS = "no procedure that citizens come for has back_office work, so there are no dossiers"
NO_DEADLINES = "no procedure with back_office work has a deadline and there is no backlog"


def _message(*overrides: str) -> str:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(VALID, overrides=overrides)
    return str(caught.value)


@pytest.mark.parametrize("target", ["on_time_share=0.9", "overdue=5", "lateness_p90=1"])
def test_a_dossier_target_without_a_back_office_is_an_error(target: str) -> None:
    name = target.split("=")[0]
    message = _message(f"targets.{target}")
    assert message.startswith(f"{VALID}: targets.{name} (set by --set targets.{name}): got ")
    assert NO_DOSSIERS in message and len(message.splitlines()) == 1


def test_a_dossier_target_without_deadlines_is_an_error() -> None:
    message = _message(*BACK_OFFICE, "targets.overdue=5")
    assert NO_DEADLINES in message


def test_a_back_office_procedure_nobody_comes_for_has_no_dossiers() -> None:
    message = _message(*BACK_OFFICE, "procedures[1].deadline={working_days: 5}",
                       "procedures[0].share=1", "procedures[1].share=0", "targets.overdue=5")
    assert NO_DOSSIERS in message


@pytest.mark.parametrize("deadlines", [
    ("procedures[1].deadline={working_days: 5}",),
    ("backlog=[{procedure: land, count: 10, days_left: -3}]",),
])
def test_a_dossier_target_with_dossiers_to_judge_loads(deadlines: tuple[str, ...]) -> None:
    scenario = load_scenario(VALID, overrides=[*BACK_OFFICE, *deadlines,
                                               "targets.on_time_share=0.9"]).baseline
    assert scenario.targets.on_time_share == 0.9


def test_an_option_that_removes_the_deadlines_is_an_error() -> None:
    message = _message(*BACK_OFFICE, "procedures[1].deadline={working_days: 5}",
                       "targets.on_time_share=0.9",
                       'options={no_deadline: {"procedures[1].deadline": null}}')
    assert message.startswith(f"{VALID}: options.no_deadline.targets.on_time_share: got 0.9")


def test_sim_check_refuses_an_unmeasurable_target() -> None:
    result = CliRunner().invoke(main, ["check", str(VALID), "--set", "targets.overdue=3"])
    assert result.exit_code == 2 and NO_DOSSIERS in result.output
    assert "Traceback" not in result.output


def test_a_warm_up_until_the_last_closing_is_an_error() -> None:
    """Five working days from Tuesday 1 July close on Monday 7 July at 17:00: minute
    6 x 1440 + 1020 = 9660."""
    message = _message("warmup_minutes=9660")
    assert ("warmup_minutes (set by --set warmup_minutes): got 9660.0; allowed: greater than or "
            "equal to 0 and less than 9,660, the minutes from 00:00 of the start date to the "
            "run's last closing (2025-07-07 17:00)") in message
    assert load_scenario(VALID, overrides=["warmup_minutes=9659"]).baseline.warmup_minutes == 9659


SESSIONS = [["07:30-11:30", "13:30-17:00"], ["00:00-24:00"], ["08:00-12:00"],
            ["00:00-12:00", "12:00-24:00"], ["13:00-24:00"]]


@settings(max_examples=200, deadline=None)
@given(start=st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
       working_days=st.integers(1, 40),
       weekdays=st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True),
       sessions=st.sampled_from(SESSIONS), saturday=st.sampled_from([[], *SESSIONS]),
       holidays=st.lists(st.integers(0, 60), max_size=8))
def test_last_closing_is_the_timelines_last_closing(
        start: dt.date, working_days: int, weekdays: list[str], sessions: list[str],
        saturday: list[str], holidays: list[int]) -> None:
    """The loader's warm-up check reads the last closing without the model: it must be the
    one the model's timeline ends with."""
    calendar = Calendar(start=start, working_days=working_days, weekdays=weekdays,
                        sessions=sessions, saturday_sessions=saturday,
                        holidays=[start + dt.timedelta(days=d) for d in holidays])
    assert last_closing(calendar) == build_timeline(calendar).closings[-1]
