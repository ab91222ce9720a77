"""`sim backtest` on records whose model is known.

- On the example records, which the truth scenario generated, the 90% prediction intervals
  cover the observed days about 90% of the time: each day metric's count of covered days
  (the dossiers finished each day among them) lies in the exact two-sided binomial
  acceptance region of its nominal coverage (Bonferroni over the metrics), and no metric is
  reported missed. The period starts at the cut-over, where the truth's run began with the
  transferred dossiers the export shows open.
- A scenario without the lunch closing the centre really had is flagged: the longest wait of
  the day is missed, with the misses above the model.
- The period's on-time share of dossiers is one value: outside its 90% interval it is missed,
  and the command says so instead of "no metric missed".
- The command writes its tables and figure, prints the verdicts, and on bad rows exits with
  code 2 and writes nothing, naming the bad rows of both exports at once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy import stats

from sim.calibrate.backtest import (
    BacktestRequest,
    coverage_table,
    interval_rank,
    nominal_coverage,
    position,
    run_backtest,
)
from sim.calibrate.backtest_metrics import DAY_METRICS, SLOT_METRICS
from sim.calibrate.example.generate import RECORDS, TRUTH
from sim.calibrate.example.vendor import DOSSIER_DAMAGE, TICKET_DAMAGE
from sim.cli import main

TICKETS, COLUMNS = RECORDS / "ward_tickets.csv", RECORDS / "ward_columns.yaml"
DOSSIERS = RECORDS / "ward_dossiers.xlsx"
FIRST, LAST = dt.date(2025, 7, 1), dt.date(2025, 7, 28)


def test_the_interval_of_r_values_has_its_exact_coverage() -> None:
    assert [(r, interval_rank(r), nominal_coverage(r)) for r in (19, 39, 99)] == [
        (19, 1, 0.9), (39, 2, 0.9), (99, 5, 0.9)]
    placed = position(5.0, np.arange(1.0, 20.0))
    assert placed["low"] == 1.0 and placed["high"] == 19.0 and placed["inside"] == 1.0
    assert placed["position"] == pytest.approx(4.5 / 19)
    assert position(25.0, np.arange(1.0, 20.0))["beyond"] == 1.0


def test_coverage_is_near_nominal_on_records_the_model_generated() -> None:
    backtest = run_backtest(BacktestRequest(TRUTH, TICKETS, FIRST, LAST, COLUMNS,
                                            replications=19, skip_bad=True, dossiers=DOSSIERS))
    days = backtest.coverage[backtest.coverage["by"] == "day"]
    assert list(days["metric"]) == [*DAY_METRICS, "dossiers_completed"]
    assert (days["values"] == 20).all()
    for row in days.itertuples():
        test = stats.binomtest(row.inside, row.values, row.nominal)
        assert test.pvalue >= 0.05 / len(days), row
    assert backtest.missed.empty, backtest.missed
    assert backtest.on_time is not None and 0 < backtest.on_time["observed"] <= 1


@pytest.fixture(scope="module")
def without_lunch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The truth, but open from 07:30 to 17:00 without the lunch closing."""
    text = TRUTH.read_text(encoding="utf-8")
    text = text.replace('sessions: ["07:30-11:30", "13:30-17:00"]', 'sessions: ["07:30-17:00"]')
    text = text.replace('general: {counters: 4, schedule: {"07:30": 4, "13:30": 3}}',
                        "general: {counters: 4}")
    path = tmp_path_factory.mktemp("misspecified") / "no_lunch.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_lunch_the_scenario_lacks_is_flagged(without_lunch: Path, tmp_path: Path) -> None:
    out = tmp_path / "backtest"
    result = CliRunner().invoke(main, [
        "backtest", str(without_lunch), "--tickets", str(TICKETS), "--columns", str(COLUMNS),
        "--from", "2025-07-29", "--to", "2025-08-11", "--skip-bad", "-n", "39",
        "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "MISSED wait_max by day" in result.output
    assert "the misses lie above (the model gives too little)" in result.output
    for name in ("backtest_days.csv", "backtest_half_hours.csv", "backtest_coverage.csv",
                 "manifest.json", "figures/backtest.png"):
        assert (out / name).is_file(), name


def test_bad_rows_stop_the_backtest_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "backtest"
    result = CliRunner().invoke(main, [
        "backtest", str(TRUTH), "--tickets", str(TICKETS), "--columns", str(COLUMNS),
        "--from", "2025-07-29", "--to", "2025-08-11", "--out", str(out)])
    assert result.exit_code == 2
    assert "row 1505, column Giờ lấy số" in result.output
    assert not out.exists()


def test_bad_rows_of_both_exports_stop_the_backtest_at_once(tmp_path: Path) -> None:
    out = tmp_path / "backtest"
    result = CliRunner().invoke(main, [
        "backtest", str(TRUTH), "--tickets", str(TICKETS), "--dossiers", str(DOSSIERS),
        "--columns", str(COLUMNS), "--from", "2025-07-29", "--to", "2025-08-11",
        "--out", str(out)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert f"{TICKETS}: {len(TICKET_DAMAGE)} problems" in result.output
    assert f"{DOSSIERS}: {len(DOSSIER_DAMAGE)} problems" in result.output
    assert not out.exists()


def test_the_on_time_share_outside_its_interval_is_missed() -> None:
    days = pd.DataFrame([{"date": dt.date(2025, 7, 1), "metric": metric,
                          **position(5.0, np.arange(1.0, 20.0))} for metric in DAY_METRICS])
    slots = pd.DataFrame(columns=days.columns)
    simulated = np.linspace(0.95, 0.99, 19)
    outside = coverage_table(days, slots, position(1.0, simulated))
    assert list(outside.loc[outside["missed"], "metric"]) == ["on_time_share"]
    assert outside.iloc[-1]["by"] == "period" and outside.iloc[-1]["above"] == 1
    inside = coverage_table(days, slots, position(0.97, simulated))
    assert not inside["missed"].any()
    assert list(coverage_table(days, slots)["metric"]) == [*DAY_METRICS, *SLOT_METRICS]


def test_an_on_time_share_the_model_misses_is_not_called_no_miss(tmp_path: Path) -> None:
    """On the held-out weeks the ward finished every dossier on time, more than the truth's
    back office does there (its backlog starts with the whole work of each open dossier)."""
    result = CliRunner().invoke(main, [
        "backtest", str(TRUTH), "--tickets", str(TICKETS), "--dossiers", str(DOSSIERS),
        "--columns", str(COLUMNS), "--from", "2025-07-29", "--to", "2025-08-11", "--skip-bad",
        "-n", "19", "--out", str(tmp_path / "backtest")])
    assert result.exit_code == 0, result.output
    assert "dossiers on time over the period: observed 1.000" in result.output
    assert ("MISSED on_time_share over the period: the observed value lies outside its 90% "
            "interval, above (the model gives too little)") in result.output
    assert "no metric missed" not in result.output
