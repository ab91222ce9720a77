"""The visits about a dossier after its submission, set up for one run: the collectors of
results (`sim.model.pickup`) and the inquiries about transferred dossiers
(`sim.model.inquiries`), each visitor added to the centre's columns with the draws of their
trips.

Contract with the centre: it calls `backlog_filed(origin, dossier)` as each transferred
dossier arrives and `outcome(citizen, trip, started)` when an added visitor's service ends;
the visitors arrive through the centre's `arrive(citizen, trip)`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import simpy

from sim.model.arrivals import Intensity
from sim.model.back_office import BackOffice
from sim.model.calendar import Timeline
from sim.model.citizens import Citizens, counter_pools
from sim.model.counter_outcome import CounterOutcome
from sim.model.deadlines import WorkingCalendar
from sim.model.inquiries import Inquiries, inquiry_points
from sim.model.pickup import Pickups, backlog_draws, draw_width, uses_pickup
from sim.model.record import PICKUP, SERVED
from sim.model.returns import TripDraws
from sim.model.visitors import Visitors
from sim.scenario.schema import Scenario


def back_office_feeds_visits(scenario: Scenario) -> bool:
    """Whether the back office's progress can change a visit: collectors and inquirers come
    about dossiers and find them done or not, and under counter_first the counters' staff
    work on dossiers between citizens."""
    office = scenario.back_office
    return (uses_pickup(scenario) or scenario.inquiries is not None
            or (office is not None and office.policy == "counter_first"))


class SecondVisits:
    """Collectors and inquiries of one run (either may be absent)."""

    def __init__(self, env: simpy.Environment, scenario: Scenario, timeline: Timeline,
                 working: WorkingCalendar, back_office: BackOffice,
                 counter_outcome: CounterOutcome, visitors: Visitors, draws: TripDraws,
                 intensities: list[Intensity], arrive: Callable[[int, int], None],
                 pickup_rng: np.random.Generator, seed: int):
        self.back_office = back_office
        self.visitors = visitors
        self.draws = draws
        pools = counter_pools(scenario)
        sites = list(scenario.site_desks())
        self.site_of_pool = [sites.index(pool.site) for pool in pools]
        self.pickups = self.inquiries = None
        citizens: Citizens = counter_outcome.citizens
        if uses_pickup(scenario):
            self.pickups = Pickups(
                env, scenario, timeline, working, back_office, citizens,
                pickup_rng.random((len(citizens), draw_width(scenario))),
                backlog_draws(scenario, seed), draws)
            self.pickups.intensities = intensities
            counter_outcome.on_dossier = self.pickups.counter_dossier
        if scenario.inquiries is not None:
            self.inquiries = Inquiries(env, scenario, timeline, working, back_office,
                                       inquiry_points(scenario, timeline, seed), intensities)
        for second in self._present():
            second.register, second.arrive = self.add_visitor, arrive

    def _present(self) -> list:
        return [second for second in (self.pickups, self.inquiries) if second is not None]

    def add_visitor(self, purpose: int, dossier: int, pool: int, service: float,
                    trip_uniforms: np.ndarray) -> int:
        """A visitor about a dossier, with the draws of their trips: their number."""
        self.draws.add(trip_uniforms)
        return self.visitors.add(purpose, dossier, self.back_office.procedure[dossier], pool,
                                 self.site_of_pool[pool], service)

    def backlog_filed(self, origin: int, dossier: int) -> None:
        """A transferred dossier arrived: its collector and its inquiries."""
        for second in self._present():
            second.backlog_dossier(origin, dossier)

    def outcome(self, citizen: int, trip: int, started: float) -> int:
        """A collector's result, ready or not; an inquiry is answered."""
        if self.visitors.purpose[citizen] == PICKUP:
            return self.pickups.outcome(citizen, trip, started)
        return SERVED
