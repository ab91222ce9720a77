"""A commune centre simulated with SimPy: the model's one entry point.

`simulate(scenario, seed)` is a pure function: the run owns its environment and its random
streams, so the same scenario and seed give the same record in any process.

Citizens are moved by plain SimPy timeouts with callbacks rather than one generator process per
citizen: a visit needs no control flow of its own (arrive, maybe see a guide, wait, be served or
leave), and callbacks keep the per-citizen cost close to that of a bare SimPy queue.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

import numpy as np
import simpy

from sim.experiment.seeds import streams
from sim.model.arrivals import Intensity, build_intensity, time_on_day
from sim.model.back_office import SOURCES, BackOffice
from sim.model.calendar import MINUTES_PER_DAY, Timeline, build_timeline, counter_changes
from sim.model.citizens import Citizens, counter_pools, sample_citizens
from sim.model.deadlines import WorkingCalendar
from sim.model.desk import Desk
from sim.model.disruptions import DisruptionPlan, Stop, plan_disruptions
from sim.model.dossier_sources import (
    DossierBatch,
    backlog_dossiers,
    due_times,
    online_dossiers,
)
from sim.scenario.schema import Desk as DeskSpec
from sim.scenario.schema import Scenario

WAITING, IN_SERVICE, SERVED, ABANDONED, SENT_HOME, INCOMPLETE, BLOCKED = range(7)
OUTCOMES = {SERVED: "served", ABANDONED: "abandoned", SENT_HOME: "sent_home",
            INCOMPLETE: "incomplete", BLOCKED: "blocked"}
COUNTER, ONLINE, BACKLOG = (SOURCES.index(s) for s in ("counter", "online", "backlog"))


@dataclass(frozen=True)
class RunRecord:
    """What one simulated run leaves behind: visit and dossier columns, logs, the calendar."""

    seed: int
    desk_names: tuple[str, ...]  # counter pools: the desk, or site.desk with several sites
    visits: dict[str, np.ndarray]
    desk_logs: dict[str, np.ndarray]  # per counter pool: rows (time, busy, waiting, open, helping)
    guidance_logs: dict[str, np.ndarray]  # per site's guidance team, same columns
    back_office_log: np.ndarray  # rows (time, staff on duty, staff busy, open, queued dossiers)
    dossiers: dict[str, np.ndarray]  # procedure, source, received, due, work, trips, completed
    timeline: Timeline
    warmup_end: float
    horizon_end: float  # the last closing: the back office stops there


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
        self.horizon_end = self.timeline.closings[-1]
        self.working = WorkingCalendar(scenario.calendar)
        rngs = streams(seed)
        self.intensity: Intensity = build_intensity(scenario.arrivals, scenario.calendar,
                                                    self.timeline)
        self.pools = counter_pools(scenario)
        single = scenario.sites is None
        self.desk_names = [pool.label(single) for pool in self.pools]
        self.desks = [Desk() for _ in self.pools]
        self.site_names = list(scenario.site_desks())
        self.guides = ([Desk(guidance=True) for _ in self.site_names] if scenario.guidance
                       else [])
        self.citizens: Citizens = sample_citizens(scenario, self.intensity, rngs)
        self.plan: DisruptionPlan = plan_disruptions(scenario, self.timeline, seed)
        self.slowed = bool(self.plan.slow_edges)
        self.back_office = BackOffice(self.env, scenario, self.timeline, self.working,
                                      self.horizon_end)
        self.helping = (scenario.back_office is not None
                        and scenario.back_office.policy == "counter_first")
        self.online = online_dossiers(scenario, self.timeline, self.working, seed)
        self.backlog = backlog_dossiers(scenario, self.timeline, self.working, seed)
        procedures = scenario.procedures
        self.incomplete_share = [p.incomplete for p in procedures]
        self.guided_factor = scenario.guidance.incomplete_factor if scenario.guidance else 1.0
        self.has_back_office = [p.back_office is not None for p in procedures]
        self.procedure_ids = [p.id for p in procedures]
        # Procedures whose counter visit always ends served: no block, no incomplete dossiers,
        # no back office. Their citizens skip _counter_outcome.
        self.always_served = [not p.incomplete and p.back_office is None
                              and p.id not in self.plan.blocked for p in procedures]
        self.serve_all = scenario.at_closing == "serve_all"
        self.due_cache: dict[tuple[int, float, bool], float] = {}
        # Per-citizen columns as lists: a numpy array indexed from Python returns numpy scalars,
        # slow to make and slow to add, and a numpy delay makes env.now a numpy scalar too.
        citizens = self.citizens
        self.pool_of: list[int] = citizens.pool.tolist()
        self.site_of: list[int] = citizens.site.tolist()
        self.procedure_of: list[int] = citizens.procedure.tolist()
        self.service: list[float] = citizens.service.tolist()
        self.guided: list[bool] = citizens.guided.tolist()
        self.guidance_time: list[float] = citizens.guidance_time.tolist()
        # Visit columns, appended at arrival and filled in as things happen.
        self.v_citizen: list[int] = []
        self.v_trip: list[int] = []
        self.v_arrival: list[float] = []
        self.v_start: list[float] = []
        self.v_end: list[float] = []
        self.v_outcome: list[int] = []
        self.v_wait: list[float] = []
        self.v_guidance_wait: list[float] = []
        self.v_joined: list[float] = []  # when the visit joined its current queue
        self.v_desk: list[Desk | None] = []  # the queue it waits in
        # Patience timers restarted after guidance, by visit: the timer started at arrival
        # no longer counts for these visits.
        self.counter_timers: dict[int, simpy.Event] = {}
        self.period_starts = [start for start, _ in self.timeline.periods]
        self.closing_times = set(self.timeline.closings)

    def run(self) -> RunRecord:
        env = self.env
        env.process(self._first_trips())
        for dossiers, source in ((self.online, ONLINE), (self.backlog, BACKLOG)):
            if len(dossiers.time):
                env.process(self._file_dossiers(dossiers, source))
        for pool, desk in zip(self.pools, self.desks, strict=True):
            spec = self.scenario.site_desks()[pool.site][pool.desk]
            env.process(self._follow_schedule(desk, counter_changes(self.timeline, spec)))
        if self.guides:
            team = DeskSpec(counters=self.scenario.guidance.staff)
            for guide in self.guides:
                env.process(self._follow_schedule(guide, counter_changes(self.timeline, team)))
        for stop in self.plan.stops:
            env.process(self._outage(stop))
        env.process(self._closings())
        if self.helping:
            self.back_office.on_new_work.append(self._offer_help)
        self.back_office.start()
        env.run()
        return self._record()

    # --- arrivals -------------------------------------------------------------------------------
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
        self.v_start.append(math.nan)
        self.v_end.append(math.nan)
        self.v_outcome.append(WAITING)
        self.v_wait.append(0.0)
        self.v_guidance_wait.append(math.nan)
        self.v_joined.append(now)
        self.v_desk.append(None)
        citizens = self.citizens
        if citizens.patience is not None:  # patience covers the time in queues only
            timer = self.env.timeout(float(citizens.patience[citizen, trip - 1]), visit)
            timer.callbacks.append(self._give_up)
        if trip == 1 and self.guides and self.guided[citizen]:
            self._join(visit, self.guides[self.site_of[citizen]])
        else:
            self._join(visit, self.desks[self.pool_of[citizen]])

    def _on_return(self, event: simpy.Event) -> None:
        citizen, trip = event.value
        self._arrive(citizen, trip)

    def _join(self, visit: int, desk: Desk) -> None:
        if not desk.waiting and self._counter_free(desk):
            self._start(visit, desk)
            return
        self.v_joined[visit] = self.env.now
        self.v_desk[visit] = desk
        desk.queue.append(visit)
        desk.waiting += 1
        desk.record(self.env.now)

    # --- service --------------------------------------------------------------------------------
    def _start(self, visit: int, desk: Desk) -> None:
        now = self.env.now
        self.v_wait[visit] += now - self.v_joined[visit]
        self.v_outcome[visit] = IN_SERVICE
        desk.busy += 1
        desk.record(now)
        citizen = self.v_citizen[visit]
        if desk.guidance:
            self.v_guidance_wait[visit] = now - self.v_joined[visit]
            done = self.env.timeout(self.guidance_time[citizen], visit)
            done.callbacks.append(self._finish_guidance)
            return
        self.v_start[visit] = now
        minutes = self.service[citizen]
        if self.slowed:
            minutes *= self.plan.service_factor(now)
        done = self.env.timeout(minutes, visit)
        done.callbacks.append(self._finish)

    def _finish_guidance(self, event: simpy.Event) -> None:
        visit = event.value
        citizen = self.v_citizen[visit]
        guide = self.guides[self.site_of[citizen]]
        guide.busy -= 1
        self._serve_queue(guide)
        guide.record(self.env.now)
        desk = self.desks[self.pool_of[citizen]]
        if self._closed_for_day():
            if not self.serve_all:
                self._leave(visit, SENT_HOME)
                self._maybe_return(visit)
                return
            desk.overtime = True  # serve_all: a counter stays open for this citizen
            desk.set_scheduled(max(desk.scheduled, 1))
        self.v_outcome[visit] = WAITING
        self.v_joined[visit] = self.env.now
        patience = self.citizens.patience
        if patience is not None:  # the patience left after the guidance queue (0 or more:
            # help may start in the very minute patience runs out)
            left = float(patience[citizen, self.v_trip[visit] - 1]) - self.v_wait[visit]
            timer = self.counter_timers[visit] = self.env.timeout(max(left, 0.0), visit)
            timer.callbacks.append(self._give_up)
        self._join(visit, desk)

    def _closed_for_day(self) -> bool:
        """Whether the day's last session has closed (and the next day not yet opened)."""
        now = self.env.now
        index = bisect.bisect_right(self.period_starts, now) - 1
        return index >= 0 and now >= self.timeline.periods[index][1] and (
            self.timeline.periods[index][1] in self.closing_times)

    def _leave(self, visit: int, outcome: int) -> None:
        """The visit ends now without (further) service."""
        self.v_outcome[visit] = outcome
        self.v_end[visit] = self.env.now

    def _finish(self, event: simpy.Event) -> None:
        visit = event.value
        now = self.env.now
        self.v_end[visit] = now
        citizen = self.v_citizen[visit]
        self.v_outcome[visit] = (SERVED if self.always_served[self.procedure_of[citizen]]
                                 else self._counter_outcome(visit, citizen))
        desk = self.desks[self.pool_of[citizen]]
        desk.busy -= 1
        if not self._serve_queue(desk):
            desk.record(now)

    def _counter_outcome(self, visit: int, citizen: int) -> int:
        """Served, or told to come back: an incomplete dossier, or a procedure blocked today."""
        procedure = self.procedure_of[citizen]
        trip = self.v_trip[visit]
        blocked_until = self.plan.blocked_until(self.procedure_ids[procedure], self.env.now)
        if blocked_until is not None:
            # The block ends at midnight after its last day: come back on the first opening
            # day from then on (a minute before midnight is still the block's last day).
            self._come_back(visit, after=blocked_until - 1)
            return BLOCKED
        share = self.incomplete_share[procedure]
        if share and trip == 1 and self.guided[citizen]:
            share *= self.guided_factor
        if share and self.citizens.incomplete[citizen, trip - 1] < share:
            self._come_back(visit, after=self.env.now)
            return INCOMPLETE
        if self.has_back_office[procedure]:
            self.back_office.receive(procedure, COUNTER, self._due(procedure),
                                     float(self.citizens.work[citizen]),
                                     float(self.citizens.delay_days[citizen]), trips=trip)
        return SERVED

    def _due(self, procedure: int) -> float:
        """Due time of a dossier received now. It depends only on the date, on being before
        or after the cut-off, and on the procedure, so each answer is worked out once a day."""
        now = self.env.now
        key = (procedure, now // MINUTES_PER_DAY, now % MINUTES_PER_DAY >= self.working.cutoff)
        if key not in self.due_cache:
            self.due_cache[key] = float(due_times(self.scenario, self.working,
                                                  np.array([procedure]), np.array([now]))[0])
        return self.due_cache[key]

    def _serve_queue(self, desk: Desk) -> bool:
        """Start service for waiting citizens while counters are free, in arrival order; under
        counter_first, free counters then take pieces of back-office work.

        True when the desk's last log row is already its state afterwards (the last start
        logged it and nothing changed since), so the caller need not log the same row again.
        """
        outcome = self.v_outcome
        logged = False
        while desk.waiting and self._counter_free(desk):
            visit = desk.queue.popleft()
            if outcome[visit] == WAITING:
                desk.waiting -= 1
                self._start(visit, desk)
                logged = True
        if desk.overtime and not desk.waiting:
            desk.overtime = False
            desk.set_scheduled(0)
            logged = False
        if self.helping and not desk.guidance:
            self._help(desk)
            logged = False
        return logged

    def _counter_free(self, desk: Desk) -> bool:
        """Whether a citizen can be served now: fewer open counters serve citizens than are
        open. Under counter_first a counter doing back-office work is recalled for them, so
        citizens are served exactly when they would be under `dedicated`."""
        if desk.busy >= desk.open:
            return False
        if desk.busy + desk.helping >= desk.open:
            self._recall_helper(desk)
        return True

    def _give_up(self, event: simpy.Event) -> None:
        visit = event.value
        if self.v_outcome[visit] != WAITING or self.counter_timers.get(visit, event) is not event:
            return  # no longer waiting (a guide's help included), or a timer from before guidance
        now = self.env.now
        self._leave(visit, ABANDONED)
        self.v_wait[visit] += now - self.v_joined[visit]
        desk = self.v_desk[visit]
        desk.waiting -= 1
        self._serve_queue(desk)
        desk.record(now)
        self._maybe_return(visit)

    # --- coming back ----------------------------------------------------------------------------
    def _maybe_return(self, visit: int) -> None:
        """Who gave up or was sent home may come back on the next opening day."""
        citizen, trip = self.v_citizen[visit], self.v_trip[visit]
        returns = self.citizens.returns
        if returns is None or returns[citizen, trip - 1] >= self.scenario.return_probability:
            return
        self._come_back(visit, after=self.env.now)

    def _come_back(self, visit: int, after: float) -> None:
        """The citizen's next trip, on the first opening day after the day of ``after``."""
        citizen, trip = self.v_citizen[visit], self.v_trip[visit]
        if trip >= self.scenario.max_trips:
            return
        day = self.timeline.next_day_after(after)
        if day is None:
            return  # the next opening day lies beyond the simulated horizon
        uniform = self.citizens.return_clock[citizen, trip - 1 : trip]
        when = max(float(time_on_day(self.intensity, day, uniform)[0]), self.env.now)
        back = self.env.timeout(when - self.env.now, (citizen, trip + 1))
        back.callbacks.append(self._on_return)

    # --- back office ----------------------------------------------------------------------------
    def _file_dossiers(self, dossiers: DossierBatch, source: int):
        env = self.env
        for index, time in enumerate(dossiers.time.tolist()):
            yield env.timeout(time - env.now)
            self.back_office.receive(int(dossiers.procedure[index]), source,
                                     float(dossiers.due[index]), float(dossiers.work[index]),
                                     float(dossiers.delay_days[index]))

    def _offer_help(self) -> None:
        for desk in self.desks:
            self._help(desk)

    def _help(self, desk: Desk) -> None:
        """Free counters with nobody waiting take a piece of back-office work (counter_first)."""
        if desk.waiting or self.env.now >= self.horizon_end:
            return
        chunk = self.scenario.back_office.chunk_minutes
        while desk.busy + desk.helping < desk.open:
            dossier = self.back_office.take()
            if dossier is None:
                return
            minutes = min(chunk, self.back_office.remaining[dossier] * 60)
            desk.helping += 1
            desk.record(self.env.now)
            helper = [dossier, self.env.now, True]
            desk.helpers.append(helper)
            piece = self.env.timeout(minutes, (desk, helper))
            piece.callbacks.append(self._helped)

    def _helped(self, event: simpy.Event) -> None:
        desk, helper = event.value
        if helper[2]:  # not recalled to the counter in the meantime
            self._stop_helping(desk, helper)
            self._serve_queue(desk)
            desk.record(self.env.now)

    def _recall_helper(self, desk: Desk) -> None:
        """The counter that started its piece of back-office work last returns to the counter;
        the work done so far counts."""
        helper = next(h for h in reversed(desk.helpers) if h[2])
        self._stop_helping(desk, helper)

    def _stop_helping(self, desk: Desk, helper: list) -> None:
        dossier, started, _ = helper
        helper[2] = False
        desk.helpers.remove(helper)
        desk.helping -= 1
        self.back_office.work_done(dossier, (self.env.now - started) / 60)

    # --- opening hours and outages ----------------------------------------------------------------
    def _follow_schedule(self, desk: Desk, changes: list[tuple[float, int]]):
        env = self.env
        for time, level in changes:
            yield env.timeout(time - env.now)
            desk.set_scheduled(level)
            desk.overtime = False
            self._serve_queue(desk)
            desk.record(env.now)

    def _outage(self, stop: Stop):
        env = self.env
        hit = [d for d, name in zip(self.desks, self.pools, strict=True)
               if stop.desks is None or name.desk in stop.desks]
        yield env.timeout(stop.start - env.now)  # the plan starts every stop at 0 or later
        for desk in hit:
            desk.stopped += 1
            desk.set_scheduled(desk.scheduled)
            desk.record(env.now)
        yield env.timeout(stop.end - env.now)
        for desk in hit:
            desk.stopped -= 1
            desk.set_scheduled(desk.scheduled)
            self._serve_queue(desk)
            desk.record(env.now)

    def _closings(self):
        env = self.env
        for time in self.timeline.closings:
            yield env.timeout(time - env.now)
            for desk in self.desks + self.guides:
                self._close_for_day(desk)
                desk.record(env.now)

    def _close_for_day(self, desk: Desk) -> None:
        if self.serve_all and desk.waiting:
            desk.overtime = True  # counters stay open until the queue is empty
            return
        desk.set_scheduled(0)
        sent_home = [v for v in desk.queue if self.v_outcome[v] == WAITING]
        desk.queue.clear()
        desk.waiting = 0
        now = self.env.now
        for visit in sent_home:
            self._leave(visit, SENT_HOME)
            self.v_wait[visit] += now - self.v_joined[visit]
            self._maybe_return(visit)

    # --- result ---------------------------------------------------------------------------------
    def _record(self) -> RunRecord:
        citizen = np.asarray(self.v_citizen, dtype=np.int64)
        citizens = self.citizens
        visits = {
            "citizen": citizen,
            "trip": np.asarray(self.v_trip, dtype=np.int64),
            "procedure": citizens.procedure[citizen],
            "desk": citizens.pool[citizen],
            "arrival": np.asarray(self.v_arrival),
            "start": np.asarray(self.v_start),
            "end": np.asarray(self.v_end),
            "wait": np.asarray(self.v_wait),
            "guidance_wait": np.asarray(self.v_guidance_wait),
            "outcome": np.asarray(self.v_outcome, dtype=np.int8),
        }
        logs = {name: desk.log_array() for name, desk in zip(self.desk_names, self.desks,
                                                              strict=True)}
        guide_names = ["guidance" if len(self.guides) == 1 else f"{site}.guidance"
                       for site in self.site_names]
        return RunRecord(
            seed=self.seed,
            desk_names=tuple(self.desk_names),
            visits=visits,
            desk_logs=logs,
            guidance_logs={n: g.log_array() for n, g in zip(guide_names, self.guides,
                                                            strict=False)},
            back_office_log=np.asarray(self.back_office.log, dtype=float),
            dossiers=self.back_office.columns(),
            timeline=self.timeline,
            warmup_end=self.scenario.warmup_minutes,
            horizon_end=self.horizon_end,
        )
