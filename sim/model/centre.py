"""The counter visit at a commune centre, simulated with SimPy: the model's one entry point.

`simulate(scenario, seed)` is a pure function: the run owns its environment and its random
streams, so the same scenario and seed give the same record in any process.

Events are plain SimPy timeouts with callbacks rather than one generator process per citizen:
a citizen needs no control flow of its own (arrive, wait, be served or leave), and callbacks keep
the per-citizen cost close to that of a bare SimPy queue.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import simpy

from sim.experiment.seeds import streams
from sim.model.arrivals import Intensity, build_intensity, time_on_day
from sim.model.calendar import Timeline, build_timeline, counter_changes
from sim.model.citizens import Citizens, sample_citizens
from sim.model.desk import Desk
from sim.scenario.schema import Scenario

WAITING, IN_SERVICE, SERVED, ABANDONED, SENT_HOME = range(5)
OUTCOMES = {SERVED: "served", ABANDONED: "abandoned", SENT_HOME: "sent_home"}


@dataclass(frozen=True)
class RunRecord:
    """What one simulated run leaves behind: visit columns, desk logs and the calendar."""

    seed: int
    desk_names: tuple[str, ...]
    visits: dict[str, np.ndarray]  # citizen, trip, procedure, desk, arrival, start, end, outcome
    desk_logs: dict[str, np.ndarray]  # per desk: rows of (time, busy, waiting, open)
    timeline: Timeline
    warmup_end: float


def simulate(scenario: Scenario, seed: int) -> RunRecord:
    """Run one replication of a scenario with the given seed."""
    return _CentreRun(scenario, seed).run()


class _CentreRun:
    """State of one run; only `simulate` creates it."""

    def __init__(self, scenario: Scenario, seed: int):
        self.scenario = scenario
        self.seed = seed
        self.env = simpy.Environment()
        self.timeline = build_timeline(scenario.calendar)
        self.intensity: Intensity = build_intensity(scenario.arrivals, scenario.calendar,
                                                    self.timeline)
        self.desk_names = list(scenario.desks)
        self.desks = [Desk() for _ in self.desk_names]
        self.citizens: Citizens = sample_citizens(scenario, self.intensity, self.desk_names,
                                                  streams(seed))
        self.serve_all = scenario.at_closing == "serve_all"
        # Visit columns, appended at arrival; start/end/outcome are filled in as things happen.
        self.v_citizen: list[int] = []
        self.v_trip: list[int] = []
        self.v_arrival: list[float] = []
        self.v_start: list[float] = []
        self.v_end: list[float] = []
        self.v_outcome: list[int] = []

    def run(self) -> RunRecord:
        env = self.env
        env.process(self._first_trips())
        for name, desk in zip(self.desk_names, self.desks, strict=True):
            env.process(self._follow_schedule(desk, counter_changes(self.timeline,
                                                                    self.scenario.desks[name])))
        env.process(self._closings())
        env.run()
        return self._record()

    # --- arrivals -------------------------------------------------------------------------
    def _first_trips(self):
        env = self.env
        for citizen, time in enumerate(self.citizens.arrival.tolist()):
            yield env.timeout(time - env.now)
            self._arrive(citizen, 1)

    def _arrive(self, citizen: int, trip: int) -> None:
        visit = len(self.v_citizen)
        now = self.env.now
        self.v_citizen.append(citizen)
        self.v_trip.append(trip)
        self.v_arrival.append(now)
        self.v_start.append(np.nan)
        self.v_end.append(np.nan)
        self.v_outcome.append(WAITING)
        desk = self.desks[self.citizens.desk[citizen]]
        if desk.busy < desk.open and not desk.waiting:
            self._start(visit, desk)
            return
        desk.queue.append(visit)
        desk.waiting += 1
        desk.record(now)
        if self.citizens.patience is not None:
            timer = self.env.timeout(self.citizens.patience[citizen, trip - 1], visit)
            timer.callbacks.append(self._give_up)

    def _on_return(self, event: simpy.Event) -> None:
        citizen, trip = event.value
        self._arrive(citizen, trip)

    # --- service --------------------------------------------------------------------------
    def _start(self, visit: int, desk: Desk) -> None:
        self.v_start[visit] = self.env.now
        self.v_outcome[visit] = IN_SERVICE
        desk.busy += 1
        desk.record(self.env.now)
        citizen = self.v_citizen[visit]
        done = self.env.timeout(self.citizens.service[citizen], visit)
        done.callbacks.append(self._finish)

    def _finish(self, event: simpy.Event) -> None:
        visit = event.value
        self.v_end[visit] = self.env.now
        self.v_outcome[visit] = SERVED
        desk = self.desks[self.citizens.desk[self.v_citizen[visit]]]
        desk.busy -= 1
        self._serve_queue(desk)
        desk.record(self.env.now)

    def _serve_queue(self, desk: Desk) -> None:
        """Start service for waiting citizens while counters are free, in arrival order."""
        outcome = self.v_outcome
        while desk.waiting and desk.busy < desk.open:
            visit = desk.queue.popleft()
            if outcome[visit] == WAITING:
                desk.waiting -= 1
                self._start(visit, desk)
        if desk.overtime and not desk.waiting:
            desk.overtime = False
            desk.open = 0

    def _give_up(self, event: simpy.Event) -> None:
        visit = event.value
        if self.v_outcome[visit] != WAITING:
            return
        self.v_outcome[visit] = ABANDONED
        self.v_end[visit] = self.env.now
        desk = self.desks[self.citizens.desk[self.v_citizen[visit]]]
        desk.waiting -= 1
        self._serve_queue(desk)
        desk.record(self.env.now)
        self._maybe_return(visit)

    def _maybe_return(self, visit: int) -> None:
        """Who gave up or was sent home may come back on the next opening day."""
        citizens = self.citizens
        citizen, trip = self.v_citizen[visit], self.v_trip[visit]
        if citizens.returns is None or trip >= self.scenario.max_trips:
            return
        if citizens.returns[citizen, trip - 1] >= self.scenario.return_probability:
            return
        day = self.timeline.next_day_after(self.env.now)
        if day is None:
            return  # the next opening day lies beyond the simulated horizon
        uniform = citizens.return_clock[citizen, trip - 1 : trip]
        when = float(time_on_day(self.intensity, day, uniform)[0])
        back = self.env.timeout(when - self.env.now, (citizen, trip + 1))
        back.callbacks.append(self._on_return)

    # --- opening hours --------------------------------------------------------------------
    def _follow_schedule(self, desk: Desk, changes: list[tuple[float, int]]):
        env = self.env
        for time, level in changes:
            yield env.timeout(time - env.now)
            desk.open = level
            desk.overtime = False
            self._serve_queue(desk)
            desk.record(env.now)

    def _closings(self):
        env = self.env
        for time in self.timeline.closings:
            yield env.timeout(time - env.now)
            for desk in self.desks:
                self._close_for_day(desk)
                desk.record(env.now)

    def _close_for_day(self, desk: Desk) -> None:
        if self.serve_all and desk.waiting:
            desk.overtime = True  # counters stay open until the queue is empty
            return
        desk.open = 0
        sent_home = [v for v in desk.queue if self.v_outcome[v] == WAITING]
        desk.queue.clear()
        desk.waiting = 0
        for visit in sent_home:
            self.v_outcome[visit] = SENT_HOME
            self.v_end[visit] = self.env.now
            self._maybe_return(visit)

    # --- result ---------------------------------------------------------------------------
    def _record(self) -> RunRecord:
        citizen = np.asarray(self.v_citizen, dtype=np.int64)
        visits = {
            "citizen": citizen,
            "trip": np.asarray(self.v_trip, dtype=np.int64),
            "procedure": self.citizens.procedure[citizen],
            "desk": self.citizens.desk[citizen],
            "arrival": np.asarray(self.v_arrival),
            "start": np.asarray(self.v_start),
            "end": np.asarray(self.v_end),
            "outcome": np.asarray(self.v_outcome, dtype=np.int8),
        }
        logs = {name: desk.log_array() for name, desk in zip(self.desk_names, self.desks,
                                                              strict=True)}
        return RunRecord(
            seed=self.seed,
            desk_names=tuple(self.desk_names),
            visits=visits,
            desk_logs=logs,
            timeline=self.timeline,
            warmup_end=self.scenario.warmup_minutes,
        )
