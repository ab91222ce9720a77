"""Disruptions at the edges of the run: an outage dated outside the simulated days must not crash
the run, and stops the counters only for the part of it that lies inside."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.model.centre import simulate
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario

VALID = Path(__file__).parent / "broken" / "valid.yaml"  # opens 07:30 on Tuesday 1 July 2025


def with_outage(moment: str, minutes: int) -> Scenario:
    outage = f'{{kind: outage, from: "{moment}", minutes: {minutes}}}'
    return load_scenario(VALID, overrides=[f"disruptions=[{outage}]"]).baseline


def test_an_outage_over_before_the_start_changes_nothing() -> None:
    plain = simulate(load_scenario(VALID).baseline, seed=4).visits
    early = simulate(with_outage("2025-06-30 08:00", 60), seed=4).visits
    for column in ("arrival", "start", "end", "outcome"):
        np.testing.assert_array_equal(early[column], plain[column])


def test_an_outage_that_began_before_the_start_stops_the_counters_from_the_start() -> None:
    """From 23:00 on 30 June for 10 hours: nobody is served before 09:00 on 1 July."""
    visits = simulate(with_outage("2025-06-30 23:00", 600), seed=4).visits
    starts = visits["start"][~np.isnan(visits["start"])]
    first_day = starts[starts < 1440]
    assert first_day.min() == 9 * 60
    assert (visits["arrival"] < 8 * 60).any()  # citizens were there to be served earlier


def test_an_outage_after_the_end_runs() -> None:
    """After the last simulated day (Monday 7 July): nothing left to stop."""
    visits = simulate(with_outage("2025-08-01 08:00", 60), seed=4).visits
    assert len(visits["arrival"]) > 0
