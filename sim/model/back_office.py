"""The back office: received dossiers processed by staff against legal deadlines.

Work is measured in staff-hours. Dedicated staff work during the centre's sessions at a rate that
gives `hours_per_day` of processing per ordinary working day; the staff on duty may follow a
clock-time schedule (the fixed split between counter and back office). A staff member takes the
next dossier by the queue order (earliest deadline first, or first in first out) and keeps it
until it is processed, pausing between sessions and while off duty.
Under `counter_first`, counter staff take pieces of back-office work when nobody waits at their
desk (the centre drives that, through `take` and `work_done`).
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Callable

import numpy as np
import simpy

from sim.model.calendar import Timeline, planned_levels
from sim.model.deadlines import WorkingCalendar
from sim.scenario.schema import Scenario, session_minutes
from sim.scenario.transition import BackOffice as BackOfficeSpec

SOURCES = ("counter", "online", "backlog")
DONE = 1e-9  # staff-hours left below which a dossier counts as processed


class BackOffice:
    """Dossier queue, dedicated staff and the record of every dossier of one run."""

    def __init__(self, env: simpy.Environment, scenario: Scenario, timeline: Timeline,
                 working: WorkingCalendar, horizon_end: float):
        spec = scenario.back_office or BackOfficeSpec(staff=0, hours_per_day=1)
        self.env = env
        self.spec = spec
        self.working = working
        self.horizon_end = horizon_end
        ordinary_minutes = sum(b - a for a, b in map(session_minutes, scenario.calendar.sessions))
        self.rate = spec.hours_per_day / ordinary_minutes  # staff-hours per staff per minute
        self.earliest_deadline = spec.order == "earliest_deadline"
        duty = planned_levels(timeline, spec.staff, spec.schedule)
        self.duty_times = [time for time, _ in duty]
        self.duty_levels = [level for _, level in duty]
        self.heap: list[tuple[float, int]] = []
        self.on_new_work: list[Callable[[], None]] = []
        self.wake = env.event()
        self.busy = 0  # dedicated staff processing now
        self.log: list[tuple[float, int, int, int]] = [(0.0, 0, 0, 0)]  # time, on duty, busy, open
        self.open = 0
        # Dossier columns.
        self.procedure: list[int] = []
        self.source: list[int] = []
        self.received: list[float] = []
        self.due: list[float] = []
        self.work: list[float] = []
        self.remaining: list[float] = []
        self.delay_days: list[float] = []
        self.trips: list[int] = []
        self.completed: list[float] = []

    # --- dossiers in and out ------------------------------------------------------------------
    def receive(self, procedure: int, source: int, due: float, work: float, delay_days: float,
                trips: int = 0) -> None:
        """A dossier enters the back office now."""
        dossier = len(self.procedure)
        self.procedure.append(procedure)
        self.source.append(source)
        self.received.append(self.env.now)
        self.due.append(due)
        self.work.append(work)
        self.remaining.append(work)
        self.delay_days.append(delay_days)
        self.trips.append(trips)
        self.completed.append(math.nan)
        self.open += 1
        self._push(dossier)
        self._record()
        self._wake_all()
        for offer in self.on_new_work:
            offer()

    def take(self) -> int | None:
        """The next dossier to work on, by the queue order; None when there is none."""
        return heapq.heappop(self.heap)[1] if self.heap else None

    def work_done(self, dossier: int, hours: float) -> None:
        """Record ``hours`` of work on a taken dossier; it is finished or goes back in line."""
        if not self._credit(dossier, hours):
            self._push(dossier)

    def _credit(self, dossier: int, hours: float) -> bool:
        """Record work on a dossier; True (and on to completion) when nothing is left."""
        self.remaining[dossier] -= hours
        if self.remaining[dossier] > DONE:
            return False
        self.remaining[dossier] = 0.0
        self._processed(dossier)
        return True

    def _processed(self, dossier: int) -> None:
        delay = self.delay_days[dossier]
        if delay <= 0:
            self._complete(dossier)
            return
        # An outside body holds it for whole working days; it comes back at their close.
        back = self.working.after_working_days(self.env.now, math.ceil(delay))
        if back <= self.horizon_end:
            self.env.timeout(back - self.env.now, dossier).callbacks.append(
                lambda event: self._complete(event.value))

    def _complete(self, dossier: int) -> None:
        if self.env.now > self.horizon_end:
            return  # finished by counter staff after the last closing: outside the horizon
        self.completed[dossier] = self.env.now
        self.open -= 1
        self._record()

    def _push(self, dossier: int) -> None:
        key = self.due[dossier] if self.earliest_deadline else self.received[dossier]
        heapq.heappush(self.heap, (key, dossier))

    # --- dedicated staff ------------------------------------------------------------------------
    def start(self) -> None:
        """Start the duty roster and one process per dedicated staff member."""
        if self.spec.staff == 0:
            return
        self.env.process(self._roster())
        for member in range(self.spec.staff):
            self.env.process(self._staff_member(member))

    def on_duty(self, time: float) -> int:
        """Dedicated staff at work at ``time``."""
        return self.duty_levels[bisect.bisect_right(self.duty_times, time) - 1]

    def _roster(self):
        for time in self.duty_times[1:]:
            yield self.env.timeout(time - self.env.now)
            self._record()
            self._wake_all()

    def _staff_member(self, member: int):
        """Takes the next dossier by the queue order and keeps it, across sessions and days,
        until it is processed: a file in hand is not put back for another."""
        env = self.env
        dossier = None
        while True:
            while not (member < self.on_duty(env.now) and (dossier is not None or self.heap)):
                yield self.wake
            if dossier is None:
                dossier = self.take()
            next_change = self.duty_times[bisect.bisect_right(self.duty_times, env.now)] \
                if env.now < self.duty_times[-1] else math.inf
            minutes = min(self.remaining[dossier] / self.rate, next_change - env.now)
            self.busy += 1
            self._record()
            yield env.timeout(minutes)
            self.busy -= 1
            self._record()
            if self._credit(dossier, minutes * self.rate):
                dossier = None

    def _wake_all(self) -> None:
        wake, self.wake = self.wake, self.env.event()
        wake.succeed()

    def _record(self) -> None:
        self.log.append((self.env.now, self.on_duty(self.env.now) if self.spec.staff else 0,
                         self.busy, self.open))

    # --- result ---------------------------------------------------------------------------------
    def columns(self) -> dict[str, np.ndarray]:
        return {
            "procedure": np.asarray(self.procedure, dtype=np.int64),
            "source": np.asarray(self.source, dtype=np.int8),
            "received": np.asarray(self.received),
            "due": np.asarray(self.due),
            "work": np.asarray(self.work),
            "trips": np.asarray(self.trips, dtype=np.int64),
            "completed": np.asarray(self.completed),
        }
