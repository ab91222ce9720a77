"""Citizens who see a guide first: patience covers their time in queues only, and the centre's
queue statistics count them once as they move from the guidance queue to a counter queue."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis.metrics import run_metrics
from sim.analysis.timeweighted import step_max, summed_steps
from sim.model.centre import simulate
from sim.model.record import ABANDONED, SERVED
from sim.scenario.load import scenario_from_document
from sim.scenario.schema import Scenario


def guided_centre(guides: int, counters: int, per_hour: float, patience: float | None,
                  help_minutes: float, service_minutes: float) -> Scenario:
    """Everybody sees a guide first; fixed patience (None: unlimited), help and service times.
    No lunch break and nobody at the door before opening, so waits come from the queues."""
    document = {
        "name": "guided",
        "calendar": {"start": "2025-07-01", "working_days": 2, "sessions": ["07:30-17:00"]},
        "arrivals": {"per_hour": per_hour},
        "procedures": [{"id": "a", "name": "A", "share": 1.0, "desk": "general",
                        "guidance": 1.0,
                        "service": {"dist": "deterministic", "mean": service_minutes}}],
        "desks": {"general": {"counters": counters}},
        "guidance": {"staff": guides,
                     "service": {"dist": "deterministic", "mean": help_minutes}},
        "at_closing": "serve_all",
    }
    if patience is not None:
        document["patience"] = {"dist": "deterministic", "mean": patience}
    return scenario_from_document(document, "guided.yaml").baseline


def test_nobody_gives_up_while_a_guide_helps() -> None:
    """Patience 20, help 30, more guides and counters than anyone could keep busy: nobody
    waits, so nobody gives up, however long the help takes."""
    visits = simulate(guided_centre(guides=50, counters=50, per_hour=5, patience=20,
                                    help_minutes=30, service_minutes=5), seed=1).visits
    assert len(visits["outcome"]) > 40
    assert (visits["outcome"] == SERVED).all()
    assert (visits["wait"] == 0).all()


def test_patience_is_spent_in_the_queues_only() -> None:
    """One guide, one counter, fixed patience 20: a visit gives up when its two queue waits
    add up to exactly 20 minutes (the 6 minutes with a guide do not count), and a visit that
    reaches a counter waited at most 20 minutes."""
    visits = simulate(guided_centre(guides=1, counters=1, per_hour=9, patience=20,
                                    help_minutes=6, service_minutes=8), seed=2).visits
    gave_up = visits["outcome"] == ABANDONED
    after_help = gave_up & ~np.isnan(visits["guidance_wait"])
    assert after_help.sum() >= 5, "some were meant to give up in the counter queue"
    assert (gave_up & np.isnan(visits["guidance_wait"])).any(), "and some before a guide"
    np.testing.assert_allclose(visits["wait"][gave_up], 20.0, rtol=0, atol=1e-9)
    assert (visits["wait"][~gave_up] <= 20.0 + 1e-9).all()
    ends = visits["end"][after_help]
    np.testing.assert_allclose(ends - visits["arrival"][after_help], 20.0 + 6.0, atol=1e-9)


def test_a_zero_length_step_does_not_count_toward_the_max() -> None:
    """At minute 10 one citizen leaves the guidance queue (for a guide) and another, helped
    until then, joins the counter queue, which is logged first: one waits throughout."""
    counter = (np.array([0.0, 10.0]), np.array([0.0, 1.0]))
    guidance = (np.array([0.0, 10.0]), np.array([1.0, 0.0]))
    times, waiting = summed_steps([counter, guidance])
    assert step_max(times, waiting, 0.0) == 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_queue_max_counts_a_citizen_once_when_leaving_a_guide(seed: int) -> None:
    """queue_max is the most citizens waiting at once over stretches of time: a citizen who
    leaves the guidance team and joins a counter queue in the same instant as the next one
    leaves the guidance queue is not counted in both queues."""
    scenario = guided_centre(guides=1, counters=1, per_hour=7, patience=None,
                             help_minutes=7, service_minutes=9)
    record = simulate(scenario, seed)
    visits = record.visits
    helped_until = visits["arrival"] + visits["guidance_wait"] + 7
    starts = np.concatenate([visits["arrival"], helped_until])
    ends = np.concatenate([visits["arrival"] + visits["guidance_wait"], visits["start"]])
    handed_over = np.isin(np.round(helped_until, 6),
                          np.round(visits["arrival"] + visits["guidance_wait"], 6))
    assert (handed_over & (visits["start"] > helped_until)).any(), (
        "a citizen was meant to join a counter queue as the next one reaches the guide")
    assert run_metrics(record, scenario)["queue_max"] == most_at_once(starts, ends)


def most_at_once(starts: np.ndarray, ends: np.ndarray) -> int:
    """Most half-open intervals [start, end) covering one moment: at equal times an interval
    ends before the next begins, and an empty one never counts. Times rebuilt from the visit
    table by sums are equal only up to rounding, so they are compared to a microminute."""
    starts, ends = np.round(starts, 6), np.round(ends, 6)
    kept = ends > starts
    times = np.concatenate([starts[kept], ends[kept]])
    steps = np.concatenate([np.ones(kept.sum()), -np.ones(kept.sum())])
    order = np.lexsort((steps, times))  # by time, the -1 of an end first
    return int(np.cumsum(steps[order]).max())
