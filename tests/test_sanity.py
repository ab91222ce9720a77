"""Valid scenarios that quietly do nothing get a warning from `sim check` and `sim run`."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.analysis.sanity import scenario_warnings
from sim.scenario.load import load_scenario

VALID = Path(__file__).parent / "broken" / "valid.yaml"


def warnings_for(*overrides: str) -> list[str]:
    return scenario_warnings(load_scenario(VALID, overrides=overrides).baseline)


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
