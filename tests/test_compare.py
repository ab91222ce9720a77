"""Comparing options: paired differences, targets with confidence, cost and recommendation."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from scipy import stats

import sim
from sim.analysis.comparison import paired_differences
from sim.analysis.targets import Target
from sim.cli import main
from sim.decide.recommendation import recommend
from sim.output.metric_text import metric_name
from sim.output.names import Names
from sim.output.recommendation_text import recommendation_sentence
from sim.output.translations import translator
from sim.scenario.load import load_scenario

VALID = Path(__file__).parent / "broken" / "valid.yaml"


def scenarios_with(**options: dict) -> sim.ScenarioSet:
    """tests/broken/valid.yaml (two counters) with other options and targets, and nobody
    arriving over lunch."""
    overrides = [f"options={json.dumps(options)}",
                 'arrivals.profile={"07:30": 1.0, "11:30": 0, "13:30": 0.5, "17:00": 0}',
                 'targets={"wait_p90": 25, "within_target_share": {"minutes": 15, '
                 '"at_least": 0.6}}']
    return load_scenario(VALID, overrides=overrides)


@pytest.fixture(scope="module")
def compared() -> sim.Comparison:
    return sim.compare(scenarios_with(same={"desks.general.counters": 2},
                                      one_more={"desks.general.counters": 3},
                                      six={"desks.general.counters": 6},
                                      eight={"desks.general.counters": 8}),
                       replications=10, seed=7)


def row(comparison: sim.Comparison, option: str, metric: str) -> pd.Series:
    table = comparison.table
    return table[(table["option"] == option) & (table["metric"] == metric)].iloc[0]


def test_identical_options_differ_by_exactly_zero(compared: sim.Comparison) -> None:
    same = row(compared, "same", "wait_mean")
    assert same["diff_mean"] == 0 and same["diff_ci_low"] == 0 and same["diff_ci_high"] == 0


def test_one_more_counter_lowers_the_mean_wait_with_confidence(compared: sim.Comparison) -> None:
    more = row(compared, "one_more", "wait_mean")
    assert more["diff_ci_high"] < 0, (
        f"the paired 95% CI of the difference should lie below zero: {more.to_dict()}")


def test_paired_interval_is_narrower_than_the_unpaired_one(compared: sim.Comparison) -> None:
    """Common random numbers: the paired interval of the difference is narrower than the
    unpaired (Welch) interval of the same difference from the same replications, which treats
    the two options' runs as independent; it would not be if the options met other citizens."""
    more = row(compared, "one_more", "wait_mean")
    per_run = compared.results.replications
    waits = per_run[per_run["metric"] == "wait_mean"]
    one_more, baseline = (waits.loc[waits["option"] == name, "value"].to_numpy()
                          for name in ("one_more", "baseline"))
    welch = stats.ttest_ind(one_more, baseline, equal_var=False).confidence_interval(0.95)
    paired = more["diff_ci_high"] - more["diff_ci_low"]
    assert paired < welch.high - welch.low, (paired, welch)


def test_recommendation_is_the_cheapest_option_meeting_every_target(
        compared: sim.Comparison) -> None:
    recommendation = compared.recommendation
    meeting = [o for o in recommendation.options if o.meets_all]
    assert {o.option for o in meeting} >= {"eight"}, "eight counters meet the targets"
    cheapest = min(meeting, key=lambda o: o.cost_staff_hours)
    assert recommendation.recommended == cheapest.option
    assert cheapest.option in recommendation_sentence(recommendation, "en")
    costs = {o.option: o.cost_staff_hours for o in recommendation.options}
    assert costs["baseline"] < costs["one_more"] < costs["six"] < costs["eight"]


