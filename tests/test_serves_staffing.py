"""The unbounded `sim staff` search with counters that serve several desks' queues (`serves`):
desks linked by `serves` are sized together on their pooled load, a group of counters without
procedures among them, within positions.

Theory: two desks a and b (9 arrivals an hour each, exponential 10-minute service at both,
nobody gives up, open around the clock) whose counters, and those of a group `pool` without
procedures, all serve both queues by longest wait: one M/M/c queue with offered load 3. For
wait_mean <= 3 minutes, Erlang C needs 5 counters (4 give a mean wait of 5.09 minutes, 5 give
1.18), where sizing each desk on its own load would ask for 3 + 3. The search's answer must be 5
counters in every block, split among the three desks, from theory and after simulation; and the
judged result must meet the target at both desks on the search's replications and on fresh
ones (seed 7, 5 replications; the 95% upper bound of each desk's mean wait judged against 3
minutes, two desks on one seed: the true values, 1.18 minutes, lie far inside, so a false
failure is far rarer than Bonferroni's 0.05 / 2 per check).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim.analysis.targets import as_target
from sim.analysis.theory import erlang_c
from sim.decide.staffing import staff
from sim.decide.staffing.units import search_plan
from sim.scenario.load import scenario_from_document
from sim.scenario.paths import with_change
from sim.scenario.yaml_loader import read_yaml_file

ROOT = Path(__file__).resolve().parent.parent
POOLED = ROOT / "scenarios" / "theory" / "pooled.yaml"
WARD = ROOT / "scenarios" / "centres" / "urban_ward_two_sites.yaml"
TARGET = 3.0  # minutes of mean wait
LONGEST = {"pick": "longest_waiting"}


def pooled_document(**desks: dict) -> dict:
    """pooled.yaml over 8 days, with its desks as given (default: a, b and the group pool)."""
    document = read_yaml_file(POOLED)
    document["calendar"]["working_days"] = 8
    document["options"] = {"baseline": {}}
    document.pop("labels")
    document["desks"] = desks or {
        "a": {"counters": 1, "serves": ["a", "b"], **LONGEST},
        "b": {"counters": 1, "serves": ["b", "a"], **LONGEST},
        "pool": {"counters": 2, "serves": ["a", "b"], **LONGEST}}
    return document


def erlang_c_counters(limit: float) -> int:
    """The fewest counters of the pooled M/M/c (18 an hour, 10 minutes each) with a mean wait
    within `limit` minutes."""
    return next(c for c in range(4, 50) if erlang_c(c, 18 / 60, 1 / 10).wait_mean <= limit)


def test_the_search_sizes_pooled_desks_as_one_erlang_c_queue(tmp_path: Path) -> None:
    path = tmp_path / "pooled.yaml"
    path.write_text(yaml.safe_dump(pooled_document(), allow_unicode=True), encoding="utf-8")
    needed = erlang_c_counters(TARGET)
    assert needed == 5
    result = staff(path, [f"wait_mean<={TARGET:g}"], seed=7, replications=5)
    assert set(result.counters) == {"a", "b", "pool"}
    for found in (result.theory, result.counters):
        totals = [sum(found[desk][i] for desk in found) for i in range(len(result.blocks))]
        assert totals == [needed] * len(result.blocks), found
        assert all(min(counts) >= 1 for counts in found.values())
    assert result.met and result.confirmed, result.report()
    assert set(result.check["desk"][result.check["mean"].notna()]) == {"a", "b"}


def test_the_theory_start_of_linked_desks_never_counts_more_than_the_pooled_load() -> None:
    """Pooled both ways, or one-way overflow (b's counters serve only b): the start is the
    pooled staffing, below what the two desks would need on their own loads."""
    target = (as_target(f"wait_mean<={TARGET:g}"),)
    both = {"a": {"counters": 2, "serves": ["a", "b"]}, "b": {"counters": 2, "serves": ["b", "a"]}}
    one_way = {"a": {"counters": 2, "serves": ["a", "b"]}, "b": {"counters": 2}}
    alone = {"a": {"counters": 2}, "b": {"counters": 2}}
    starts = {}
    for name, desks in {"both": both, "one_way": one_way, "alone": alone}.items():
        scenario = scenario_from_document(pooled_document(**desks), name,
                                          options=["baseline"]).baseline
        searched = search_plan(scenario, target, None, 60)
        starts[name] = {label: set(counts) for label, counts in searched.plan.counters.items()}
    assert starts["both"] == starts["one_way"] == {"a+b": {erlang_c_counters(TARGET)}}
    assert starts["alone"] == {"a": {3}, "b": {3}}


def test_desks_sized_together_are_named_together() -> None:
    scenario = scenario_from_document(pooled_document(), "pooled", options=["baseline"]).baseline
    with pytest.raises(ValueError, match="name all of them with --desk"):
        search_plan(scenario, (as_target("wait_mean<=3"),), ["a"], 60)


def test_positions_bound_each_desk_of_a_unit() -> None:
    """The group can open at most 1 counter: the other desks take the rest of the pool's 5."""
    desks = pooled_document()["desks"]
    desks["pool"] = {**desks["pool"], "counters": 1, "positions": 1}
    scenario = scenario_from_document(pooled_document(**desks), "pooled",
                                      options=["baseline"]).baseline
    searched = search_plan(scenario, (as_target("wait_mean<=3"),), None, 60)
    split = searched.per_desk(searched.plan.counters)
    assert set(split["pool"]) == {1}
    assert {a + b for a, b in zip(split["a"], split["b"], strict=True)} == {4}


def test_at_several_sites_only_desks_linked_at_their_own_site_alone_are_pooled() -> None:
    """The two-site ward with a group serving main's land queue (land stands only at main):
    they are one unit, the group keeping 1 counter; old_hq's general and civil status, linked
    at old_hq but also standing at main, keep the theory of their own loads."""
    document = read_yaml_file(WARD)
    for section in ("tickets", "appointments"):  # not yet combined with serves
        document.pop(section, None)
    document = with_change(document, "sites.main.desks.flex", {"counters": 1, "serves": ["land"]})
    document = with_change(document, "sites.old_hq.desks.general.serves",
                           ["general", "civil_status"])
    target = (as_target("wait_p90<=30"),)
    linked = search_plan(scenario_from_document(document, "ward", options=["baseline"]).baseline,
                         target, None, 240)
    plain = search_plan(scenario_from_document(read_yaml_file(WARD) | {
        "tickets": None, "appointments": None}, "ward", options=["baseline"]).baseline,
        target, None, 240)
    assert [unit.desks for unit in linked.units if len(unit.desks) > 1] == [
        ("main.land", "main.flex")]
    split = linked.per_desk(linked.plan.counters)
    assert set(split["main.flex"]) == {1}
    assert split["main.land"] == tuple(c - 1 for c in plain.plan.counters["main.land"])
    assert {label: split[label] for label in plain.plan.counters if label != "main.land"} == {
        label: counts for label, counts in plain.plan.counters.items() if label != "main.land"}
