"""Every number of the format has a plausible range: values outside it are refused with the
path, the value and the range, and values at its ends run without overflow, NaN or a numpy
warning."""

from __future__ import annotations

import datetime as dt
import math
import re
import typing
from pathlib import Path
from typing import Any, get_args, get_origin

import numpy as np
import pytest
from pydantic import AfterValidator, BaseModel

import sim
from sim.analysis.offered_load import back_office_load, offered_load
from sim.analysis.sanity import scenario_warnings
from sim.experiment.work import estimate_work
from sim.model.calendar import build_timeline
from sim.model.disruptions import plan_disruptions
from sim.scenario.distributions import DISTRIBUTION_NAMES
from sim.scenario.errors import ScenarioError
from sim.scenario.limits import MAX_COMBINED_SLOWDOWN
from sim.scenario.load import load_scenario, scenario_from_document
from sim.scenario.paths import with_change
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny.yaml"
FORMAT_GUIDE = ROOT / "docs" / "scenario-format.md"

# A small centre with every section that has numbers: back office with a hand-off, a
# backlog, guidance, online filing, dated and random disruptions.
BASE: dict[str, Any] = {
    "name": "extremes",
    "calendar": {"start": dt.date(2025, 7, 1), "working_days": 2},
    "arrivals": {"per_day": 40, "profile": {"07:30": 2, "11:30": 0, "13:30": 1, "17:00": 0}},
    "procedures": [
        {"id": "certification", "share": 0.6, "desk": "general",
         "service": {"dist": "gamma", "mean": 8, "cv": 0.5}, "guidance": 0.2},
        {"id": "land", "share": 0.4, "desk": "general",
         "service": {"dist": "lognormal", "mean": 15, "cv": 0.6},
         "back_office": {"hours": {"dist": "exponential", "mean": 0.5}, "handoff": "registry"},
         "deadline": {"working_days": 3}, "online_share": 0.2},
    ],
    "desks": {"general": {"counters": 2}},
    "guidance": {"staff": 1, "service": {"dist": "exponential", "mean": 5}},
    "back_office": {"staff": 1, "hours_per_day": 6,
                    "handoffs": {"registry": {"delay_days": 2}}},
    "backlog": [{"procedure": "land", "count": 20, "days_left": -3}],
    "disruptions": [{"kind": "outage", "per_day": 0.5, "minutes": 30},
                    {"kind": "slowdown", "from": dt.date(2025, 7, 1), "to": dt.date(2025, 7, 1),
                     "service_factor": 1.5}],
    "patience": {"dist": "exponential", "mean": 60},
    "return_probability": 0.5,
    "targets": {"on_time_share": 0.9, "wait_p90": 30},
}
SERVICE = "procedures[1].service"