def test_when_no_option_meets_the_targets_the_sentence_says_by_how_much() -> None:
    scenarios = load_scenario(VALID, overrides=['targets={"wait_p90": 0.5}'])
    comparison = sim.compare(scenarios, replications=3, seed=1)
    assert comparison.recommendation.recommended is None
    sentence = recommendation_sentence(comparison.recommendation, "en", scenarios.baseline)
    assert "No option meets every target with 95% confidence. The closest is " in sentence
    assert "90th-percentile wait (min) is " in sentence
    assert "against the target of at most 0.5" in sentence
    assert not re.search(r"\b(baseline|one_more|six|eight)\b", sentence), "ids, not names"
    vietnamese = recommendation_sentence(comparison.recommendation, "vi", scenarios.baseline)
    assert "Gần đạt nhất là phương án «" in vietnamese
    assert "Thời gian chờ phân vị 90 (phút): " in vietnamese
    assert "chưa đạt chỉ tiêu không quá 0,5" in vietnamese


def _option_rows(option: str, staff_hours: float, wait_p90: float, on_time: float) -> list:
    """An option's rows of a comparison: its cost and two targets' means, intervals +-1%."""
    return [{"option": option, "metric": metric, "mean": mean, "ci_low": mean * 0.99,
             "ci_high": mean * 1.01}
            for metric, mean in (("staff_hours", staff_hours), ("overtime_staff_hours", 0.0),
                                 ("wait_p90", wait_p90), ("on_time_share", on_time))]


def test_the_closest_option_is_not_the_cheapest_when_another_is_nearer_on_every_target() -> None:
    """All miss both targets: the current staffing, cheapest and furthest on both, is not the
    closest; of the options no other beats on every target, the cheapest is."""
    targets = [Target("wait_p90", "<=", 30), Target("on_time_share", ">=", 0.9)]
    rows = (_option_rows("baseline", 100, 70, 0.60) + _option_rows("counter", 110, 45, 0.70)
            + _option_rows("officer", 108, 60, 0.80) + _option_rows("both", 130, 44, 0.62))
    recommendation = recommend(pd.DataFrame(rows), targets)
    assert recommendation.recommended is None
    assert recommendation.closest == "officer", "counter and officer are each nearer on one"
    assert recommendation.as_near == ("counter", "both"), "each nearer on one target"
    sentence = recommendation_sentence(recommendation, "en")
    assert ("The closest is officer: " in sentence and "counter, both are as near (none is "
            "nearer on every target); of these, officer is chosen because it needs the fewest "
            "staff-hours (108)." in sentence), sentence
    # baseline needs fewer (100) but is further: the fewest is among the options as near.
    vietnamese = recommendation_sentence(recommendation, "vi")
    assert ("Phương án «counter», «both» cũng gần như vậy" in vietnamese
            and "trong số đó, chọn «officer» vì cần ít giờ công nhất (108)" in vietnamese), (
        vietnamese)
    rows = _option_rows("baseline", 100, 70, 0.60) + _option_rows("counter", 110, 45, 0.70)
    alone = recommend(pd.DataFrame(rows), targets)
    assert alone.closest == "counter" and alone.as_near == ()
    assert "as near" not in recommendation_sentence(alone, "en"), "nothing tied: no word of it"
    rows = _option_rows("baseline", 100, 70, 0.60) + _option_rows("same", 120, 70, 0.60)
    cheaper = recommend(pd.DataFrame(rows), targets)
    assert cheaper.closest == "baseline" and cheaper.as_near == ("same",), "then the cheaper"
    assert ("same is as near (neither is nearer on every target); of the two, baseline is "
            "chosen because it needs fewer staff-hours (100).") in recommendation_sentence(
        cheaper, "en")
    rows = _option_rows("baseline", 100, math.nan, 0.60) + _option_rows("more", 120, 30.1, 0.85)
    assert recommend(pd.DataFrame(rows), targets).closest == "more", "no value is not near"
    rows = _option_rows("wait", 100, 45, 0.95) + _option_rows("dossiers", 90, 25, 0.85)
    assert recommend(pd.DataFrame(rows), targets).closest == "dossiers", (
        "each misses another target: neither is nearer on both, the cheaper is closest")


def test_target_verdicts_need_the_whole_interval() -> None:
    upper = Target("wait_p90", "<=", 30)
    assert upper.verdict(20, 29) == "yes"
    assert upper.verdict(25, 35) == "unclear"
    assert upper.verdict(31, 40) == "no"
    lower = Target("on_time_share", ">=", 0.95)
    assert lower.verdict(0.96, 0.99) == "yes" and lower.verdict(0.9, 0.94) == "no"


