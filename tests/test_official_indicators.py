"""The monthly indicators of the one-door system (sim/analysis/official_indicators.py): each
rule on a small table built by hand, whose counts are known exactly, and the identities that
tie a run's months to its dossier table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis.official_indicators import (
    STATES,
    month_starts,
    monthly_indicators,
    run_indicators,
)
from sim.model.calendar import MINUTES_PER_DAY, build_timeline

START = dt.date(2025, 7, 1)
AUGUST = (dt.date(2025, 8, 1) - START).days  # day 31
END = (AUGUST + 30) * MINUTES_PER_DAY + 17 * 60  # the close of 31 August
OPEN = np.nan
FIXTURE = Path(__file__).parent / "fixtures" / "office.yaml"


def at(day: int, hour: float = 10) -> float:
    return day * MINUTES_PER_DAY + hour * 60


def months(*dossiers: tuple[float, float, float]) -> pd.DataFrame:
    table = pd.DataFrame(dossiers, columns=["received", "due", "completed"])
    return run_indicators(table, START, END).set_index("month")


def test_the_months_of_a_run_start_at_the_start_date_then_on_the_first() -> None:
    assert month_starts(START, 61) == [START, dt.date(2025, 8, 1)]
    assert month_starts(dt.date(2025, 7, 20), 12) == [dt.date(2025, 7, 20), dt.date(2025, 8, 1)]
    assert month_starts(dt.date(2025, 12, 30), 3) == [dt.date(2025, 12, 30), dt.date(2026, 1, 1)]


def test_a_dossier_open_at_the_end_of_a_month_is_carried_over_into_the_next() -> None:
    table = months((at(29), at(AUGUST + 3, 17), at(AUGUST + 2)))
    july, august = table.loc["2025-07"], table.loc["2025-08"]
    assert (july["received"], july["to_handle"], july["open_in_time"]) == (1, 1, 1)
    assert (august["received"], august["carried_over"], august["to_handle"]) == (0, 1, 1)
    assert august["finished_early"] == 1 and august["late"] == 0
    assert july["on_time_rate"] == august["on_time_rate"] == 1


def test_a_dossier_finished_after_its_promised_date_is_late() -> None:
    table = months((at(2), at(5, 17), at(7)), (at(2), at(5, 17), at(4)))
    july = table.loc["2025-07"]
    assert (july["finished_late"], july["finished_early"], july["late"]) == (1, 1, 1)
    assert july["on_time_rate"] == 0.5 and july["progress_score"] == 10


def test_a_dossier_still_open_past_its_promised_date_is_late_until_it_finishes() -> None:
    table = months((at(2), at(5, 17), OPEN), (at(2), at(5, 17), at(AUGUST + 1)))
    july, august = table.loc["2025-07"], table.loc["2025-08"]
    assert (july["open_past_due"], july["late"], july["to_handle"]) == (2, 2, 2)
    assert (august["carried_over"], august["finished_late"], august["open_past_due"]) == (2, 1, 1)
    assert july["on_time_rate"] == august["on_time_rate"] == 0


def test_on_time_by_date_is_whatever_the_hour_of_the_promised_day() -> None:
    """Due at 10:00 and finished at 16:00 the same day: late by the minute, on time by date."""
    table = months((at(2), at(5, 10), at(5, 16)))
    july = table.loc["2025-07"]
    assert july["finished_on_date"] == 1 and july["late"] == 0 and july["on_time_rate"] == 1


def test_a_dossier_without_a_deadline_is_left_out() -> None:
    table = months((at(2), np.inf, OPEN), (at(3), at(6, 17), at(4)))
    assert table.loc["2025-07", "to_handle"] == 1


@pytest.fixture(scope="module")
def run() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A small centre with a back office whose 10 working days span July and August."""
    results = sim.run(FIXTURE, replications=2, seed=3,
                      overrides=["calendar.start=2025-07-24", "calendar.working_days=10"])
    scenario = results.scenarios.baseline
    end = build_timeline(scenario.calendar).days[-1].closes
    dossiers = results.dossiers[results.dossiers["replication"] == 0]
    return dossiers, run_indicators(dossiers, scenario.calendar.start, end)


def test_the_months_of_a_run_add_up_to_its_dossier_table(run: tuple) -> None:
    dossiers, table = run
    judged = dossiers[np.isfinite(dossiers["due"])]
    assert list(table["month"]) == ["2025-07", "2025-08"]
    assert table["received"].sum() == len(judged)
    assert (table[list(STATES)].sum(axis=1) == table["to_handle"]).all()
    assert (table["to_handle"] == table["received"] + table["carried_over"]).all()
    july, august = table.iloc[0], table.iloc[1]
    assert august["carried_over"] == july["open_past_due"] + july["open_in_time"]
    finished = judged["completed"].notna()
    assert table[["finished_early", "finished_on_date", "finished_late"]].sum().sum() \
        == finished.sum()
    late_by_date = (np.floor(judged["completed"] / MINUTES_PER_DAY)
                    > np.floor(judged["due"] / MINUTES_PER_DAY)) & finished
    assert table["finished_late"].sum() == late_by_date.sum()
    assert np.allclose(table["progress_score"], 20 * table["on_time_rate"])


def test_runs_counted_together_are_counted_as_each_alone() -> None:
    """A province page counts every replication of every centre in one pass: each run's rows
    are those of the run counted alone, in the order the runs first appear."""
    results = sim.run(FIXTURE, replications=3, seed=5,
                      overrides=["calendar.start=2025-07-24", "calendar.working_days=10"])
    scenario = results.scenarios.baseline
    end = build_timeline(scenario.calendar).days[-1].closes
    dossiers = results.dossiers.iloc[::-1]  # the last option's last replication first
    together = monthly_indicators(dossiers, scenario.calendar.start, end)
    assert list(together["replication"].unique()) == [2, 1, 0]
    for (option, replication), rows in together.groupby(["option", "replication"], sort=False):
        run = (dossiers["option"] == option) & (dossiers["replication"] == replication)
        alone = run_indicators(dossiers[run], scenario.calendar.start, end)
        pd.testing.assert_frame_equal(rows.drop(columns=["option", "replication"])
                                      .reset_index(drop=True), alone)
