"""The province ranking's order (sim.analysis.ranking), on made-up summaries of the test
province's four centres, whose targets are wait_p90 <= 30 and on_time_share >= 0.9."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from sim.analysis.ranking import rank_centres
from sim.scenario.province.load import load_province

PROVINCE = Path(__file__).parent / "fixtures" / "province" / "province.yaml"


def _summary(waits: dict[str, tuple[float, float, float]]) -> pd.DataFrame:
    """Each centre's wait_p90 (mean, ci_low, ci_high) as given; on time at 0.95 (0.93-0.97)
    everywhere, so only the waiting tells the centres apart."""
    rows = []
    for centre, (mean, low, high) in waits.items():
        for option in ("baseline", "one_more_counter"):
            rows += [{"option": option, "centre": centre, "metric": "wait_p90", "mean": mean,
                      "ci_low": low, "ci_high": high},
                     {"option": option, "centre": centre, "metric": "on_time_share",
                      "mean": 0.95, "ci_low": 0.93, "ci_high": 0.97}]
    return pd.DataFrame(rows)


def _order(waits: dict[str, tuple[float, float, float]]) -> list[tuple[str, int]]:
    ranking = rank_centres(_summary(waits), load_province(PROVINCE))
    first = ranking[ranking["option"] == "baseline"].drop_duplicates("centre")
    return list(zip(first["centre"], first["rank"], strict=True))


def test_centres_rank_by_targets_missed_then_unclear_then_how_far() -> None:
    order = _order({"101": (20.0, 18.0, 22.0),   # meets
                    "102": (50.0, 45.0, 55.0),   # misses by 20
                    "103": (40.0, 35.0, 45.0),   # misses by 10
                    "104": (31.0, 25.0, 37.0)})  # unclear
    assert order == [("102", 1), ("103", 2), ("104", 3), ("101", 4)]


def test_a_target_without_a_mean_counts_as_furthest_among_the_unclear() -> None:
    """A centre whose waiting has no value (nobody served, say) is unclear on it, and within
    the unclear it stands furthest, as the recommendation counts such a target: not level
    with a centre that meets the target."""
    nan = math.nan
    order = _order({"101": (20.0, 18.0, 22.0),   # meets
                    "102": (nan, nan, nan),      # no value: unclear
                    "103": (33.0, 28.0, 38.0),   # unclear, 3 over
                    "104": (50.0, 45.0, 55.0)})  # misses
    assert order == [("104", 1), ("102", 2), ("103", 3), ("101", 4)]
