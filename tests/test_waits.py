"""`sim.analysis.waits`: the one definition of the wait metrics, checked against numpy directly,
and the places that use it (run metrics, the per-desk staffing check, the block criteria)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.staffing.check import per_desk_metrics
from sim.analysis.staffing.criteria import Criterion, target_criterion
from sim.analysis.targets import parse_target
from sim.analysis.waits import WAIT_METRICS, VisitWaits, wait_statistics

RNG = np.random.default_rng(20250701)
SAMPLES = {
    "one visit": VisitWaits(np.array([4.0]), np.array([True]), np.array([False])),
    "nobody waited": VisitWaits(np.zeros(5), np.ones(5, bool), np.zeros(5, bool)),
    "ties at the target": VisitWaits(np.array([0.0, 15.0, 15.0, 15.0, 16.0, 40.0]),
                                     np.array([True, True, False, True, True, False]),
                                     np.array([False, False, True, False, False, True])),
    "gamma waits": VisitWaits(RNG.gamma(0.7, 12.0, 997) * (RNG.random(997) < 0.8),
                              RNG.random(997) < 0.9, RNG.random(997) < 0.05),
}


def direct(visits: VisitWaits, minutes: float) -> dict[str, float]:
    """Each metric written out with numpy, the way the documentation defines it."""
    wait = visits.wait
    return {
        "wait_mean": np.mean(wait),
        "wait_served_mean": np.mean(wait[visits.reached]) if visits.reached.any() else np.nan,
        "wait_p50": np.quantile(wait, 0.5, method="linear"),
        "wait_p90": np.quantile(wait, 0.9, method="linear"),
        "wait_p95": np.quantile(wait, 0.95, method="linear"),
        "wait_max": np.max(wait),
        "waited_share": np.count_nonzero(wait > 0) / len(wait),
        "within_target_share": np.count_nonzero(visits.reached & (wait <= minutes)) / len(wait),
        "abandoned_share": np.count_nonzero(visits.abandoned) / len(wait),
    }


@pytest.mark.parametrize("name", list(SAMPLES))
def test_wait_statistics_equal_numpy(name: str) -> None:
    visits = SAMPLES[name]
    found = wait_statistics(visits, 15.0)
    assert list(found) == list(WAIT_METRICS)
    expected = direct(visits, 15.0)
    for metric in WAIT_METRICS:
        assert found[metric] == pytest.approx(expected[metric], rel=1e-12, nan_ok=True), metric
        assert type(found[metric]) is float


def test_the_ties_sample_by_hand() -> None:
    found = wait_statistics(SAMPLES["ties at the target"], 15.0)
    # Waiting exactly 15 minutes counts as within 15; the visit that gave up at 15 does not.
    assert found["within_target_share"] == 3 / 6
    assert found["waited_share"] == 5 / 6 and found["abandoned_share"] == 2 / 6
    assert found["wait_p50"] == 15.0 and found["wait_max"] == 40.0


def test_no_visits_give_no_numbers() -> None:
    empty = VisitWaits(np.array([]), np.array([], bool), np.array([], bool))
    assert all(np.isnan(v) for v in wait_statistics(empty, 15.0).values())


@pytest.mark.parametrize(("text", "metric"), [
    ("wait_mean<=5", "wait_mean"), ("waited_share<=0.5", "waited_share"),
    ("abandoned_share<=0.1", "abandoned_share"), ("within_target_share>=0.8", None),
])
def test_a_criterion_averages_to_its_metric(text: str, metric: str | None) -> None:
    """The block criteria average the same per-visit quantities the metrics are shares of."""
    visits = SAMPLES["gamma waits"]
    criterion = target_criterion(parse_target(text), 15.0)
    mean = float(criterion.per_visit(visits).mean())
    found = wait_statistics(visits, 15.0)
    expected = found[metric] if metric else 1 - found["within_target_share"]
    assert mean == pytest.approx(expected, rel=1e-12)


def test_a_percentile_target_is_a_share_beyond_its_minutes() -> None:
    visits = SAMPLES["gamma waits"]
    criterion = target_criterion(parse_target("wait_p90<=20"), 15.0)
    assert criterion == Criterion("exceed", 20.0, pytest.approx(0.1))
    beyond = criterion.per_visit(visits).mean()
    p90 = wait_statistics(visits, 15.0)["wait_p90"]
    assert (beyond <= criterion.limit) == (p90 <= 20.0)


def test_per_desk_metrics_are_the_wait_statistics_of_each_desk() -> None:
    visits = SAMPLES["gamma waits"]
    frame = pd.DataFrame({
        "replication": np.arange(len(visits)) % 2, "desk": np.where(
            np.arange(len(visits)) % 3 == 0, "land", "general"),
        "arrival": np.linspace(0.0, 900.0, len(visits)), "wait": visits.wait,
        "start": np.where(visits.reached, 1.0, np.nan),
        "outcome": pd.Categorical(np.where(visits.abandoned, "abandoned", "served"))})
    table = per_desk_metrics(frame, 100.0, 15.0)
    for (replication, desk), rows in table.groupby(["replication", "desk"]):
        mine = frame[(frame["replication"] == replication) & (frame["desk"] == desk)
                     & (frame["arrival"] >= 100.0)]
        expected = direct(VisitWaits.of_frame(mine), 15.0)
        for metric, value in zip(rows["metric"], rows["value"], strict=True):
            assert value == pytest.approx(expected[metric], rel=1e-12), (desk, metric)