def test_paired_differences_match_by_replication() -> None:
    runs = pd.DataFrame({"option": ["baseline"] * 3 + ["b"] * 3, "replication": [0, 1, 2] * 2,
                         "metric": ["m"] * 6, "value": [1.0, 5.0, 9.0, 2.0, 6.0, 10.0]})
    differences = paired_differences(runs).set_index("option")
    assert differences.loc["b", "diff_mean"] == pytest.approx(1.0)
    # Constant difference: zero variance, so the interval collapses onto it.
    assert differences.loc["b", "diff_ci_low"] == pytest.approx(1.0)


def test_precision_adds_replications_until_reached() -> None:
    comparison = sim.compare(VALID, precision=0.1, seed=3)
    assert comparison.precision.reached
    assert comparison.precision.worst[2] <= 0.1
    summary = comparison.results.summary
    wait = summary[summary["metric"] == "wait_mean"]
    assert ((wait["ci_high"] - wait["ci_low"]) / 2 <= 0.1 * wait["mean"]).all()


def test_precision_cap_is_reported() -> None:
    comparison = sim.compare(VALID, precision=0.001, seed=3, max_replications=12)
    assert not comparison.precision.reached
    assert len(comparison.results.seeds) == 12


def test_compare_command_writes_comparison_and_recommendation(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compare", str(VALID), "-n", "3", "--out", str(out),
                                       "--set", 'targets={"wait_p90": 60}'])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "comparison.csv")
    assert list(table.columns) == ["option", "metric", "mean", "ci_low", "ci_high", "diff_mean",
                                   "diff_ci_low", "diff_ci_high", "meets_target"]
    recommendation = json.loads((out / "recommendation.json").read_text(encoding="utf-8"))
    spoken = recommendation["sentence_vi"]  # the terminal speaks the run's language, vi
    assert spoken in result.output.replace("\n", " ") or spoken[:40] in result.output
    assert recommendation["replications"] == 3
    rows = {line.split("│")[1].strip(): line for line in result.output.splitlines()
            if line.count("│") > 2}
    current = rows["Giữ nguyên như hiện nay"]
    assert "(" not in current, "the baseline differs from nothing: no (0) beside it"
    assert all("(" in line for name, line in rows.items()
               if name not in ("Giữ nguyên như hiện nay", "phương án")), rows


def test_compare_rejects_both_replications_and_precision(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["compare", str(VALID), "-n", "3", "--precision", "0.1",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "not both" in result.output


def test_compare_command_reports_a_precision_cap_it_hits(tmp_path: Path) -> None:
    """--precision that the cap stops short of: the run finishes, and the recommendation's
    sentence is followed by the note that the precision was not reached."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compare", str(VALID), "--precision", "0.001",
                                       "--max-replications", "3", "--seed", "3",
                                       "--out", str(out), "--no-report", "--quiet"])
    assert result.exit_code == 0, result.output
    written = json.loads((out / "recommendation.json").read_text(encoding="utf-8"))
    assert written["replications"] == 3
    assert written["precision"]["reached"] is False
    scenario = load_scenario(VALID).baseline
    own = recommendation_sentence(sim.compare(VALID, precision=0.001, seed=3,
                                              max_replications=3).recommendation, "en", scenario)
    widest = written["precision"]["widest"]
    metric = metric_name(translator("en"), widest["metric"])
    option = {lang: Names(scenario, lang).option(widest["option"]) for lang in ("en", "vi")}
    assert written["sentence"] == (
        f"{own} Precision 0.001 was not reached within 3 replications (widest: "
        f"{metric} of {option['en']}, ±{widest['relative_half_width']:.1%}).")
    assert written["sentence_vi"].endswith(" lần mô phỏng (rộng nhất: " + metric_name(
        translator("vi"), widest["metric"]) + f" của {option['vi']}, ±"
        + translator("vi").percent(widest["relative_half_width"], 1) + ").")
