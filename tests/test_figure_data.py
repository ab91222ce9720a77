"""The numbers behind the figures, checked against the result frames computed here another way,
without matplotlib.

The runs are those of tests/test_plots.py: tests/fixtures/tiny.yaml (no back office, no
warm-up) and tests/fixtures/office.yaml (a back office, a transferred backlog, targets, and a
warm-up of one day, so that what the figures count differs from the raw frames).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis import figure_data
from sim.experiment.runner import Results

FIXTURES = Path(__file__).parent / "fixtures"
WARMUP_DAYS = 1  # office.yaml: warmup_minutes 1440, and its first day is its start date


@pytest.fixture(scope="module")
def tiny() -> Results:
    return sim.run(FIXTURES / "tiny.yaml", replications=2, seed=7)


@pytest.fixture(scope="module")
def office() -> Results:
    return sim.run(FIXTURES / "office.yaml", replications=3, seed=7)


def minutes_of(label: str) -> int:
    clock = datetime.strptime(label, "%H:%M")
    return clock.hour * 60 + clock.minute


def counted_visits(results: Results, option: str) -> pd.DataFrame:
    """The option's visits after its warm-up, straight from the visits table."""
    visits = results.visits
    warmup = results.scenarios.options[option].warmup_minutes
    return visits[(visits["option"] == option) & (visits["arrival"] >= warmup)]


def one_of(results: Results, **rows: pd.Series) -> Results:
    """The results with only the rows picked (a boolean series per frame) of some frames."""
    return Results(**{**vars(results), **{name: getattr(results, name)[picked]
                                          for name, picked in rows.items()}})


def rows_of(table: pd.DataFrame, option: str) -> pd.DataFrame:
    return table[table["option"] == option].set_index("slot")


# --- what is counted -------------------------------------------------------------------------
def test_results_and_figure_data_need_neither_matplotlib_nor_output() -> None:
    """Layers run one way: the runner and the figures' numbers never import the drawing (nor
    does ``import sim``, which offers ResultPlots without loading matplotlib)."""
    code = ("import sys, sim, sim.experiment.runner, sim.analysis.figure_data; "
            "print(sorted(m for m in sys.modules if m.startswith(('matplotlib', 'sim.output'))))")
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout.strip()
    assert printed == "[]"


def test_counted_intervals_skip_the_warm_up_day_and_carry_minutes(office: Results) -> None:
    counted = figure_data.counted_intervals(office)
    assert counted["day"].min() == WARMUP_DAYS + 1
    assert len(counted) == (office.intervals["day"] > WARMUP_DAYS).sum()
    assert (counted["slot"] == counted["time"].map(minutes_of)).all()


def test_counted_visits_are_those_after_the_warm_up(office: Results) -> None:
    counted = figure_data.counted_visits(office)
    assert len(counted) == sum(len(counted_visits(office, o)) for o in office.scenarios.options)
    assert len(counted) < len(office.visits)
    assert (counted["arrival"] >= 1440).all()


# --- waits -----------------------------------------------------------------------------------
@pytest.mark.parametrize("option", ["baseline", "more_staff"])
def test_wait_curve_is_the_share_of_waits_at_or_below_each_point(office: Results,
                                                                 option: str) -> None:
    curves = figure_data.wait_curves(office).curves
    mine = curves[curves["option"] == option]
    waits = counted_visits(office, option)["wait"].to_numpy()
    assert len(mine) == figure_data.ECDF_POINTS
    for point, share in zip(mine["wait"].iloc[::97], mine["share"].iloc[::97], strict=True):
        assert share == pytest.approx((waits <= point).mean())
    assert mine["share"].is_monotonic_increasing


def test_wait_curves_end_at_the_99th_percentile_or_beyond_the_targets(office: Results,
                                                                      tiny: Results) -> None:
    data = figure_data.wait_curves(office)
    assert [(t.metric, t.minutes, t.share) for t in data.targets] == [
        ("wait_p90", 20, 0.9), ("within_target_share", 12, 0.8)]
    pooled = figure_data.counted_visits(office)["wait"]
    assert data.right == pytest.approx(max(np.percentile(pooled, 99), 25.0))
    assert data.curves["wait"].max() == pytest.approx(data.right)
    assert data.cut == bool(pooled.max() > data.right)
    assert [t.metric for t in figure_data.wait_curves(tiny).targets] == ["within_target_share"]
    nobody_waits = figure_data.wait_curves(one_of(office, visits=office.visits["wait"] == 0))
    assert (nobody_waits.right, nobody_waits.cut) == (25.0, False)  # 1.25 x the 20-min target
    assert (nobody_waits.curves["share"] == 1).all()


