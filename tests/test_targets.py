"""`sim.analysis.targets`: the one Target that the scenario's `targets`, ``sim staff --target``,
the comparison, the recommendation, the province ranking and the staffing check all use.

A target read from the scenario and the same target typed on the command line must be the same
object, every refusal must keep the message users see, and the verdict must follow the one
rule (the safe-side 95% bound) exactly at the boundary.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sim.analysis.staffing.check import check_frame
from sim.analysis.staffing.criteria import staffing_targets
from sim.analysis.targets import (
    AT_LEAST,
    AT_MOST,
    DIRECTIONS,
    NO,
    TARGET_METRICS,
    UNCLEAR,
    YES,
    Target,
    as_target,
    parse_target,
    scenario_targets,
)
from sim.cli import main
from sim.scenario.load import load_scenario
from sim.scenario.schema import Targets

TINY = Path(__file__).parent / "fixtures" / "tiny.yaml"
EVERY_TARGET = Targets(wait_mean=5, wait_p50=3, wait_p90=20, wait_p95=25, wait_max=60,
                       within_target_share={"minutes": 10, "at_least": 0.8},
                       abandoned_share=0.05, sent_home_share=0.02, on_time_share=0.9,
                       overdue=3, lateness_p90=2)


def test_every_scenario_target_has_a_direction() -> None:
    """A new field of `targets` without a direction would be judged the wrong way round."""
    assert set(Targets.model_fields) <= set(DIRECTIONS)
    assert set(TARGET_METRICS) <= set(DIRECTIONS)
    assert {m: DIRECTIONS[m] for m in TARGET_METRICS} == TARGET_METRICS


def test_the_scenario_section_reads_as_targets_in_its_order() -> None:
    assert [(t.metric, t.op, t.value) for t in scenario_targets(EVERY_TARGET)] == [
        ("wait_mean", "<=", 5.0), ("wait_p50", "<=", 3.0), ("wait_p90", "<=", 20.0),
        ("wait_p95", "<=", 25.0), ("wait_max", "<=", 60.0),
        ("within_target_share", ">=", 0.8), ("abandoned_share", "<=", 0.05),
        ("sent_home_share", "<=", 0.02), ("on_time_share", ">=", 0.9), ("overdue", "<=", 3.0),
        ("lateness_p90", "<=", 2.0)]
    assert all(type(t.value) is float for t in scenario_targets(EVERY_TARGET))
    assert scenario_targets(Targets()) == []


def test_a_scenario_target_and_the_same_target_typed_are_one_target() -> None:
    from_scenario = [t for t in scenario_targets(EVERY_TARGET) if t.metric in TARGET_METRICS]
    assert [t.metric for t in from_scenario] == ["wait_mean", "wait_p50", "wait_p90",
                                                  "wait_p95", "within_target_share",
                                                  "abandoned_share"]
    assert [parse_target(str(t)) for t in from_scenario] == from_scenario
    assert [as_target(t.describe()) for t in from_scenario] == from_scenario  # spaces allowed
    tiny = load_scenario(TINY, options=["baseline"]).baseline
    assert staffing_targets(tiny) == (Target("within_target_share", ">=", 0.8),)


@pytest.mark.parametrize(("text", "expected"), [
    ("wait_mean<=7.5", Target("wait_mean", AT_MOST, 7.5)),
    ("wait_p50<=1e1", Target("wait_p50", AT_MOST, 10.0)),
    ("wait_p90<=30", Target("wait_p90", AT_MOST, 30.0)),
    ("  wait_p95 <= 10  ", Target("wait_p95", AT_MOST, 10.0)),
    ("waited_share<=50%", Target("waited_share", AT_MOST, 0.5)),
    ("abandoned_share=<0.05", Target("abandoned_share", AT_MOST, 0.05)),
    ("within_target_share>=0.8", Target("within_target_share", AT_LEAST, 0.8)),
    ("within_target_share=>80%", Target("within_target_share", AT_LEAST, 0.8)),
])
def test_every_form_the_command_line_accepts(text: str, expected: Target) -> None:
    assert parse_target(text) == expected
    assert parse_target(str(expected)) == expected


NAMES = ("wait_mean, wait_p50, wait_p90, wait_p95, waited_share, abandoned_share, "
         "within_target_share")
READ = "write METRIC<=VALUE or METRIC>=VALUE, e.g. wait_p90<=30 or within_target_share>=0.8"
SHARE = "give a value between 0 and 1 (exclusive), e.g. 0.8 or 80%"
MINUTES = "give a positive value (no number of counters makes every wait zero)"


@pytest.mark.parametrize(("text", "message"), [
    ("wait_p90", f"cannot read target 'wait_p90': {READ}"),
    ("<=30", f"cannot read target '<=30': {READ}"),
    ("wait p90<=30", f"cannot read target 'wait p90<=30': {READ}"),
    (None, f"cannot read target None: {READ}"),
    ("wait_p99<=30", f"target 'wait_p99<=30': unknown metric 'wait_p99'; a target can name "
                     f"{NAMES}"),
    ("on_time_share>=0.9", f"target 'on_time_share>=0.9': unknown metric 'on_time_share'; a "
                           f"target can name {NAMES}"),
    ("wait_p90>=30", "target 'wait_p90>=30': wait_p90 must be at most a value (more counters "
                     "lower it); write wait_p90<=30"),
    ("wait_p90=30", "target 'wait_p90=30': wait_p90 must be at most a value (more counters "
                    "lower it); write wait_p90<=30"),
    ("within_target_share>80%", "target 'within_target_share>80%': within_target_share must "
                                "be at least a value (more counters raise it); write "
                                "within_target_share>=80%"),
    ("wait_p90<=30%", "target 'wait_p90<=30%': '30%' is not a number"),
    ("wait_p90 <= 30 min", "target 'wait_p90 <= 30 min': '30 min' is not a number"),
    ("wait_p90<=inf", "target 'wait_p90<=inf': the value must be a finite number"),
    ("wait_p90<=0", f"target 'wait_p90<=0': wait_p90 is in minutes; {MINUTES}"),
    ("abandoned_share<=1", f"target 'abandoned_share<=1': abandoned_share is a share; {SHARE}"),
    ("within_target_share>=0%", f"target 'within_target_share>=0%': within_target_share is a "
                                f"share; {SHARE}"),
])
def test_refusals_keep_the_message_users_see(text: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_target(text)
    assert str(error.value) == message


def test_the_command_line_shows_the_refusal_as_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["staff", str(TINY), "--target", "wait_p90>=30"])
    assert result.exit_code == 2, result.output
    assert ("Error: target 'wait_p90>=30': wait_p90 must be at most a value (more counters "
            "lower it); write wait_p90<=30") in result.output


def test_a_target_has_one_of_two_directions() -> None:
    with pytest.raises(ValueError, match="op must be"):
        Target("wait_p90", "<", 30)


@pytest.mark.parametrize(("target", "low", "high", "verdict"), [
    (Target("wait_p90", AT_MOST, 30), 20.0, 30.0, YES),  # the safe bound on the target
    (Target("wait_p90", AT_MOST, 30), 30.0, 40.0, UNCLEAR),  # only the other bound on it
    (Target("wait_p90", AT_MOST, 30), math.nextafter(30, 31), 40.0, NO),
    (Target("wait_p90", AT_MOST, 30), 20.0, math.nextafter(30, 31), UNCLEAR),
    (Target("wait_p90", AT_MOST, 30), math.nan, 20.0, UNCLEAR),  # no interval
    (Target("on_time_share", AT_LEAST, 0.8), 0.8, 0.9, YES),
    (Target("on_time_share", AT_LEAST, 0.8), 0.7, 0.8, UNCLEAR),
    (Target("on_time_share", AT_LEAST, 0.8), 0.7, math.nextafter(0.8, 0), NO),
    (Target("on_time_share", AT_LEAST, 0.8), math.nextafter(0.8, 0), 0.9, UNCLEAR),
    (Target("on_time_share", AT_LEAST, 0.8), 0.9, math.nan, UNCLEAR),
])
def test_verdict_on_the_boundary(target: Target, low: float, high: float, verdict: str) -> None:
    assert target.verdict(low, high) == verdict
    if not (math.isnan(low) or math.isnan(high)):
        # The staffing check's rule is the same: the safe-side bound must hold.
        assert target.holds(target.safe_bound(low, high)) == (verdict == YES)


def test_holds_needs_a_number() -> None:
    target = Target("wait_p90", AT_MOST, 30)
    assert target.holds(30.0) and not target.holds(math.nextafter(30, 31))
    assert not target.holds(math.nan) and not target.holds(-math.inf)
    assert Target("within_target_share", AT_LEAST, 0.8).holds(0.8)


def test_the_staffing_check_judges_the_safe_bound_and_the_comparison_agrees() -> None:
    """Two desks with the same mean: the one whose upper bound is beyond 30 fails; the
    comparison's verdict of the same interval says yes exactly when the check says met."""
    target = Target("wait_p90", AT_MOST, 30)
    per_desk = pd.DataFrame({"replication": [0, 1, 2] * 2, "desk": ["a"] * 3 + ["b"] * 3,
                             "metric": "wait_p90",
                             "value": [28.0, 28.1, 28.2, 20.0, 29.0, 38.0]})
    check = check_frame(per_desk, [target], ["a", "b"], conservative=True).set_index("desk")
    assert check["bound"].tolist() == check["ci_high"].tolist()
    assert check["met"].tolist() == [True, False]
    assert [target.verdict(r.ci_low, r.ci_high) == YES for r in check.itertuples()] == [
        True, False]
    lenient = check_frame(per_desk, [target], ["a", "b"], conservative=False)
    assert lenient["bound"].tolist() == pytest.approx([28.1, 29.0])
    assert lenient["met"].all()


def test_shortfall_and_text() -> None:
    upper, lower = Target("wait_p90", AT_MOST, 30), Target("within_target_share", AT_LEAST, 0.8)
    assert (upper.shortfall(35), upper.shortfall(25)) == (5, 0)
    assert lower.shortfall(0.5) == pytest.approx(0.3) and lower.shortfall(0.9) == 0
    assert (str(upper), upper.describe()) == ("wait_p90<=30", "wait_p90 <= 30")
    assert (str(lower), lower.describe()) == ("within_target_share>=0.8",
                                              "within_target_share >= 0.8")
    assert np.isnan(check_frame(pd.DataFrame(columns=["replication", "desk", "metric", "value"]),
                                [upper], ["a"], True)["mean"].iloc[0])