EXTREMES = {
    "lognormal at its widest": {SERVICE: {"dist": "lognormal", "mean": 10_080, "cv": 10}},
    "gamma at its widest": {SERVICE: {"dist": "gamma", "mean": 10_080, "cv": 10}},
    "gamma at its narrowest": {SERVICE: {"dist": "gamma", "mean": 5e-324, "cv": 0.01}},
    "exponential tiny": {SERVICE: {"dist": "exponential", "mean": 5e-324}},
    "empirical at both ends": {SERVICE: {"dist": "empirical", "values": [0, 10_080]}},
    "triangular at both ends": {SERVICE: {"dist": "triangular", "low": 0, "mode": 0,
                                          "high": 10_080}},
    "uniform of one value": {SERVICE: {"dist": "uniform", "low": 10_080, "high": 10_080}},
    "no patience": {"patience": {"dist": "deterministic", "mean": 0}},
    "longest patience": {"patience": {"dist": "lognormal", "mean": 10_080, "cv": 10}},
    "longest hand-off": {"back_office.handoffs.registry.delay_days":
                         {"dist": "lognormal", "mean": 1_000, "cv": 10}},
    "fixed longest hand-off": {"back_office.handoffs.registry.delay_days": 1_000},
    "most days left": {"backlog[0].days_left": {"dist": "lognormal", "mean": 1_000, "cv": 10}},
    "most days overdue": {"backlog[0].days_left": -1_000},
    "format guide's overdue backlog": {"backlog[0].days_left": {"dist": "deterministic",
                                                                "mean": -3}},
    "most work": {"procedures[1].back_office.hours": {"dist": "gamma", "mean": 1_000, "cv": 10}},
    "least work": {"procedures[1].back_office.hours": {"dist": "exponential", "mean": 5e-324}},
    "latest start": {"calendar.start": dt.date(2100, 12, 31), "disruptions": []},
    "earliest start, most overdue": {"calendar.start": dt.date(2000, 1, 1),
                                     "backlog[0].days_left": -1_000, "disruptions": []},
    "longest deadline and spread": {"procedures[1].deadline.working_days": 365,
                                    "backlog[0].spread_days": 365},
    "profile at both ends": {"arrivals.profile": {"07:30": 1_000_000, "09:00": 5e-324,
                                                  "17:00": 0}},
    "most demand multipliers": {"arrivals.per_day": 1, "arrivals.weekday_factor": {"tue": 100},
                                "arrivals.surges": [{"from": dt.date(2025, 7, 1),
                                                     "to": dt.date(2025, 7, 1), "factor": 100}]},
    "least demand multipliers": {"arrivals.weekday_factor": {"tue": 5e-324}},
    "most online": {"procedures[1].online_share": 0.99, "arrivals.per_day": 4},
    "most random outages, all slow": {"disruptions": [
        {"kind": "outage", "per_day": 50, "minutes": 10_080, "effect": "slowdown",
         "service_factor": 10}] * 3},
    "longest outage": {"disruptions": [{"kind": "outage", "per_day": 50,
                                        "minutes": {"dist": "lognormal", "mean": 10_080,
                                                    "cv": 10}}]},
    "counter_first in one-minute pieces": {"back_office.policy": "counter_first",
                                           "back_office.chunk_minutes": 1},
    "counter_first in day-long pieces": {"back_office.policy": "counter_first",
                                         "back_office.chunk_minutes": 1_440},
    "longest warm-up": {"warmup_minutes": 1440 + 17 * 60 - 1},
    "every trip": {"max_trips": 100, "return_probability": 1,
                   "patience": {"dist": "deterministic", "mean": 0}},
    "busiest hour": {"arrivals": {"per_hour": 5_000}, "calendar.sessions": ["08:00-08:10"],
                     "calendar.working_days": 1},
}


def _document(changes: dict[str, object]) -> dict:
    document = BASE
    for path, value in changes.items():
        document = with_change(document, path, value)
    return document


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("name", list(EXTREMES))
def test_values_at_the_ends_of_their_ranges_run_cleanly(name: str) -> None:
    """No numpy warning (warnings are errors here), no infinity among the results, in the
    checks `sim check` prints as in the run."""
    scenarios = scenario_from_document(_document(EXTREMES[name]), name)
    scenario = scenarios.baseline
    assert np.isfinite(offered_load(scenario).select_dtypes("number").to_numpy()).all()
    back_office_load(scenario)  # infinite where the backlog never clears: said so, not NaN
    scenario_warnings(scenario)
    assert math.isfinite(estimate_work([scenario], 2).items)
    results = sim.run(scenarios, replications=2, options=["baseline"])
    values = results.replications["value"].to_numpy(dtype=float)
    assert not np.isinf(values).any(), results.replications[np.isinf(values)]
    for column in ("arrival", "end"):
        assert np.isfinite(results.visits[column].to_numpy(dtype=float)).all()


