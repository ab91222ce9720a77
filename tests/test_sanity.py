"""Valid scenarios that quietly do nothing get a warning from `sim check` and `sim run`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.analysis.sanity import scenario_warnings
from sim.cli import main
from sim.scenario.load import load_scenario

VALID = Path(__file__).parent / "broken" / "valid.yaml"


def warnings_for(*overrides: str) -> list[str]:
    return [str(w) for w in scenario_warnings(load_scenario(VALID, overrides=overrides).baseline)]


def test_a_sensible_scenario_has_no_warning() -> None:
    assert warnings_for() == []


@pytest.mark.parametrize(("override", "expected"), [
    ("arrivals.surges=[{from: 2024-07-01, to: 2024-07-04, factor: 2}]", "arrivals.surges[0]"),
    ("calendar.holidays=[2025-09-02]", "calendar.holidays: 2025-09-02"),
    ('desks.general.schedule={"07:30": 0}', "never opens a counter"),
    ("arrivals.weekday_factor={sat: 2}", "arrivals.weekday_factor.sat"),
    ("arrivals.weekday_factor={mon: 0, tue: 0, wed: 0, thu: 0, fri: 0}", "no visitor"),
    ("desks.spare={counters: 1}", "desks.spare: no procedure"),
    ('disruptions=[{kind: outage, from: "2025-06-30 08:00", minutes: 60}]',
     "disruptions[0]: 2025-06-30 08:00 lies outside"),
    ('disruptions=[{kind: outage, from: "2025-07-08 08:00", minutes: 60}]',
     "disruptions[0]: 2025-07-08 08:00 lies outside"),
    ("disruptions=[{kind: slowdown, from: 2025-06-01, to: 2025-06-30, service_factor: 2}]",
     "disruptions[0]: 2025-06-01 to 2025-06-30 lies outside"),
])
def test_odd_settings_are_named(override: str, expected: str) -> None:
    found = warnings_for(override)
    assert any(expected in warning for warning in found), found


@pytest.mark.parametrize("holiday", ["2025-07-01", "2025-07-07"])
def test_a_holiday_within_the_simulated_days_is_not_warned_about(holiday: str) -> None:
    """The simulated days start on the start date, even when that is a holiday and the first
    opening is the day after."""
    assert warnings_for(f"calendar.holidays=[{holiday}]") == []


def test_a_holiday_the_day_before_the_start_is_warned_about() -> None:
    found = warnings_for("calendar.holidays=[2025-06-30, 2025-07-01]")
    assert found == ["calendar.holidays: 2025-06-30 lies outside the simulated days "
                     "(2025-07-01 to 2025-07-08)"]


def test_a_desk_that_only_hands_over_results_is_not_called_unused() -> None:
    """The urban ward's results counter has no procedure of its own, but its land pick-ups."""
    urban = Path(__file__).parent.parent / "scenarios" / "centres" / "urban_ward_two_sites.yaml"
    with_counter = load_scenario(urban, options=["results_counter"]).options["results_counter"]
    assert not [w for w in scenario_warnings(with_counter) if "results" in str(w)]
    without = load_scenario(urban, overrides=["procedures[2].pickup.desk=null",
                                              "procedures[3].pickup.desk=null",
                                              "procedures[4].pickup.desk=null",
                                              "sites.main.desks.results={counters: 1}"]).baseline
    assert [w for w in scenario_warnings(without) if "results: no procedure" in str(w)]


def test_the_warnings_speak_the_run_s_language_and_name_options() -> None:
    """`sim check` and `sim run` say their warnings in --lang, options by their names."""
    surge = "arrivals.surges=[{from: 2024-07-01, to: 2024-07-04, factor: 2}]"
    said = CliRunner().invoke(main, ["check", str(VALID), "--set", surge]).stderr
    assert ("cảnh báo: arrivals.surges[0]: 2024-07-01 đến 2024-07-04 nằm ngoài thời gian mô "
            "phỏng") in said, said
    one_option = CliRunner().invoke(main, ["check", str(VALID), "--lang", "en", "--set",
                                           'options={"spare": {"desks.spare": {"counters": 1}}}'])
    assert "warning: Option 1: desks.spare: no procedure is served at this desk" in (
        one_option.stderr), one_option.stderr
    spare = 'options={"spare": {"desks.spare": {"counters": 1}}}'
    in_vietnamese = CliRunner().invoke(main, ["check", str(VALID), "--set", spare])
    assert "cảnh báo: «Phương án 1»: desks.spare: quầy này không phục vụ" in (
        in_vietnamese.stderr), "each option's name quoted, as the recommendation quotes them"