def test_waits_by_time_of_day_match_the_visits_of_each_half_hour(office: Results) -> None:
    table = figure_data.waits_by_time_of_day(office)
    visits = counted_visits(office, "more_staff")
    clock = visits["arrival"] % 1440
    in_slot = visits.loc[(clock >= 9 * 60) & (clock < 9 * 60 + 30), "wait"]
    row = rows_of(table, "more_staff").loc[9 * 60]
    assert (row["visits"], row["mean"]) == (len(in_slot), pytest.approx(in_slot.mean()))
    assert row["p90"] == pytest.approx(in_slot.quantile(0.9))
    slots = rows_of(table, "baseline").index.to_numpy()
    assert (np.diff(slots) == 30).all()  # every half-hour, gaps included
    assert rows_of(table, "baseline").loc[12 * 60, ["mean", "p90"]].isna().all()  # lunch
    assert list(rows_of(table, "more_staff").index) == list(slots)


def test_half_hours_with_few_visits_are_gaps(tiny: Results) -> None:
    """One day of one replication, so that some half-hours have a few visits but not five."""
    one_day = (tiny.visits["replication"] == 0) & (tiny.visits["day"] == 1)
    table = rows_of(figure_data.waits_by_time_of_day(one_of(tiny, visits=one_day)), "baseline")
    visits = counted_visits(one_of(tiny, visits=one_day), "baseline")
    counts = (visits["arrival"] % 1440 // 30 * 30).value_counts().reindex(table.index,
                                                                          fill_value=0)
    enough = counts >= figure_data.MIN_VISITS_PER_SLOT
    assert ((counts > 0) & ~enough).any() and enough.any()
    assert (table.loc[enough, "visits"] == counts[enough]).all()
    assert table.loc[~enough, ["visits", "mean", "p90"]].isna().all().all()


# --- counters --------------------------------------------------------------------------------
def test_queue_band_is_over_replications_of_the_median_day(office: Results) -> None:
    table = figure_data.queue_through_day(office)
    intervals = office.intervals
    at_ten = intervals[(intervals["option"] == "baseline") & (intervals["time"] == "10:00")
                       & (intervals["day"] > WARMUP_DAYS)]
    centre = at_ten.groupby(["replication", "day"])["queue_mean"].sum()
    typical = centre.groupby("replication").median()
    row = rows_of(table, "baseline").loc[10 * 60]
    assert row["median"] == pytest.approx(typical.median())
    assert (row["low"], row["high"]) == (pytest.approx(typical.quantile(0.1)),
                                         pytest.approx(typical.quantile(0.9)))
    assert (table["low"] <= table["median"] + 1e-12).all()
    assert (table["median"] <= table["high"] + 1e-12).all()


def test_queue_of_one_day_and_replication_is_the_intervals_sum(tiny: Results) -> None:
    """With one replication the band collapses: each value is the day's queue, summed over
    desks, and the mean over the day's half-hours equals the intervals' mean."""
    one = one_of(tiny, intervals=(tiny.intervals["replication"] == 0)
                 & (tiny.intervals["day"] == 1))
    table = rows_of(figure_data.queue_through_day(one), "extra_general")
    intervals = one.intervals[one.intervals["option"] == "extra_general"]
    by_slot = intervals.groupby("time")["queue_mean"].sum()
    by_slot.index = by_slot.index.map(minutes_of)
    shown = by_slot.reindex(table.index)
    assert table["median"].to_numpy() == pytest.approx(shown.to_numpy())
    assert table["median"].mean() == pytest.approx(shown.mean())
    assert (table["low"] == table["high"]).all()


def test_utilisation_cell_is_busy_over_available_counter_minutes(tiny: Results) -> None:
    grid = figure_data.desk_utilisation(tiny, "extra_general")
    rows = tiny.intervals[(tiny.intervals["option"] == "extra_general")
                          & (tiny.intervals["desk"] == "general")
                          & (tiny.intervals["time"] == "10:00")]
    expected = rows["busy_mean"].sum() / np.maximum(rows["busy_mean"], rows["open_mean"]).sum()
    assert grid.loc["general", 10 * 60] == pytest.approx(expected)
    assert list(grid.index) == ["general", "land"]
    assert (list(grid.columns[[0, -1]]), len(grid.columns)) == ([7 * 60 + 30, 16 * 60 + 30], 19)
    assert grid[12 * 60].isna().all()  # closed for lunch: no share, not zero
    closing = tiny.intervals[(tiny.intervals["option"] == "extra_general")
                             & (tiny.intervals["time"] == "11:30")]
    assert closing["busy_mean"].sum() > 0 and closing["open_mean"].sum() == 0
    assert grid[11 * 60 + 30].isna().all()  # closed, though counters finish their citizens
    assert np.nanmin(grid.to_numpy()) >= 0 and np.nanmax(grid.to_numpy()) <= 1


