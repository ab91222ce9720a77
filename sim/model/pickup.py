"""Collecting results: the citizen of a dossier whose procedure has a `pickup` comes back for
the result, on or after the date promised on the ticket. One who finds the dossier completed is
handed the result at the pick-up desk; one who comes before it is completed makes a wasted trip
and comes again some working days later. Transferred (backlog) dossiers are collected at the
commune centre too; online dossiers get their result online.

Each collector is a visitor of their own, added when the dossier is received (`register`), with
draws made before the run: per submitting citizen from the `pickup` stream, per transferred
dossier from its backlog entry's `pickup_backlog` stream, so that every option sees the same
collectors whatever the order in which the back office receives the dossiers.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import simpy

from sim.model.arrivals import Intensity
from sim.model.back_office import BackOffice
from sim.model.calendar import MINUTES_PER_DAY, OpeningDay, Timeline
from sim.model.citizens import Citizens, choose_pool, counter_pools
from sim.model.deadlines import WorkingCalendar
from sim.model.record import NOT_READY, PICKUP, SERVED
from sim.model.returns import TripDraws
from sim.model.streams import item_keys, item_stream
from sim.scenario.distributions import as_distribution
from sim.scenario.schema import Scenario

# Columns of a collector's draws: whether in person, lag, service, clock of the first trip,
# site; then per trip: patience, return, clock, return lag, and the lag after a wasted trip.
IN_PERSON, LAG, SERVICE, CLOCK, SITE, FIXED = range(6)
PER_TRIP = 5


def draw_width(scenario: Scenario) -> int:
    return FIXED + PER_TRIP * scenario.max_trips


def uses_pickup(scenario: Scenario) -> bool:
    return any(p.pickup is not None for p in scenario.procedures)


def backlog_draws(scenario: Scenario, seed: int) -> np.ndarray:
    """Collector draws of the transferred dossiers, in the order of the backlog entries (the
    `origin` of a transferred dossier), each entry from its own stream."""
    keys = item_keys([item.procedure for item in scenario.backlog])
    width = draw_width(scenario)
    parts = [item_stream(seed, "pickup_backlog", key).random((item.count, width))
             for item, key in zip(scenario.backlog, keys, strict=True)]
    return np.concatenate(parts) if parts else np.zeros((0, width))


class Pickups:
    """The collectors of one run. The centre calls `counter_dossier` and `backlog_dossier` as
    dossiers are received and `outcome` when a collector's service ends."""

    def __init__(self, env: simpy.Environment, scenario: Scenario, timeline: Timeline,
                 working: WorkingCalendar, back_office: BackOffice, citizens: Citizens,
                 counter_draws: np.ndarray, transferred_draws: np.ndarray, draws: TripDraws):
        self.env = env
        self.scenario = scenario
        self.timeline = timeline
        self.working = working
        self.back_office = back_office
        self.citizens = citizens
        self.counter_draws = counter_draws
        self.transferred_draws = transferred_draws
        self.draws = draws
        self.days = {day.midnight: day for day in timeline.days}
        self.pools = counter_pools(scenario)
        self.sites = list(scenario.site_desks())
        # Per collector (row_of: a collector's citizen number to their row): the dossier, its
        # pool, and the uniforms of the lag after each wasted trip.
        self.row_of: dict[int, int] = {}
        self.dossier_of: list[int] = []
        self.pool_of: list[int] = []
        self.again_of: list[np.ndarray] = []
        # Set by the centre: a new visitor (purpose, dossier, pool, service minutes, per-trip
        # uniforms) and their number, the arrival of a trip, pool intensities.
        self.register: Callable[..., int] = _unset
        self.arrive: Callable[[int, int], None] = _unset
        self.intensities: list[Intensity] = []

    def counter_dossier(self, citizen: int, dossier: int) -> None:
        """A dossier received at the counter from ``citizen``."""
        row = self.counter_draws[citizen]
        site = int(self.citizens.site[citizen])
        self._collector(dossier, row, site)

    def backlog_dossier(self, origin: int, dossier: int) -> None:
        """A transferred dossier received now (`origin`: its row in the backlog draws)."""
        self._collector(dossier, self.transferred_draws[origin], None, transferred=True)

    def _collector(self, dossier: int, row: np.ndarray, site: int | None,
                   transferred: bool = False) -> None:
        procedure = self.scenario.procedures[self.back_office.procedure[dossier]]
        pickup = procedure.pickup
        if pickup is None or row[IN_PERSON] >= pickup.in_person:
            return
        pool = self._pool(pickup.desk or procedure.desk, site, row[SITE])
        service = float(as_distribution(pickup.service).ppf(row[SERVICE : SERVICE + 1])[0])
        per_trip = row[FIXED:].reshape(-1, PER_TRIP)
        citizen = self.register(PICKUP, dossier, pool, service, per_trip[:, :4])
        self.row_of[citizen] = len(self.dossier_of)
        self.dossier_of.append(dossier)
        self.pool_of.append(pool)
        self.again_of.append(per_trip[:, 4])
        lag = _working_days(pickup.lag_days, row[LAG], least=0)
        promised_days = None if transferred else pickup.promised_days
        day = self._day(self._promised(dossier, promised_days), lag)
        if day is not None:
            self._schedule(citizen, 1, self._time(pool, day, row[CLOCK]))

    def _pool(self, desk: str, site: int | None, uniform: float) -> int:
        """The citizen's own site's pool of the desk, else one chosen by the site shares."""
        for index, pool in enumerate(self.pools):
            if site is not None and pool.desk == desk and pool.site == self.sites[site]:
                return index
        return choose_pool(self.scenario, desk, uniform)

    def _promised(self, dossier: int, promised_days: int | None) -> float:
        """The promised date (its close of business): the ticket's, or the due date (always,
        for a transferred dossier); one already overdue is promised on the day it arrives."""
        now = self.env.now
        if promised_days is not None:
            return self.working.due_one(now, promised_days)
        return max(self.back_office.due[dossier], now)

    def _day(self, time: float, working_days: int) -> OpeningDay | None:
        """The opening day ``working_days`` working days after the date of ``time``; None
        beyond the run."""
        close = self.working.after_working_days(time, working_days)
        return self.days.get(close // MINUTES_PER_DAY * MINUTES_PER_DAY)

    def _time(self, pool: int, day: OpeningDay, uniform: float) -> float | None:
        """A clock time on ``day`` drawn from the pool's arrivals of that day, from now on
        (on the next opening day when the rest of today expects nobody)."""
        intensity = self.intensities[pool]
        now = self.env.now
        low = intensity.mass_until(max(day.midnight, now))
        high = intensity.mass_until(day.midnight + MINUTES_PER_DAY)
        if high > low:
            return intensity.time_at_one(low + uniform * (high - low))
        if now < day.midnight:
            return day.sessions[0][0]  # nobody is expected that day: at opening
        later = self.timeline.next_day_after(now)
        return None if later is None else self._time(pool, later, uniform)

    def _schedule(self, citizen: int, trip: int, when: float | None) -> None:
        if when is None:
            return
        back = self.env.timeout(when - self.env.now, (citizen, trip))
        back.callbacks.append(lambda event: self.arrive(*event.value))

    def outcome(self, citizen: int, trip: int, started: float) -> int:
        """Served with the result if the dossier was completed when the officer looked (at
        the start of service); otherwise a wasted trip, and the citizen comes again."""
        row = self.row_of[citizen]
        dossier = self.dossier_of[row]
        if self.back_office.completed[dossier] <= started:  # NaN: still open
            return SERVED
        if trip < self.scenario.max_trips:
            pickup = self.scenario.procedures[self.back_office.procedure[dossier]].pickup
            again = _working_days(pickup.again_days, self.again_of[row][trip - 1], least=1)
            day = self._day(self.env.now, again)
            clock, _ = self.draws.clock_and_lag(citizen, trip)
            if day is not None:
                self._schedule(citizen, trip + 1, self._time(self.pool_of[row], day, clock))
        return NOT_READY


def _working_days(value, uniform: float, least: int) -> int:
    days = float(as_distribution(value).ppf(np.array([uniform]))[0])
    return max(int(np.rint(days)), least)


def _unset(*_args: object) -> int:
    raise RuntimeError("the centre sets this before the run")
