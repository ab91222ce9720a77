"""The back office: received dossiers processed by staff against legal deadlines.

Work is measured in staff-hours. Dedicated staff work during the centre's sessions at a rate that
gives `hours_per_day` of processing per ordinary working day; the staff on duty may follow a
clock-time schedule (the fixed split between counter and back office). A staff member takes the
next dossier by the queue order (earliest deadline first, or first in first out) and keeps it
until it is processed, pausing between sessions and while off duty.
Under `counter_first`, counter staff take pieces of back-office work when nobody waits at their
desk (the centre drives that, through `take` and `work_done`).

Queued dossiers are handed to free dedicated staff on duty at once, in the same instant that
they are queued or that staff become free or come on duty, not when a staff member next looks:
so no one on duty sits idle while a dossier waits, and counters get only what dedicated staff
cannot take.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Callable
from enum import IntEnum

import numpy as np
import simpy

from sim.model.calendar import Timeline, planned_levels
from sim.model.deadlines import WorkingCalendar
from sim.model.desk import flat_log_array
from sim.scenario.schema import Scenario, session_minutes
from sim.scenario.transition import BackOffice as BackOfficeSpec

SOURCES = ("counter", "online", "backlog")
DONE = 1e-9  # staff-hours left below which a dossier counts as processed


class BackOfficeLog(IntEnum):
    """Columns of the back office's log (`RunRecord.back_office_log`)."""

    TIME = 0  # minutes
    ON_DUTY = 1  # dedicated staff on duty
    BUSY = 2  # dedicated staff processing a dossier
    OPEN = 3  # dossiers received and not completed
    QUEUED = 4  # dossiers waiting, taken by nobody


