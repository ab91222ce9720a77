"""Counters that serve several desks' queues (`serves`, `pick`) agree with queueing theory and
with exact identities.

Theory (scenarios/theory/pooled.yaml, 20 replications, fixed root seed): two desks of 2
counters, 9 arrivals an hour each, exponential 10-minute service at both. With every counter
serving both queues the centre is one M/M/4, under either pick (any order that never leaves a
counter idle while someone waits gives the same number in the system when service times are
alike and exponential): wait_mean, waited_share and utilisation must contain Erlang C's values,
and the waits must be told apart from the separate desks' (two M/M/2). With one-way overflow
(desk a's counters also serve b) the mean wait and the share who wait must lie strictly between
the pooled and the separate values, and desks that serve only their own queues must match the
two M/M/2 (the model without groups). The CHECKS intervals share one root seed, so each is taken
at level 1 - 0.05 / CHECKS (Bonferroni).

Identities (exact, any seed): every counter serving every queue by longest wait is one
first-come-first-served queue, visit by visit, with lunch breaks, patience, returns, guidance
and closings; `serves` naming only the desk itself changes nothing; and under `counter_first`
the citizens of a centre with counter groups wait exactly as under `dedicated`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from sample_path_checks import check_areas, check_ends_empty, check_visits

import sim
from sim.analysis.confidence import t_interval
from sim.analysis.metrics import run_metrics
from sim.analysis.theory import QueueTheory, erlang_c
from sim.cli import main
from sim.model.centre import simulate
from sim.model.desk import DeskLog
from sim.model.record import ABANDONED, SENT_HOME, SERVED, RunRecord
from sim.output.names import Names
from sim.scenario.load import scenario_from_document
from sim.scenario.schema import Scenario

POOLED = Path(__file__).resolve().parent.parent / "scenarios" / "theory" / "pooled.yaml"
REPLICATIONS = 20
FAMILY_LEVEL = 0.05
POOLED_OPTIONS = ("baseline", "first_in_order")  # every counter serves both queues
POOLED_METRICS = ("wait_mean", "waited_share", "utilisation")
BETWEEN_METRICS = ("wait_mean", "waited_share")  # under overflow, and of separate desks
CHECKS = len(POOLED_OPTIONS) * len(POOLED_METRICS) + 2 * len(BETWEEN_METRICS)
CONFIDENCE = 1 - FAMILY_LEVEL / CHECKS


def systems(scenario: Scenario) -> dict[str, QueueTheory]:
    """Erlang C of the whole centre as one queue, of one desk alone (both desks alike), and of
    the whole centre with one counter more, read from the file."""
    rate = scenario.arrivals.per_hour / 60
    service_rate = 1 / scenario.procedures[0].service.expected()
    counters = sum(desk.counters for desk in scenario.desks.values())
    desks = len(scenario.desks)
    assert {p.service.expected() for p in scenario.procedures} == {1 / service_rate}
    assert {p.share for p in scenario.procedures} == {1 / desks}
    return {"pooled": erlang_c(counters, rate, service_rate),
            "separate": erlang_c(counters // desks, rate / desks, service_rate),
            "one_counter_more": erlang_c(counters + 1, rate, service_rate)}


@pytest.fixture(scope="module")
def pooled_runs() -> tuple[dict[str, QueueTheory], pd.DataFrame]:
    results = sim.run(POOLED, replications=REPLICATIONS)
    scenario = sim.load_scenario(POOLED).baseline
    assert scenario.patience is None and scenario.at_closing == "serve_all"
    return systems(scenario), results.replications


def interval(replications: pd.DataFrame, option: str, metric: str) -> tuple[float, float]:
    chosen = (replications["option"] == option) & (replications["metric"] == metric)
    values = replications.loc[chosen, "value"].to_numpy(dtype=float)
    assert len(values) == REPLICATIONS, (option, metric)
    _, low, high = t_interval(values, CONFIDENCE)
    return low, high


@pytest.mark.parametrize("option", POOLED_OPTIONS)
def test_counters_serving_both_queues_are_one_erlang_c_queue(pooled_runs, option: str) -> None:
    theory, replications = pooled_runs
    for metric in POOLED_METRICS:
        expected = getattr(theory["pooled"], metric)
        low, high = interval(replications, option, metric)
        assert low <= expected <= high, (
            f"{option} {metric}: Erlang C {expected:.4f} outside the {CONFIDENCE:.2%} CI "
            f"[{low:.4f}, {high:.4f}]")
        # The neighbour the interval must tell apart: separate desks for the waits (the same
        # utilisation), one counter more for the utilisation.
        neighbour = "one_counter_more" if metric == "utilisation" else "separate"
        other = getattr(theory[neighbour], metric)
        assert (high - low) / 2 < abs(expected - other) / 2, (option, metric, low, high, other)


def test_one_way_overflow_waits_between_separate_and_pooled(pooled_runs) -> None:
    theory, replications = pooled_runs
    for metric in BETWEEN_METRICS:
        pooled, separate = getattr(theory["pooled"], metric), getattr(theory["separate"], metric)
        low, high = interval(replications, "overflow", metric)
        assert pooled < low and high < separate, (metric, pooled, low, high, separate)


def test_desks_serving_only_their_own_queues_are_separate_erlang_c_queues(pooled_runs) -> None:
    theory, replications = pooled_runs
    for metric in BETWEEN_METRICS:
        separate, pooled = getattr(theory["separate"], metric), getattr(theory["pooled"], metric)
        low, high = interval(replications, "separate", metric)
        assert low <= separate <= high, (metric, low, high, separate)
        assert (high - low) / 2 < abs(separate - pooled) / 2, (metric, low, high, pooled)


def centre(desks: dict, guidance: float = 0.0, work: bool = False,
           **changes: object) -> Scenario:
    """Three days with a lunch break, two procedures on desks a and b (b's service longer),
    patience, returns and send-home at closing: a centre where the order of service shows.
    `guidance`: the share of each procedure's citizens who see a guide first; `work`: each
    dossier takes back-office work."""
    extra: dict = {"guidance": guidance}
    if work:
        extra["back_office"] = {"hours": {"dist": "exponential", "mean": 2}}
    document = {
        "name": "counter groups",
        "calendar": {"start": "2025-07-01", "working_days": 3,
                     "sessions": ["07:30-11:30", "13:30-17:00"]},
        "arrivals": {"per_day": 170, "profile": {"07:00": 2.0, "09:00": 1.0, "17:00": 0}},
        "procedures": [
            {"id": "x", "share": 0.6, "desk": "a",
             "service": {"dist": "gamma", "mean": 8, "cv": 0.8}, **extra},
            {"id": "y", "share": 0.4, "desk": "b" if "b" in desks else "a",
             "service": {"dist": "lognormal", "mean": 14, "cv": 0.6}, **extra},
        ],
        "desks": desks,
        "patience": {"dist": "exponential", "mean": 90},
        "return_probability": 0.6,
        **changes,
    }
    if guidance:
        document["guidance"] = {"staff": 1, "service": {"dist": "exponential", "mean": 4}}
    return scenario_from_document(document, "groups.yaml").baseline


def assert_same_visits(a: RunRecord, b: RunRecord, skip: tuple[str, ...] = ()) -> None:
    assert a.visits.keys() == b.visits.keys()
    for column in a.visits.keys() - set(skip):
        np.testing.assert_array_equal(a.visits[column], b.visits[column], err_msg=column)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("guidance", [0.0, 0.5])
def test_every_counter_serving_every_queue_by_longest_wait_is_one_queue(
        seed: int, guidance: float) -> None:
    pooled = centre({"a": {"counters": 2, "serves": ["b", "a"], "pick": "longest_waiting"},
                     "b": {"counters": 1, "serves": ["a", "b"], "pick": "longest_waiting"}},
                    guidance)
    one = centre({"a": {"counters": 3}}, guidance)
    grouped, single = simulate(pooled, seed), simulate(one, seed)
    outcomes = set(grouped.visits["outcome"].tolist())
    assert {SERVED, ABANDONED, SENT_HOME} <= outcomes, outcomes  # the order of service shows
    assert_same_visits(grouped, single, skip=("desk",))
    for record, scenario in ((grouped, pooled), (single, one)):
        for check in (check_visits, check_ends_empty, check_areas):
            check(record, scenario, f"seed {seed}")


def test_serving_only_its_own_queue_changes_nothing() -> None:
    plain = centre({"a": {"counters": 2}, "b": {"counters": 1}})
    own = centre({"a": {"counters": 2, "serves": ["a"], "pick": "longest_waiting"},
                  "b": {"counters": 1, "serves": ["b"]}})
    first, second = simulate(plain, 5), simulate(own, 5)
    assert_same_visits(first, second)
    for name, log in first.desk_logs.items():
        np.testing.assert_array_equal(log, second.desk_logs[name], err_msg=name)


GROUPS = {"a": {"counters": 2, "serves": ["a", "b"]}, "b": {"counters": 1},
          "flex": {"counters": 1, "serves": ["b", "a"], "pick": "longest_waiting"}}


@pytest.mark.parametrize("seed", [1, 2])
def test_counter_groups_under_counter_first_serve_citizens_as_dedicated(seed: int) -> None:
    runs = []
    for policy in ("dedicated", "counter_first"):
        scenario = centre(GROUPS, work=True, backlog=[
            {"procedure": "x", "count": 15, "days_left": 5}], back_office={
            "staff": 1, "hours_per_day": 6, "chunk_minutes": 45, "policy": policy})
        runs.append(simulate(scenario, seed))
    helping = runs[1].desk_logs["flex"][:, DeskLog.HELPING]
    assert helping.max() >= 1  # the group's counter did take back-office work
    assert_same_visits(*runs)


def test_a_desk_without_procedures_is_a_group_whose_counters_count_at_it() -> None:
    """A group of counters (a desk no procedure names) serves the other queues: its log shows
    nobody waiting at it and its own counters busy, and the busy areas of all logs add up to
    the service times."""
    scenario = centre(GROUPS)
    record = simulate(scenario, 3)
    check_areas(record, scenario, "flex")
    log = record.desk_logs["flex"]
    assert log[:, DeskLog.WAITING].max() == 0 and log[:, DeskLog.BUSY].max() == 1
    metrics = run_metrics(record, scenario)
    assert 0 < metrics["utilisation:flex"] <= 1, metrics


def test_set_changes_what_counters_serve() -> None:
    result = CliRunner().invoke(main, [
        "check", str(POOLED), "--set", "desks.b.serves=[b]", "--set", "desks.b.pick=null"])
    assert result.exit_code == 0, result.output
    assert "serves:\n    - b\n    pick: null" in result.output


def test_check_counts_desks_that_serve_each_other_together() -> None:
    """`sim check` adds the desks linked by `serves` as one row, and does not call a desk
    overloaded that other counters also serve; the linked desks' sum decides."""
    result = CliRunner().invoke(main, ["check", str(POOLED), "--set", "arrivals.per_hour=30",
                                       "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Desk A + Desk B   720.00" in result.output
    warned = [line.split(": offered load")[0] for line in result.stderr.splitlines()]
    names = {option: Names(scenario, "en").option(option)
             for option, scenario in sim.load_scenario(POOLED).options.items()}
    assert warned == [  # no single desk when pooled; not b, which a helps, under overflow
        f"warning: {names['baseline']}, Desk A + Desk B",
        f"warning: {names['first_in_order']}, Desk A + Desk B",
        f"warning: {names['overflow']}, Desk A", f"warning: {names['overflow']}, Desk A + Desk B",
        f"warning: {names['separate']}, Desk A", f"warning: {names['separate']}, Desk B"], warned


def test_check_refuses_a_desk_serving_a_desk_that_does_not_exist() -> None:
    result = CliRunner().invoke(main, ["check", str(POOLED), "--set", "desks.b.serves=[b, c]"])
    assert result.exit_code == 2
    assert (f"{POOLED}: desks.b.serves[1] (set by --set desks.b.serves): got 'c'; allowed: a "
            "desk at this site: a, b") in result.output + result.stderr
