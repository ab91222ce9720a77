"""What a visit that reached the counter comes to: served (and, for a procedure with
back-office work, a dossier for the back office, due by its deadline), or sent back to come
again: with an incomplete dossier, or because the procedure is blocked on that day.

Contract with the centre: it asks `always_served[procedure]` first (procedures with no block, no
incomplete dossiers and no back office: their visits end served, and nothing here is needed),
and otherwise `outcome(visit, citizen, procedure, trip)` at the end of service, which calls
the centre's `come_back(visit, after)` for a citizen who must come back on the first opening day
after the day of ``after``.
"""

from __future__ import annotations

from collections.abc import Callable

import simpy

from sim.model.back_office import SOURCES, BackOffice
from sim.model.calendar import MINUTES_PER_DAY
from sim.model.citizens import Citizens
from sim.model.deadlines import WorkingCalendar
from sim.model.disruptions import DisruptionPlan
from sim.model.dossier_sources import NO_DEADLINE
from sim.model.record import BLOCKED, INCOMPLETE, SERVED
from sim.scenario.schema import Scenario

COUNTER = SOURCES.index("counter")


class CounterOutcome:
    """The counter outcome of each visit of one run."""

    def __init__(self, env: simpy.Environment, scenario: Scenario, citizens: Citizens,
                 plan: DisruptionPlan, back_office: BackOffice, working: WorkingCalendar,
                 come_back: Callable[[int, float], None]) -> None:
        self.env = env
        self.scenario = scenario
        self.citizens = citizens
        self.guided: list[bool] = citizens.guided.tolist()
        self.plan = plan
        self.back_office = back_office
        self.working = working
        self.come_back = come_back
        procedures = scenario.procedures
        self.incomplete_share = [p.incomplete for p in procedures]
        self.guided_factor = scenario.guidance.incomplete_factor if scenario.guidance else 1.0
        self.has_back_office = [p.back_office is not None for p in procedures]
        self.procedure_ids = [p.id for p in procedures]
        self.ever_blocked = [p.id in plan.blocked for p in procedures]
        self.always_served = [not p.incomplete and p.back_office is None
                              and not blocked for p, blocked in zip(procedures,
                                                                    self.ever_blocked,
                                                                    strict=True)]
        self.deadline_days = [p.deadline.working_days if p.deadline else None
                              for p in procedures]
        self.due_cache: dict[tuple[int, float, bool], float] = {}
        # Told of each dossier received at the counter, with its citizen (pick-ups).
        self.on_dossier: Callable[[int, int], None] | None = None

    def outcome(self, visit: int, citizen: int, procedure: int, trip: int) -> int:
        """Served, or told to come back: an incomplete dossier, or a procedure blocked today."""
        now = self.env.now
        blocked_until = (self.plan.blocked_until(self.procedure_ids[procedure], now)
                         if self.ever_blocked[procedure] else None)
        if blocked_until is not None:
            # The block ends at midnight after its last day: come back on the first opening
            # day from then on (a minute before midnight is still the block's last day).
            self.come_back(visit, blocked_until - 1)
            return BLOCKED
        share = self.incomplete_share[procedure]
        if share and trip == 1 and self.guided[citizen]:
            share *= self.guided_factor
        # .item(): a Python float, not a numpy scalar (slow to make, and it would leak into
        # env.now through the dossier's times: `sim.model.visitors`).
        if share and self.citizens.incomplete.item(citizen, trip - 1) < share:
            self.come_back(visit, now)
            return INCOMPLETE
        if self.has_back_office[procedure]:
            dossier = self.back_office.receive(procedure, COUNTER, self.due(procedure),
                                               self.citizens.work.item(citizen),
                                               self.citizens.delay_days.item(citizen), trips=trip,
                                               citizen=citizen)
            if self.on_dossier is not None:
                self.on_dossier(citizen, dossier)
        return SERVED

    def due(self, procedure: int) -> float:
        """Due time of a dossier received now. It depends only on the date, on being before
        or after the cut-off, and on the procedure, so each answer is worked out once a day."""
        now = self.env.now
        key = (procedure, now // MINUTES_PER_DAY, now % MINUTES_PER_DAY >= self.working.cutoff)
        if key not in self.due_cache:
            days = self.deadline_days[procedure]
            self.due_cache[key] = (NO_DEADLINE if days is None
                                   else self.working.due_one(now, days))
        return self.due_cache[key]