def test_utilisation_of_the_baseline_unless_named(tiny: Results) -> None:
    assert figure_data.desk_utilisation(tiny).equals(
        figure_data.desk_utilisation(tiny, "baseline"))
    assert len(figure_data.desk_utilisation(tiny, "longer_sessions").columns) == 21  # 07:00-17:30
    with pytest.raises(ValueError, match="no option 'nope'; the options are baseline"):
        figure_data.desk_utilisation(tiny, "nope")


# --- back office -----------------------------------------------------------------------------
def test_backlog_is_the_daily_mean_with_its_band(office: Results) -> None:
    data = figure_data.backlog_by_day(office)
    assert data is not None and data.transferred and data.overdue_target == 5
    daily = office.daily[office.daily["option"] == "more_staff"]
    for measure in figure_data.BACKLOG_MEASURES:
        shown = data.days[(data.days["option"] == "more_staff")
                          & (data.days["measure"] == measure)]
        by_date = daily.groupby("date")[measure]
        assert list(shown["date"]) == list(pd.to_datetime(by_date.mean().index))
        assert shown["mean"].to_numpy() == pytest.approx(by_date.mean().to_numpy())
        assert shown["low"].to_numpy() == pytest.approx(by_date.quantile(0.1).to_numpy())
        assert shown["high"].to_numpy() == pytest.approx(by_date.quantile(0.9).to_numpy())


def test_no_backlog_without_a_back_office(tiny: Results) -> None:
    assert figure_data.backlog_by_day(tiny) is None


# --- options ---------------------------------------------------------------------------------
def test_option_metrics_are_the_summary_with_clipped_intervals(office: Results) -> None:
    data = figure_data.option_metrics(office)
    assert [panel.metric for panel in data.panels] == [
        "wait_mean", "wait_p90", "within_target_share", "abandoned_share", "on_time_share",
        "overdue"]
    assert {panel.metric: panel.target for panel in data.panels} == {
        "wait_mean": None, "wait_p90": 20.0, "within_target_share": 0.8,
        "abandoned_share": None, "on_time_share": 0.9, "overdue": 5.0}
    summary = office.summary.astype({"option": str}).set_index(["metric", "option"])
    for panel in data.panels:
        rows = panel.options.set_index("option")
        expected = summary.loc[panel.metric].reindex(list(data.options))
        assert rows["mean"].to_numpy() == pytest.approx(expected["mean"].to_numpy())
        top = 1.0 if panel.share else np.inf
        assert rows["low"].to_numpy() == pytest.approx(expected["ci_low"].clip(0, top))
        assert rows["high"].to_numpy() == pytest.approx(expected["ci_high"].clip(0, top))
        assert (rows["mean"] - rows["below"]).to_numpy() == pytest.approx(rows["low"])
    assert data.target_minutes == 12


def test_chosen_metrics_are_checked(tiny: Results) -> None:
    data = figure_data.option_metrics(tiny, ["utilisation"])
    assert [(p.metric, p.share) for p in data.panels] == [("utilisation", True)]
    assert [p.metric for p in figure_data.option_metrics(tiny).panels][-1] == "abandoned_share"
    with pytest.raises(ValueError, match="no metric 'on_time_share'"):
        figure_data.option_metrics(tiny, ["on_time_share"])
    with pytest.raises(ValueError, match="no metrics to compare"):
        figure_data.option_metrics(tiny, [])


def test_no_option_metrics_when_no_headline_metric_has_a_value(tiny: Results) -> None:
    """Nobody came in any run: every wait and share is undefined, so there is nothing to show."""
    headline = tiny.summary["metric"].isin(figure_data.HEADLINE_METRICS)
    nobody = tiny.summary.assign(mean=tiny.summary["mean"].where(~headline))
    empty = Results(**{**vars(tiny), "summary": nobody})
    assert figure_data.option_metrics(empty) is None
    assert [p.metric for p in figure_data.option_metrics(empty, ["utilisation"]).panels] == [
        "utilisation"]
