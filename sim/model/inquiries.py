"""Inquiries about transferred dossiers: while a dossier of the backlog is open, its citizen
comes to ask about it at a rate per working day that rises once it is overdue; once it is
completed, nobody comes.

Exact and shared by every option: each transferred dossier has the points of a unit-rate
Poisson process drawn before the run (per backlog entry, from its own `inquiries` stream, in
blocks of a fixed size, so that an option needing more points shares the first ones). They are
mapped through the cumulative rate in working time (working days from the start of the day the
dossier arrived): the whole part of a point is the working day, the fraction its rank in that
day's arrivals at the desk. A point whose moment comes after the dossier was completed is
dropped then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import simpy

from sim.model.arrivals import Intensity
from sim.model.back_office import BackOffice
from sim.model.calendar import MINUTES_PER_DAY, Timeline
from sim.model.citizens import pools_chosen
from sim.model.deadlines import WorkingCalendar
from sim.model.record import INQUIRY
from sim.model.streams import item_keys, item_stream
from sim.scenario.distributions import as_distribution
from sim.scenario.schema import Scenario
from sim.scenario.second_visits import Inquiries as InquiriesSpec

BLOCK = 16  # points drawn per dossier at a time
SERVICE, PATIENCE, SITE = range(3)  # uniforms drawn with each point


@dataclass(frozen=True)
class InquiryPoints:
    """Unit-rate Poisson points of each transferred dossier (rows in the order of the backlog
    entries, the dossier's `origin`), and three uniforms with each point."""

    mass: np.ndarray  # (dossiers, points) increasing
    uniforms: np.ndarray  # (dossiers, points, 3)


def inquiry_points(scenario: Scenario, timeline: Timeline, seed: int) -> InquiryPoints:
    """Enough points for every transferred dossier to cover the whole run at the higher rate."""
    spec = scenario.inquiries
    working_days = sum(day.working for day in timeline.days) + 1
    needed = max(spec.per_day, spec.overdue_per_day) * working_days
    keys = item_keys([item.procedure for item in scenario.backlog])
    parts = [_entry_points(item_stream(seed, "inquiries", key), item.count, needed)
             for item, key in zip(scenario.backlog, keys, strict=True)]
    width = max((part[0].shape[1] for part in parts), default=0)
    return InquiryPoints(
        mass=np.concatenate([_pad(m, width, np.inf) for m, _ in parts]) if parts
        else np.zeros((0, 0)),
        uniforms=np.concatenate([_pad(u, width, 0.0) for _, u in parts]) if parts
        else np.zeros((0, 0, 3)))


def _entry_points(rng: np.random.Generator, count: int,
                  needed: float) -> tuple[np.ndarray, np.ndarray]:
    """Blocks of points for one entry's dossiers until every one has passed ``needed``."""
    gaps, uniforms = [], []
    while True:
        gaps.append(rng.exponential(1.0, (count, BLOCK)))
        uniforms.append(rng.random((count, BLOCK, 3)))
        mass = np.cumsum(np.concatenate(gaps, axis=1), axis=1)
        if count == 0 or mass[:, -1].min() >= needed:
            return mass, np.concatenate(uniforms, axis=1)


def _pad(values: np.ndarray, width: int, fill: float) -> np.ndarray:
    extra = [(0, 0), (0, width - values.shape[1])] + [(0, 0)] * (values.ndim - 2)
    return np.pad(values, extra, constant_values=fill)


def working_time(mass: np.ndarray, due_days: float, spec: InquiriesSpec) -> np.ndarray:
    """Working days from the start of the day of arrival at which the cumulative rate
    (``per_day`` up to ``due_days``, then ``overdue_per_day``) reaches each point's mass;
    infinite where it never does.

    >>> spec = InquiriesSpec(desk="d", per_day=0.5, overdue_per_day=2, service=
    ...     {"dist": "deterministic", "mean": 5})
    >>> working_time(np.array([0.5, 1.0, 2.0]), 2, spec).tolist()
    [1.0, 2.0, 2.5]
    """
    before = spec.per_day * due_days
    with np.errstate(divide="ignore", invalid="ignore"):
        early = np.where(spec.per_day > 0, mass / spec.per_day, np.inf)
        late = np.where(spec.overdue_per_day > 0,
                        due_days + (mass - before) / spec.overdue_per_day, np.inf)
    return np.where(mass <= before, early, late)


class Inquiries:
    """The inquiries of one run. The centre calls `backlog_dossier` as each transferred
    dossier arrives, and sets `register` and `arrive` (as for pick-ups)."""

    def __init__(self, env: simpy.Environment, scenario: Scenario, timeline: Timeline,
                 working: WorkingCalendar, back_office: BackOffice, points: InquiryPoints,
                 intensities: list[Intensity]):
        self.env = env
        self.scenario = scenario
        self.spec = scenario.inquiries
        self.working = working
        self.back_office = back_office
        self.points = points
        self.intensities = intensities
        self.days = {day.midnight: day for day in timeline.days}
        self.register: Callable[..., int] = _unset
        self.arrive: Callable[[int, int], None] = _unset

    def backlog_dossier(self, origin: int, dossier: int) -> None:
        """Schedule the inquiries of a transferred dossier that arrives now."""
        now = self.env.now
        due_days = self._due_days(now, self.back_office.due[dossier])
        times = working_time(self.points.mass[origin], due_days, self.spec)
        for index, when in enumerate(times.tolist()):
            moment = self._moment(now, when, int(self._pool(origin, index)))
            if moment is None:
                break  # the points increase: the rest lie beyond the run too
            event = self.env.timeout(moment[0] - now, (dossier, origin, index, moment[1]))
            event.callbacks.append(self._come)

    def _due_days(self, now: float, due: float) -> float:
        """Working days from the start of today to the due date's close (0 when overdue)."""
        today, due_date = self.working.dates(np.array([now, due]))
        count = np.busday_count(today, due_date, weekmask=self.working.weekmask,
                                holidays=self.working.holidays)
        return float(max(count + 1, 0)) if np.isfinite(due) else np.inf

    def _pool(self, origin: int, index: int) -> int:
        uniform = self.points.uniforms[origin, index, SITE]
        return int(pools_chosen(self.scenario, self.spec.desk, np.array([uniform]))[0])

    def _moment(self, now: float, when: float, pool: int) -> tuple[float, int] | None:
        """The clock time of working time ``when`` at the pool's desk; None beyond the run."""
        if not np.isfinite(when):
            return None
        whole = int(when)
        day = self.days.get(self.working.after_working_days(now, whole)
                            // MINUTES_PER_DAY * MINUTES_PER_DAY)
        if day is None:
            return None
        intensity = self.intensities[pool]
        low = intensity.mass_until(day.midnight)
        high = intensity.mass_until(day.midnight + MINUTES_PER_DAY)
        clock = (intensity.time_at_one(low + (when - whole) * (high - low))
                 if high > low else day.sessions[0][0])
        return max(clock, now), pool

    def _come(self, event: simpy.Event) -> None:
        """The citizen comes, unless the dossier was completed meanwhile."""
        dossier, origin, index, pool = event.value
        if self.back_office.completed[dossier] <= self.env.now:  # NaN: still open
            return
        uniforms = self.points.uniforms[origin, index]
        service = float(as_distribution(self.spec.service).ppf(uniforms[SERVICE:SERVICE + 1])[0])
        # One trip: patience, never back (an inquiry is not repeated: a new one may come).
        trip = np.array([[uniforms[PATIENCE], 1.0, 0.0, 0.0]])
        citizen = self.register(INQUIRY, dossier, pool, service, trip)
        self.arrive(citizen, 1)


def _unset(*_args: object) -> int:
    raise RuntimeError("the centre sets this before the run")
