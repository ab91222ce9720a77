"""Arrival intensity over the whole run, and exact sampling of its Poisson process.

The intensity is piecewise constant in clock time (the planner's profile). We sample by
inversion: unit-rate Poisson points on the cumulative-intensity axis mapped back through its
inverse. This is exact for any piecewise-constant rate (a short peak is never skipped, unlike
thinning with a coarse grid) and it keeps common random numbers: the same unit-rate points give
the same citizens when an option leaves the demand alone.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from sim.model.calendar import MINUTES_PER_DAY, OpeningDay, Timeline
from sim.model.memo import remember_last
from sim.scenario.schema import WEEKDAYS, Arrivals, Calendar, clock_minutes, session_minutes


@dataclass(frozen=True)
class Intensity:
    """Arrivals per minute on segments [starts[i], starts[i] + lengths[i]) with rates[i] > 0."""

    starts: np.ndarray
    lengths: np.ndarray
    rates: np.ndarray

    @cached_property
    def cumulative(self) -> np.ndarray:
        """Expected arrivals up to the end of each segment (worked out once: returns and
        collectors ask for it during the run)."""
        return np.cumsum(self.rates * self.lengths)

    @cached_property
    def _masses(self) -> dict[float, float]:
        """`mass_until` of the times asked so far (the same midnights, again and again)."""
        return {}

    @property
    def expected_total(self) -> float:
        return float(self.cumulative[-1]) if len(self.rates) else 0.0

    @cached_property
    def _lists(self) -> tuple[list[float], list[float], list[float], list[float]]:
        """cumulative, starts, lengths and rates as lists, for `time_at_one`."""
        return (self.cumulative.tolist(), self.starts.tolist(), self.lengths.tolist(),
                self.rates.tolist())

    def time_at(self, mass: np.ndarray) -> np.ndarray:
        """Inverse of the cumulative intensity: when the expected count reaches ``mass``."""
        cumulative = self.cumulative
        segment = np.minimum(np.searchsorted(cumulative, mass, side="right"), len(cumulative) - 1)
        return _inverse((cumulative, self.starts, self.lengths, self.rates), segment, mass)

    def time_at_one(self, mass: float) -> float:
        """`time_at` of one mass (the same numbers), without numpy's cost per call: returns,
        collectors and inquiries ask for one time at a time during the run."""
        cumulative = self._lists[0]
        segment = min(bisect.bisect_right(cumulative, mass), len(cumulative) - 1)
        return _inverse(self._lists, segment, mass)

    def masses_until(self, times: np.ndarray) -> np.ndarray:
        """`mass_until` of each time, at once: each row summed as that would sum it, so the
        same numbers."""
        overlap = np.clip(times[:, None] - self.starts[None, :], 0.0, self.lengths[None, :])
        return np.sum(self.rates * overlap, axis=1)

    def mass_until(self, time: float) -> float:
        """Expected arrivals before ``time``."""
        mass = self._masses.get(time)
        if mass is None:
            overlap = np.clip(time - self.starts, 0.0, self.lengths)
            mass = self._masses[time] = float(np.sum(self.rates * overlap))
        return mass


def _inverse(columns: tuple, segment: Any, mass: Any) -> Any:
    """Within ``segment`` (cumulative, starts, lengths, rates: arrays or lists), the time at
    which the expected count reaches ``mass``."""
    cumulative, starts, lengths, rates = columns
    before = cumulative[segment] - rates[segment] * lengths[segment]
    return starts[segment] + (mass - before) / rates[segment]


def build_intensity(
    arrivals: Arrivals,
    calendar: Calendar,
    timeline: Timeline,
    day_scale: Callable[[OpeningDay], float] | None = None,
) -> Intensity:
    """The run's arrival rate in absolute time, from per_day + profile or from per_hour,
    optionally scaled per day (online filings follow the visitors' pattern, scaled). The
    unscaled one is remembered on its own: a scaled call (a new closure each time) would
    otherwise push it out of the memory between one run and the next."""
    if day_scale is None:
        return _visitors_intensity(arrivals, calendar, timeline)
    return _scaled_intensity(arrivals, calendar, timeline, day_scale)


@remember_last
def _visitors_intensity(arrivals: Arrivals, calendar: Calendar, timeline: Timeline
                        ) -> Intensity:
    return _scaled_intensity(arrivals, calendar, timeline, None)


def _scaled_intensity(arrivals: Arrivals, calendar: Calendar, timeline: Timeline,
                      day_scale: Callable[[OpeningDay], float] | None) -> Intensity:
    pieces = _merge_equal_neighbours([
        (start, length, rate * (day_scale(day) if day_scale else 1.0))
        for day, day_pieces in _pieces_by_day(arrivals, calendar, timeline)
        for start, length, rate in day_pieces
        if rate > 0 and length > 0
    ])
    pieces = [piece for piece in pieces if piece[2] > 0]
    if not pieces:
        empty = np.zeros(0)
        return Intensity(empty, empty, empty)
    starts, lengths, rates = (np.array(column, dtype=float) for column in zip(*pieces, strict=True))
    return Intensity(starts, lengths, rates)


@remember_last
def _pieces_by_day(arrivals: Arrivals, calendar: Calendar, timeline: Timeline
                   ) -> tuple[tuple[OpeningDay, list[tuple[float, float, float]]], ...]:
    """Each opening day's (start, length, rate) pieces, before any scaling: online filings
    scale the same pieces."""
    profile = None if arrivals.per_hour is not None else _profile_segments(arrivals, calendar)
    return tuple((day, _day_pieces(arrivals, profile, day)) for day in timeline.days)


def _merge_equal_neighbours(
    pieces: list[tuple[float, float, float]],
) -> list[tuple[float, float, float]]:
    """Join touching segments with the same rate, so that the same intensity written in more
    pieces (two half-day sessions, or midnight in a 24-hour centre) gives the same numbers."""
    merged: list[tuple[float, float, float]] = []
    for start, length, rate in pieces:
        if merged and merged[-1][0] + merged[-1][1] == start and merged[-1][2] == rate:
            merged[-1] = (merged[-1][0], merged[-1][1] + length, rate)
        else:
            merged.append((start, length, rate))
    return merged


def _day_pieces(arrivals: Arrivals, profile: list[tuple[float, float, float]] | None,
                day: OpeningDay) -> list[tuple[float, float, float]]:
    """One day's pieces: per_hour over its sessions, or the day's share of per_day over the
    profile's segments (None with per_hour)."""
    factor = _day_factor(arrivals, day)
    if profile is None:
        return [(a, b - a, arrivals.per_hour / 60 * factor) for a, b in day.sessions]
    normaliser = sum(length * weight for _, length, weight in profile)
    day_closes = day.closes - day.midnight
    pieces = []
    for start, length, weight in profile:
        length = min(length, day_closes - start)  # no arrivals after the day's last closing
        rate = arrivals.per_day * factor * weight / normaliser
        pieces.append((day.midnight + start, length, rate))
    return pieces


def _profile_segments(arrivals: Arrivals, calendar: Calendar) -> list[tuple[float, float, float]]:
    """(clock start, length, relative weight) over an ordinary working day."""
    if arrivals.profile is None:  # default: arrivals spread evenly over the sessions
        return [(a, b - a, 1.0) for a, b in map(session_minutes, calendar.sessions)]
    points = sorted((clock_minutes(c), w) for c, w in arrivals.profile.items())
    ordinary_close = session_minutes(calendar.sessions[-1]).closes
    ends = [p for p, _ in points[1:]] + [max(ordinary_close, points[-1][0])]
    return [(start, min(end, ordinary_close) - start, weight)
            for (start, weight), end in zip(points, ends, strict=True) if start < ordinary_close]


def _day_factor(arrivals: Arrivals, day: OpeningDay) -> float:
    factor = arrivals.weekday_factor.get(WEEKDAYS[day.date.weekday()], 1.0)
    for surge in arrivals.surges:
        if surge.start <= day.date <= surge.end:
            factor *= surge.factor
    return factor


def sample_arrival_times(intensity: Intensity, rng: np.random.Generator) -> np.ndarray:
    """Exact non-homogeneous Poisson arrival times (sorted) over the whole run."""
    total = intensity.expected_total
    if total <= 0:
        return np.zeros(0)
    batch = max(16, int(total + 6 * np.sqrt(total)) + 16)
    points = np.cumsum(rng.exponential(1.0, batch))
    while points[-1] < total:  # rare: draw more unit-rate points until past the total mass
        points = np.concatenate([points, points[-1] + np.cumsum(rng.exponential(1.0, batch))])
    return intensity.time_at(points[points < total])


def time_on_day(intensity: Intensity, day: OpeningDay, uniform: float) -> float:
    """An arrival clock time on a given day, distributed like that day's arrivals (a return
    trip's, drawn one at a time)."""
    low, high = _day_masses(intensity, day)
    if high <= low:  # nobody is expected that day: return at opening
        return day.sessions[0][0]
    return intensity.time_at_one(low + uniform * (high - low))


def _day_masses(intensity: Intensity, day: OpeningDay) -> tuple[float, float]:
    """Expected arrivals before the day's midnight, and before the next one."""
    return (intensity.mass_until(day.midnight),
            intensity.mass_until(day.midnight + MINUTES_PER_DAY))
