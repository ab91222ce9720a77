"""Disruptions in simulated time: counter stops, slower service, and blocked procedures.

Random outages are drawn before the run, each from its own stream, so every staffing option meets
the same outages at the same moments (common random numbers).
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from sim.model.calendar import MINUTES_PER_DAY, Timeline
from sim.model.streams import item_keys, item_stream
from sim.scenario.distributions import as_distribution
from sim.scenario.limits import MAX_COMBINED_SLOWDOWN
from sim.scenario.schema import Scenario
from sim.scenario.transition import Blocked, Outage, Slowdown


@dataclass(frozen=True)
class Stop:
    """Counters of some desks stop from start to end (minutes)."""

    start: float
    end: float
    desks: tuple[str, ...] | None  # None: every desk


@dataclass(frozen=True)
class DisruptionPlan:
    """Everything disrupted in one run, in simulated minutes."""

    stops: tuple[Stop, ...] = ()
    slow_edges: list[float] = field(default_factory=list)  # breakpoints of the service factor
    slow_factors: list[float] = field(default_factory=lambda: [1.0])  # one more than edges
    blocked: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)

    def service_factor(self, time: float) -> float:
        """How much longer a service starting at ``time`` takes."""
        return self.slow_factors[bisect.bisect_right(self.slow_edges, time)]

    def blocked_until(self, procedure: str, time: float) -> float | None:
        """End of the block on ``procedure`` at ``time``, or None when it can be completed."""
        for start, end in self.blocked.get(procedure, ()):
            if start <= time < end:
                return end
        return None


def plan_disruptions(scenario: Scenario, timeline: Timeline, seed: int) -> DisruptionPlan:
    """Resolve the scenario's disruptions into times, drawing the random ones (each outage from
    its own stream, see `_outage_keys`)."""
    start = scenario.calendar.start
    stops: list[Stop] = []
    slow: list[tuple[float, float, float]] = []
    blocked: dict[str, list[tuple[float, float]]] = {}
    keys = iter(_outage_keys(scenario))
    for disruption in scenario.disruptions:
        match disruption:
            case Outage():
                rng = item_stream(seed, "disruptions", next(keys))
                for begin, length in _outage_times(disruption, start, timeline, rng):
                    if disruption.effect == "counters_stop":
                        desks = tuple(disruption.desks) if disruption.desks else None
                        stops += _within_run(Stop(begin, begin + length, desks))
                    else:
                        slow.append((begin, begin + length, disruption.service_factor))
            case Slowdown():
                slow.append((_day_start(disruption.start, start),
                             _day_start(disruption.end, start) + MINUTES_PER_DAY,
                             disruption.service_factor))
            case Blocked():
                blocked.setdefault(disruption.procedure, []).append(
                    (_day_start(disruption.start, start),
                     _day_start(disruption.end, start) + MINUTES_PER_DAY))
    edges, factors = _piecewise_factor(slow)
    return DisruptionPlan(tuple(sorted(stops, key=lambda s: s.start)), edges, factors,
                          {p: tuple(spans) for p, spans in blocked.items()})


def _outage_keys(scenario: Scenario) -> list[str]:
    """Stream keys of the outages, in order: what the outage is, not where it is listed. A dated
    one is its moment, a random one the desks it hits; changing how often, how long or with what
    effect keeps the key, so the outage keeps its random numbers and the others keep theirs."""
    names = []
    for outage in scenario.disruptions:
        if isinstance(outage, Outage):
            names.append(f"at {outage.start:%Y-%m-%d %H:%M}" if outage.start is not None
                         else "random at " + ",".join(outage.desks or ["every desk"]))
    return item_keys(names)


def _within_run(stop: Stop) -> list[Stop]:
    """The part of a stop from time 0 on: simulated time starts at 00:00 of the start date, so
    an outage over by then stops nothing, and one that began before stops the counters from 0."""
    if stop.end <= 0:
        return []
    return [Stop(max(stop.start, 0.0), stop.end, stop.desks)]


def _day_start(date: dt.date, start: dt.date) -> float:
    return float((date - start).days * MINUTES_PER_DAY)


def _outage_times(outage: Outage, start: dt.date, timeline: Timeline,
                  rng: np.random.Generator) -> list[tuple[float, float]]:
    """(start, minutes) of each outage: the given moment, or Poisson many at random open times."""
    if outage.start is not None:
        moments = np.array([(outage.start - dt.datetime.combine(start, dt.time())).total_seconds()
                            / 60])
    else:
        opens, closes = np.array(timeline.periods, dtype=float).reshape(-1, 2).T
        lengths = closes - opens
        count = rng.poisson(outage.per_day * len(timeline.days))
        # Uniform over open time: pick a point along the concatenated open periods.
        along = np.sort(rng.random(count)) * lengths.sum()
        cumulative = np.concatenate([[0.0], np.cumsum(lengths)])
        period = np.searchsorted(cumulative, along, side="right") - 1
        moments = opens[period] + along - cumulative[period]
    minutes = as_distribution(outage.minutes).ppf(rng.random(len(moments)))
    return list(zip(moments.tolist(), minutes.tolist(), strict=True))


def _piecewise_factor(slow: list[tuple[float, float, float]]) -> tuple[list[float], list[float]]:
    """Overlapping slowdowns multiply, up to MAX_COMBINED_SLOWDOWN (random outages may overlap
    any number of times, and service times must stay finite); return breakpoints and the
    factor after each."""
    edges = sorted({t for begin, end, _ in slow for t in (begin, end)})
    factors = [1.0]
    for edge in edges:
        factor = 1.0
        for begin, end, f in slow:
            if begin <= edge < end:
                factor = min(factor * f, MAX_COMBINED_SLOWDOWN)
        factors.append(factor)
    return edges, factors
