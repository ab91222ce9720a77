"""When each counter pool receives visitors: a desk whose schedule closes all its counters part
of the day (a land desk open mornings only) receives its citizens in its open periods.

Each such citizen's arrival keeps its day and its rank within the day's arrival distribution:
the same uniform is mapped through that distribution restricted to the desk's open periods. So
the day's demand is kept exactly, and every option sees the same citizens, only at the hours
its desk opens. Arrivals outside the sessions (queueing at the door before opening, at lunch)
are kept as the centre's profile gives them: only the hours the centre is open and the desk is
not are taken out.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np

from sim.model.arrivals import Intensity
from sim.model.calendar import MINUTES_PER_DAY, Timeline
from sim.model.citizens import Citizens, counter_pools
from sim.scenario.schema import Scenario
from sim.scenario.types import level_at, schedule_points


def pool_intensities(scenario: Scenario, timeline: Timeline,
                     intensity: Intensity) -> list[Intensity]:
    """Each counter pool's arrival intensity: the centre's, without the hours the centre is
    open and the pool's desk has no counter open (left whole where that leaves a day empty)."""
    site_desks = scenario.site_desks()
    result = []
    for pool in counter_pools(scenario):
        closed = closed_periods(timeline, site_desks[pool.site][pool.desk])
        result.append(_keep_days(timeline, intensity, _without(intensity, closed))
                      if closed else intensity)
    return result


def closed_periods(timeline: Timeline, desk) -> list[tuple[float, float]]:
    """The spans within sessions in which a desk's schedule opens no counter, in time order."""
    points = schedule_points(desk.schedule)
    if not any(count == 0 for _, count in points):
        return []
    spans = []
    for day in timeline.days:
        for start, end in day.sessions:
            edges = sorted({start, end, *(day.midnight + clock for clock, _ in points
                                          if start < day.midnight + clock < end)})
            spans += [(a, b) for a, b in itertools.pairwise(edges)
                      if level_at(points, a - day.midnight, desk.counters) == 0]
    return spans


def _without(intensity: Intensity, closed: list[tuple[float, float]]) -> Intensity:
    """The intensity with every closed span cut out of its segments."""
    pieces = []
    for start, length, rate in zip(intensity.starts.tolist(), intensity.lengths.tolist(),
                                   intensity.rates.tolist(), strict=True):
        cursor, end = start, start + length
        for a, b in closed:
            if b <= cursor or a >= end:
                continue
            if a > cursor:
                pieces.append((cursor, a - cursor, rate))
            cursor = max(cursor, b)
        if cursor < end:
            pieces.append((cursor, end - cursor, rate))
    columns = [np.array(column, dtype=float) for column in zip(*pieces, strict=True)] \
        if pieces else [np.zeros(0)] * 3
    return Intensity(*columns)


def _keep_days(timeline: Timeline, whole: Intensity, restricted: Intensity) -> Intensity:
    """The restricted intensity, except on days it leaves without any expected arrival but the
    centre's has some: those days keep the centre's (the citizens still come, and wait)."""
    keep = []
    for day in timeline.days:
        span = (day.midnight, day.midnight + MINUTES_PER_DAY)
        source = restricted if _mass(restricted, *span) > 0 else whole
        inside = (source.starts >= span[0]) & (source.starts < span[1])
        keep.append((source.starts[inside], source.lengths[inside], source.rates[inside]))
    return Intensity(*(np.concatenate(column) for column in zip(*keep, strict=True)))


def _mass(intensity: Intensity, start: float, end: float) -> float:
    return intensity.mass_until(end) - intensity.mass_until(start)


def arrivals_in_open_hours(citizens: Citizens, whole: Intensity,
                           intensities: list[Intensity]) -> Citizens:
    """Citizens whose pool has its own intensity arrive at the same rank of their day's
    arrivals under it: the day and the number of arrivals per day are kept."""
    arrival = citizens.arrival.copy()
    for pool, intensity in enumerate(intensities):
        mine = citizens.pool == pool
        if intensity is whole or not mine.any():
            continue
        arrival[mine] = same_rank(whole, intensity, arrival[mine])
    return dataclasses.replace(citizens, arrival=arrival)


def same_rank(whole: Intensity, restricted: Intensity, times: np.ndarray) -> np.ndarray:
    """Times of the same day at the same quantile of the day's arrivals under `restricted`."""
    midnight = np.floor_divide(times, MINUTES_PER_DAY) * MINUTES_PER_DAY
    whole_mass = _masses(whole)
    low, high = whole_mass(midnight), whole_mass(midnight + MINUTES_PER_DAY)
    rank = (whole_mass(times) - low) / (high - low)
    restricted_mass = _masses(restricted)
    r_low, r_high = restricted_mass(midnight), restricted_mass(midnight + MINUTES_PER_DAY)
    return restricted.time_at(r_low + rank * (r_high - r_low))


def _masses(intensity: Intensity):
    """The cumulative intensity as a vectorised function of time."""
    ends = intensity.starts + intensity.lengths
    cumulative = np.concatenate([[0.0], intensity.cumulative])

    def mass(times: np.ndarray) -> np.ndarray:
        segment = np.searchsorted(ends, times, side="left")
        segment = np.minimum(segment, len(ends) - 1)
        inside = np.clip(times - intensity.starts[segment], 0.0, intensity.lengths[segment])
        return cumulative[segment] + intensity.rates[segment] * inside

    return mass