@pytest.mark.parametrize(("override", "path", "allowed"), [
    # The cases of issue 9 that crashed, or gave NaN or inf
    ("calendar.start=9999-12-31", "calendar.start", "less than or equal to 2100-12-31"),
    ("backlog=[{procedure: land, count: 5, days_left: 1.0e+300}]", "backlog[0].days_left",
     "greater than or equal to -1,000 and less than or equal to 1,000"),
    ("back_office.handoffs.registry.delay_days=1.0e+300",
     "back_office.handoffs.registry.delay_days", "less than or equal to 1,000"),
    (f"{SERVICE}={{dist: empirical, values: [1, 1e308]}}", SERVICE,
     "minutes from 0 to 10,080 (here values 1e+308)"),
    ("warmup_minutes=1e300", "warmup_minutes", "less than 2,460, the minutes from 00:00"),
    ("arrivals.per_day=1e9", "arrivals.per_day",
     "greater than 0 and less than or equal to 100,000"),
    ("back_office.chunk_minutes=1e-9", "back_office.chunk_minutes",
     "greater than or equal to 1 and less than or equal to 1,440"),
    ("disruptions=[{kind: outage, per_day: 1e6, minutes: 5}]", "disruptions[0].per_day",
     "less than or equal to 50"),
    ("arrivals.surges=[{from: 2025-07-01, to: 2025-07-02, factor: 100}, "
     "{from: 2025-07-02, to: 2025-07-02, factor: 100}]", "arrivals.surges",
     "overlap on 2025-07-02 multiply to 10000"),
    # The ends of a few ranges, and the parameters of distributions
    ("arrivals.per_hour=5001", "arrivals", None),
    ("procedures[1].online_share=0.995", "procedures[1].online_share",
     "less than or equal to 0.99"),
    (f"{SERVICE}={{dist: gamma, mean: 5, cv: 0.001}}", f"{SERVICE}.cv",
     "greater than or equal to 0.01 and less than or equal to 10"),
    (f"{SERVICE}={{dist: exponential, mean: 10081}}", SERVICE, "(here mean 10081)"),
    (f"{SERVICE}={{dist: deterministic, mean: -1}}", SERVICE, "(here mean -1)"),
    ("procedures[1].back_office.hours={dist: uniform, low: 0, high: 1001}",
     "procedures[1].back_office.hours", "staff-hours from 0 to 1,000 (here high 1001)"),
    ("backlog[0].days_left={dist: uniform, low: -1001, high: 0}", "backlog[0].days_left",
     "working days from -1,000 to 1,000 (here low -1001)"),
    ('disruptions=[{kind: outage, from: "1999-12-31 23:59", minutes: 5}]',
     "disruptions[0].from", "greater than or equal to 2000-01-01 00:00:00"),
    ("disruptions=[{kind: slowdown, from: 2025-07-01, to: 2025-07-01, service_factor: 11}]",
     "disruptions[0].service_factor", "greater than 1 and less than or equal to 10"),
    ("targets.overdue=10000001", "targets.overdue", "less than or equal to 10,000,000"),
    ("targets.wait_p90=20000", "targets.wait_p90", "less than or equal to 10,080"),
])
def test_a_value_out_of_range_names_its_path_and_range(override: str, path: str,
                                                        allowed: str | None) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_document(BASE, "centre.yaml", overrides=[override])
    message = str(caught.value)
    assert len(message.splitlines()) == 1, message
    assert message.startswith(f"centre.yaml: {path}"), message
    if allowed is not None:
        assert allowed in message.partition("; allowed: ")[2], message


def test_surges_that_overlap_may_multiply_up_to_the_bound() -> None:
    """10 x 10 on 2 July is exactly the bound; on 3 July 10 x 0 x 50 is nothing."""
    surges = ("arrivals.surges=[{from: 2025-07-01, to: 2025-07-02, factor: 10}, "
              "{from: 2025-07-02, to: 2025-07-03, factor: 10}, "
              "{from: 2025-07-03, to: 2025-07-03, factor: 0}, "
              "{from: 2025-07-03, to: 2025-07-03, factor: 50}]")
    scenario_from_document(BASE, "centre.yaml", overrides=[surges])


def test_overlapping_slowdowns_multiply_up_to_the_combined_bound() -> None:
    """Slowdowns may overlap any number of times (random outages do): their product stops at
    MAX_COMBINED_SLOWDOWN instead of overflowing to infinity."""
    many = [{"kind": "slowdown", "from": dt.date(2025, 7, 1), "to": dt.date(2025, 7, 1),
             "service_factor": 10}] * 400
    scenario = scenario_from_document(_document({"disruptions": many}), "many").baseline
    plan = plan_disruptions(scenario, build_timeline(scenario.calendar), seed=1)
    assert plan.service_factor(600) == MAX_COMBINED_SLOWDOWN
    two = scenario_from_document(_document({"disruptions": many[:2]}), "two").baseline
    assert plan_disruptions(two, build_timeline(two.calendar), seed=1).service_factor(600) == 100


def test_the_format_guides_overdue_backlog_runs() -> None:
    """`days_left: -3`, the format guide's own example, passed `sim check` and crashed `sim run`
    (a constant became a distribution that had to be non-negative)."""
    guide = FORMAT_GUIDE.read_text(encoding="utf-8")
    assert "(`days_left: -3`" in guide
    results = sim.run(scenario_from_document(BASE, "guide"), replications=1,
                      options=["baseline"])
    assert results.replications.query("metric == 'dossiers'")["value"].iloc[0] >= 20


