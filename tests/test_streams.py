"""Common random numbers item by item: every procedure's online filings, every backlog entry and
every random outage draws from its own stream, so changing one leaves the others' draws as they
were (before, they drew in turn from one shared stream)."""

from __future__ import annotations

import numpy as np

from sim.model.back_office import SOURCES
from sim.model.calendar import build_timeline
from sim.model.centre import simulate
from sim.model.disruptions import DisruptionPlan, plan_disruptions
from sim.scenario.load import scenario_from_document
from sim.scenario.schema import Scenario

SEED = 11
ONLINE, BACKLOG = SOURCES.index("online"), SOURCES.index("backlog")


def centre(online_a: float = 0.3, backlog_a: int = 40, outage_a: float = 0.5) -> Scenario:
    """Two procedures with back-office work, online filing and a transferred backlog, and two
    kinds of random outage; the arguments change what belongs to procedure a (or outage 0)."""
    def procedure(pid: str, online: float) -> dict:
        return {"id": pid, "name": pid, "share": 0.5, "desk": "general", "online_share": online,
                "service": {"dist": "exponential", "mean": 10},
                "back_office": {"hours": {"dist": "gamma", "mean": 1.0, "cv": 0.5},
                                "handoff": "land_registry"},
                "deadline": {"working_days": 5}}

    document = {
        "name": "streams",
        "calendar": {"start": "2025-07-01", "working_days": 10},
        "arrivals": {"per_day": 60},
        "procedures": [procedure("a", online_a), procedure("b", 0.4)],
        "desks": {"general": {"counters": 3}},
        "back_office": {"staff": 2, "hours_per_day": 6,
                        "handoffs": {"land_registry": {"delay_days": {
                            "dist": "uniform", "low": 1, "high": 4}}}},
        "backlog": [{"procedure": "a", "count": backlog_a,
                     "days_left": {"dist": "uniform", "low": -3, "high": 10}},
                    {"procedure": "b", "count": 30,
                     "days_left": {"dist": "uniform", "low": -3, "high": 10}}],
        "disruptions": [
            {"kind": "outage", "per_day": outage_a, "minutes": {"dist": "exponential",
                                                                "mean": 30}},
            {"kind": "outage", "per_day": 0.5, "minutes": {"dist": "exponential", "mean": 20},
             "effect": "slowdown", "service_factor": 2},
        ],
    }
    return scenario_from_document(document, "streams").baseline


def dossiers_of(scenario: Scenario, source: int, procedure: int) -> dict[str, np.ndarray]:
    """Received, due and work of one procedure's dossiers from one source, in arrival order."""
    dossiers = simulate(scenario, SEED).dossiers
    chosen = (dossiers["source"] == source) & (dossiers["procedure"] == procedure)
    order = np.argsort(dossiers["received"][chosen], kind="stable")
    return {name: dossiers[name][chosen][order] for name in ("received", "due", "work")}


def assert_same(first: dict[str, np.ndarray], second: dict[str, np.ndarray]) -> None:
    assert len(first["received"]) > 0
    for name in first:
        np.testing.assert_array_equal(first[name], second[name], err_msg=name)


def test_another_procedures_online_share_leaves_online_filings_unchanged() -> None:
    before = dossiers_of(centre(online_a=0.3), ONLINE, procedure=1)
    after = dossiers_of(centre(online_a=0.6), ONLINE, procedure=1)
    assert_same(before, after)
    a_before = dossiers_of(centre(online_a=0.3), ONLINE, procedure=0)
    a_after = dossiers_of(centre(online_a=0.6), ONLINE, procedure=0)
    assert len(a_after["received"]) > len(a_before["received"])  # the change did something


def test_another_backlog_entry_leaves_transferred_dossiers_unchanged() -> None:
    assert_same(dossiers_of(centre(backlog_a=40), BACKLOG, procedure=1),
                dossiers_of(centre(backlog_a=90), BACKLOG, procedure=1))


def test_another_outage_leaves_random_outages_unchanged() -> None:
    def plan(outage_a: float) -> DisruptionPlan:
        scenario = centre(outage_a=outage_a)
        return plan_disruptions(scenario, build_timeline(scenario.calendar), SEED)

    fewer, more = plan(0.5), plan(3.0)
    assert len(more.stops) > len(fewer.stops)  # the change did something
    assert fewer.slow_edges  # there are slowdowns to compare
    assert (fewer.slow_edges, fewer.slow_factors) == (more.slow_edges, more.slow_factors)
