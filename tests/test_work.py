"""The work an experiment asks for is known before it runs, and a too-large one is refused."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from click.testing import CliRunner, Result

from sim.cli import main
from sim.experiment.runner import run_experiment
from sim.experiment.work import STREAMED, STREAMED_WITH_REPORT, estimate_work, expected_items
from sim.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests/fixtures/tiny.yaml"
MMC = ROOT / "scenarios/theory/mmc.yaml"


def test_expected_visits_are_the_mean_of_the_simulated_arrivals() -> None:
    """Without returns every visit is a first trip, a Poisson count with the estimated mean:
    the simulated total over R runs lies within 3.3 standard deviations of R x estimate (a
    two-sided 0.1% test; the estimate is exact, not an approximation)."""
    scenarios = load_scenario(MMC, overrides=["calendar.working_days=5", "warmup_minutes=0"])
    expected = expected_items(scenarios.baseline)
    results = run_experiment(scenarios, replications=8, seed=11)
    arrived = results.replications.query("metric == 'arrived'")["value"].sum()
    assert abs(arrived - 8 * expected) <= 3.3 * math.sqrt(8 * expected)
    assert expected > 1000  # the check has power: a 10% error is many standard deviations


def test_returns_are_bounded_by_max_trips() -> None:
    scenarios = load_scenario(TINY, overrides=["return_probability=1", "max_trips=3"])
    first = load_scenario(TINY, overrides=["return_probability=0"]).baseline
    assert np.isclose(expected_items(scenarios.baseline), 3 * expected_items(first))


def test_years_of_the_busiest_centre_are_refused_before_anything_runs(tmp_path: Path) -> None:
    """The most visitors and working days the format allows: far more than memory holds."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(TINY), "--set", "arrivals.per_day=100000",
                                       "--set", "calendar.working_days=2000", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "--max-work" in result.output and "of memory" in result.output
    assert not out.exists()


def test_max_work_sets_the_limit(tmp_path: Path) -> None:
    estimate = estimate_work(load_scenario(TINY, options=["baseline"]).options.values(), 1)
    args = ["run", str(TINY), "-n", "1", "-q", "--no-report", "--option", "baseline",
            "--out", str(tmp_path / "out")]
    refused = CliRunner().invoke(main, [*args, "--max-work", str(estimate.items / 2)])
    assert refused.exit_code == 2 and "above the limit" in refused.output
    allowed = CliRunner().invoke(main, [*args, "--max-work", str(estimate.items * 2)])
    assert allowed.exit_code == 0, allowed.output


def test_a_streamed_run_is_refused_only_for_what_it_keeps(tmp_path: Path) -> None:
    """`sim run` and `sim compare` stream each run's tables to disk: they hold the largest run,
    and the columns their report reads back."""
    estimate = estimate_work(load_scenario(TINY).options.values(), 8)
    streamed, with_report = (estimate.held_items(STREAMED),
                             estimate.held_items(STREAMED_WITH_REPORT))
    assert streamed == estimate.largest_run < with_report < estimate.items

    def invoke(limit: float, *args: str) -> Result:
        return CliRunner().invoke(main, [*args, str(TINY), "-n", "8", "-q", "--max-work",
                                         str(limit), "--out", str(tmp_path / "out")])

    limit = (streamed + with_report) / 2
    for command in ("run", "compare"):
        assert invoke(limit, command, "--no-report").exit_code == 0
        refused = invoke(limit, command)
        assert refused.exit_code == 2 and "--no-report" in refused.output, refused.output
        assert "the report reads back the columns it draws" in refused.output
        assert invoke((with_report + estimate.items) / 2, command).exit_code == 0
