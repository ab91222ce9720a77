"""The simulation agrees with queueing theory inside 95% confidence intervals.

Each theory scenario is run for 20 independent replications (fixed root seed); the exact
steady-state value must lie inside the Student-t interval of the replication means. To show the
test can fail, each case also checks that the interval is narrow (half-width under 10% of the
value) and that theory for a neighbouring system (one counter more or less) lies outside it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.analysis.theory import QueueTheory, erlang_a, erlang_c, mg1_pollaczek_khinchine

THEORY = Path(__file__).resolve().parent.parent / "scenarios" / "theory"
REPLICATIONS = 20
PER_HOUR = 60.0


def _summary(name: str) -> pd.DataFrame:
    results = sim.run(THEORY / f"{name}.yaml", replications=REPLICATIONS)
    return results.summary.set_index("metric")


@pytest.fixture(scope="module")
def mmc() -> pd.DataFrame:
    return _summary("mmc")


@pytest.fixture(scope="module")
def erlang_a_run() -> pd.DataFrame:
    return _summary("erlang_a")


@pytest.fixture(scope="module")
def md1() -> pd.DataFrame:
    return _summary("md1")


def assert_inside(summary: pd.DataFrame, metric: str, expected: float) -> None:
    row = summary.loc[metric]
    assert row["replications"] == REPLICATIONS
    assert row["ci_low"] <= expected <= row["ci_high"], (
        f"{metric}: theory {expected:.4f} outside the 95% CI "
        f"[{row['ci_low']:.4f}, {row['ci_high']:.4f}] (simulated mean {row['mean']:.4f})"
    )
    half_width = (row["ci_high"] - row["ci_low"]) / 2
    assert half_width < 0.1 * abs(expected), (
        f"{metric}: CI half-width {half_width:.4f} is too wide to tell a wrong model apart"
    )


def assert_outside(summary: pd.DataFrame, metric: str, other: float) -> None:
    row = summary.loc[metric]
    assert not row["ci_low"] <= other <= row["ci_high"], (
        f"{metric}: the CI [{row['ci_low']:.4f}, {row['ci_high']:.4f}] also contains the value "
        f"{other:.4f} of a different system, so the test could not detect a wrong model"
    )


def _check(summary: pd.DataFrame, theory: QueueTheory, metrics: tuple[str, ...]) -> None:
    for metric in metrics:
        assert_inside(summary, metric, getattr(theory, metric))


def test_mmc_matches_erlang_c(mmc: pd.DataFrame) -> None:
    theory = erlang_c(3, 15 / PER_HOUR, 1 / 10)
    _check(mmc, theory, ("wait_mean", "waited_share", "utilisation"))
    assert mmc.loc["abandoned_share", "mean"] == 0


def test_mmc_tells_apart_one_counter_more(mmc: pd.DataFrame) -> None:
    other = erlang_c(4, 15 / PER_HOUR, 1 / 10)
    assert_outside(mmc, "wait_mean", other.wait_mean)
    assert_outside(mmc, "waited_share", other.waited_share)


def test_mmc_with_patience_matches_erlang_a(erlang_a_run: pd.DataFrame) -> None:
    theory = erlang_a(3, 21 / PER_HOUR, 1 / 10, 1 / 20)
    _check(erlang_a_run, theory,
           ("wait_mean", "waited_share", "abandoned_share", "utilisation"))
    assert_inside(erlang_a_run, "wait_served_mean", theory.served_wait_mean)


def test_erlang_a_tells_apart_other_patience(erlang_a_run: pd.DataFrame) -> None:
    other = erlang_a(3, 21 / PER_HOUR, 1 / 10, 1 / 25)
    assert_outside(erlang_a_run, "abandoned_share", other.abandoned_share)


def test_md1_matches_pollaczek_khinchine(md1: pd.DataFrame) -> None:
    theory = mg1_pollaczek_khinchine(4 / PER_HOUR, 12.0, 0.0)
    _check(md1, theory, ("wait_mean", "waited_share", "utilisation"))


def test_md1_tells_apart_exponential_service(md1: pd.DataFrame) -> None:
    exponential = mg1_pollaczek_khinchine(4 / PER_HOUR, 12.0, 1.0)
    assert_outside(md1, "wait_mean", exponential.wait_mean)