class BackOffice:
    """Dossier queue, dedicated staff and the record of every dossier of one run."""

    def __init__(self, env: simpy.Environment, scenario: Scenario, timeline: Timeline,
                 working: WorkingCalendar, horizon_end: float, works: bool = True):
        spec = scenario.back_office or BackOfficeSpec(staff=0, hours_per_day=1)
        self.env = env
        self.spec = spec
        self.works = works  # False: dossiers are received and recorded, never processed
        self.working = working
        self.horizon_end = horizon_end
        ordinary_minutes = sum(b - a for a, b in map(session_minutes, scenario.calendar.sessions))
        self.rate = spec.hours_per_day / ordinary_minutes  # staff-hours per staff per minute
        self.earliest_deadline = spec.order == "earliest_deadline"
        duty = planned_levels(timeline, spec.staff, spec.schedule)
        self.duty_times = [time for time, _ in duty]
        self.duty_levels = [level for _, level in duty]
        self.heap: list[tuple[float, int]] = []  # queued dossiers, taken by nobody
        self.on_new_work: list[Callable[[], None]] = []
        self.hand: list[int | None] = [None] * spec.staff  # the dossier each member holds
        self.free = list(range(spec.staff))  # members with empty hands, a heap
        self.bell: list[simpy.Event | None] = [None] * spec.staff  # a sleeping member's alarm
        self.piece = [0.0] * spec.staff  # minutes of the piece each member is working on
        self.busy = 0  # dedicated staff processing now
        # Rows of BackOfficeLog, flat (time, on duty, busy, open, queued, time, ...), as a
        # desk's log is (sim.model.desk): numpy converts a flat list twice as fast.
        self.log: list[float] = [0.0, 0, 0, 0, 0]
        self.staffed = spec.staff > 0
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
        self.citizen: list[int] = []  # the visit's citizen (with trips: the visit); -1 if none
        self.completed: list[float] = []

    # --- dossiers in and out ------------------------------------------------------------------
    def receive(self, procedure: int, source: int, due: float, work: float, delay_days: float,
                trips: int = 0, citizen: int = -1) -> int:
        """A dossier enters the back office now (from ``citizen`` on trip ``trips`` at the
        counter; -1 and 0 for online and backlog dossiers, which no visit submitted); its
        number."""
        dossier = len(self.procedure)
        self.procedure.append(procedure)
        self.citizen.append(citizen)
        self.source.append(source)
        self.received.append(self.env.now)
        self.due.append(due)
        self.work.append(work)
        self.remaining.append(work)
        self.delay_days.append(delay_days)
        self.trips.append(trips)
        self.completed.append(math.nan)
        self.open += 1
        if self.works:
            self._queue(dossier)
            for offer in self.on_new_work:
                offer()
        return dossier

    def take(self) -> int | None:
        """The next dossier for a counter, by the queue order, once free dedicated staff on
        duty have had theirs; None when there is none."""
        self._hand_out()
        if not self.heap:
            return None
        _, dossier = heapq.heappop(self.heap)
        self._record()
        return dossier

    def work_done(self, dossier: int, hours: float) -> None:
        """Record ``hours`` of work on a taken dossier; it is finished or goes back in line."""
        if not self._credit(dossier, hours):
            self._queue(dossier)

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
        now = self.env.now
        if now > self.horizon_end:
            return  # finished by counter staff after the last closing: outside the horizon
        self.completed[dossier] = now
        self.open -= 1
        self._record()

    def _queue(self, dossier: int) -> None:
        """The dossier goes in line, and to a free staff member on duty if there is one."""
        key = self.due[dossier] if self.earliest_deadline else self.received[dossier]
        heapq.heappush(self.heap, (key, dossier))
        self._hand_out()
        self._record()

    # --- dedicated staff ------------------------------------------------------------------------
    def start(self) -> None:
        """Start the duty roster and every dedicated staff member."""
        if self.spec.staff == 0:
            return
        self.env.process(self._roster())
        for member in range(self.spec.staff):
            self._next_piece(member)

    def on_duty(self, time: float) -> int:
        """Dedicated staff at work at ``time``."""
        return self.duty_levels[bisect.bisect_right(self.duty_times, time) - 1]

    def _roster(self):
        for time in self.duty_times[1:]:
            yield self.env.timeout(time - self.env.now)
            self._hand_out()
            for member in range(self.on_duty(time)):
                if self.hand[member] is not None:
                    self._ring(member)
            self._record()

    def _hand_out(self) -> None:
        """Queued dossiers go to the free staff on duty, lowest number first (those on duty
        are the lowest-numbered)."""
        if not (self.heap and self.free):
            return
        on_duty = self.on_duty(self.env.now)
        while self.heap and self.free and self.free[0] < on_duty:
            member = heapq.heappop(self.free)
            _, self.hand[member] = heapq.heappop(self.heap)
            self._ring(member)

    def _ring(self, member: int) -> None:
        bell, self.bell[member] = self.bell[member], None
        if bell is not None:
            bell.succeed(member)

    def _next_piece(self, member: int) -> None:
        """The member works on the dossier in hand while on duty, across sessions and days,
        until it is processed (a file in hand is not put back for another), one piece up to
        the next change of duty at a time; otherwise waits for the bell. Callbacks rather than
        a process per member: no generator to resume for every piece."""
        env = self.env
        now = env.now
        dossier = self.hand[member]
        if dossier is None or member >= self.on_duty(now):
            bell = self.bell[member] = env.event()
            bell.callbacks.append(self._rung)  # handed a dossier, or on duty again with one
            return
        next_change = self.duty_times[bisect.bisect_right(self.duty_times, now)] \
            if now < self.duty_times[-1] else math.inf
        minutes = self.piece[member] = min(self.remaining[dossier] / self.rate,
                                           next_change - now)
        self.busy += 1
        self._record()
        env.timeout(minutes, member).callbacks.append(self._piece_done)

    def _rung(self, event: simpy.Event) -> None:
        self._next_piece(event.value)

    def _piece_done(self, event: simpy.Event) -> None:
        member = event.value
        self.busy -= 1
        self._record()
        if self._credit(self.hand[member], self.piece[member] * self.rate):
            self.hand[member] = None
            heapq.heappush(self.free, member)
            self._hand_out()
        self._next_piece(member)

    def _record(self) -> None:
        now = self.env.now
        on_duty = (self.duty_levels[bisect.bisect_right(self.duty_times, now) - 1]
                   if self.staffed else 0)  # on_duty(now), inline: this runs for every change
        self.log.extend((now, on_duty, self.busy, self.open, len(self.heap)))

    def log_array(self) -> np.ndarray:
        """The log as a float array with columns BackOfficeLog."""
        return flat_log_array(self.log, len(BackOfficeLog))

    # --- result ---------------------------------------------------------------------------------
    def columns(self) -> dict[str, np.ndarray]:
        return {
            "procedure": np.asarray(self.procedure, dtype=np.int64),
            "source": np.asarray(self.source, dtype=np.int8),
            "received": np.asarray(self.received),
            "due": np.asarray(self.due),
            "work": np.asarray(self.work),
            "trips": np.asarray(self.trips, dtype=np.int64),
            "citizen": np.asarray(self.citizen, dtype=np.int64),
            "completed": np.asarray(self.completed),
        }