# Every number of the schema has a lower and an upper bound. A distribution's parameters are
# bounded where it is used (the quantity's unit sets the range), so a distribution must sit
# under such a check; the warm-up is bounded by the run's length, checked after the schema.
BOUNDED_ELSEWHERE = {"Scenario.warmup_minutes": "less than the minutes to the run's last closing"}
EXTENT = {"mean", "low", "mode", "high", "values"}


def _numbers(annotation: Any, where: str, checks: list, seen: set) -> list[tuple[str, list, bool]]:
    """(place, constraints, inside a distribution check) of every number and date reachable
    from an annotation."""
    found = []
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is typing.Annotated:
        metadata = [m for meta in args[1:] for m in getattr(meta, "metadata", [meta])]
        return _numbers(args[0], where, checks + metadata, seen)
    if origin in (typing.Union, type(int | str)):
        return [found for member in args for found in _numbers(member, where, checks, seen)]
    if origin in (list, dict):  # the container's constraints are not its items'
        return [found for item in args for found in _numbers(item, where, [], seen)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return []
        distribution = any(isinstance(c, AfterValidator) for c in checks)
        for name, info in annotation.model_fields.items():
            extent = distribution and name in EXTENT
            for place, constraints, inside in _numbers(
                    info.annotation, f"{annotation.__name__}.{name}", list(info.metadata),
                    seen | {annotation}):
                found.append((place, constraints, inside or extent))
        return found
    if annotation in (int, float, dt.date, dt.datetime):
        return [(where, checks, False)]
    return []


def test_every_number_of_the_schema_has_a_range() -> None:
    unbounded = []
    for place, constraints, in_distribution in _numbers(Scenario, "Scenario", [], set()):
        lower = any(getattr(c, key, None) is not None for c in constraints for key in ("ge", "gt"))
        upper = any(getattr(c, key, None) is not None for c in constraints for key in ("le", "lt"))
        if not ((lower and upper) or in_distribution or place in BOUNDED_ELSEWHERE):
            unbounded.append(place)
    assert unbounded == []


def test_every_ranged_field_is_in_the_format_guides_table_of_ranges() -> None:
    guide = FORMAT_GUIDE.read_text(encoding="utf-8")
    table = guide.split("### Ranges", 1)[1].split("\n## ", 1)[0]
    names = {place.split(".")[-1] for place, _, _ in _numbers(Scenario, "Scenario", [], set())}
    written = {"start": "from", "end": "to"}  # the keys a file writes for these fields
    spans = re.findall(r"`([^`]+)`", table)
    missing = [name for name in sorted(names)
               if not any(re.search(rf"\b{written.get(name, name)}\b", span) for span in spans)]
    assert missing == []


def test_the_distribution_names_are_all_checked() -> None:
    """The tests above reach every distribution."""
    reached = {place.split(".")[0].lower() for place, _, inside in
               _numbers(Scenario, "Scenario", [], set()) if inside}
    assert reached >= set(DISTRIBUTION_NAMES)


MAPPING_FILES = {ROOT / "scenarios" / "records" / "ward_columns.yaml"}  # not scenarios


def test_bundled_scenarios_lie_within_the_ranges() -> None:
    for path in sorted((ROOT / "scenarios").rglob("*.yaml")):
        if path not in MAPPING_FILES:
            load_scenario(path)


def test_yaml_12_numbers_are_numbers() -> None:
    """YAML 1.1 reads 1e2 and 2e2 as text: `per_day: 2e2` was 'not a valid number'."""
    scenario = load_scenario(TINY, overrides=["arrivals.per_day=2e2",
                                              "procedures[1].service.mean=1.5E1"]).baseline
    assert scenario.arrivals.per_day == 200.0
    assert scenario.procedures[1].service.mean == 15.0
    with pytest.raises(ScenarioError, match=re.escape("less than or equal to 100,000")):
        load_scenario(TINY, overrides=["arrivals.per_day=1e9"])
    assert math.isclose(load_scenario(TINY, overrides=["arrivals.per_day=.5e3"]).baseline
                        .arrivals.per_day, 500)
