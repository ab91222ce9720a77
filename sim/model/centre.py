"""A commune centre simulated with SimPy: the model's one entry point, and the path of each
citizen through it (arrive, maybe see a guide, wait, be served or leave, maybe come back).

`simulate(scenario, seed)` is a pure function: the run owns its environment and its random
streams, so the same scenario and seed give the same record in any process.

Citizens are moved by plain SimPy timeouts with callbacks rather than one generator process per
citizen: a visit needs no control flow of its own, and callbacks keep the per-citizen cost close
to that of a bare SimPy queue (the first trips too: `sim.model.first_trips`). The rest of the
run lives next to it: opening hours, outages and closings as processes (`sim.model.opening`),
what a visit at the counter comes to (`sim.model.counter_outcome`), counters that serve several
desks' queues (`sim.model.counter_groups`), counter staff helping the back office under
`counter_first` (`sim.model.helping`), online and transferred dossiers
(`sim.model.dossier_sources`), and the record of the run (`sim.model.record`).
"""

from __future__ import annotations

import math

import numpy as np
import simpy

from sim.model.arrivals import Intensity, build_intensity
from sim.model.back_office import SOURCES, BackOffice
from sim.model.calendar import build_timeline
from sim.model.citizens import counter_pools
from sim.model.collector import collector_paused
from sim.model.counter_groups import Serving, counter_groups
from sim.model.counter_outcome import CounterOutcome
from sim.model.deadlines import working_calendar
from sim.model.desk import Desk
from sim.model.disruptions import DisruptionPlan, plan_disruptions
from sim.model.dossier_sources import dossiers_without_visit, file_dossiers
from sim.model.first_trips import FirstTrips
from sim.model.helping import CounterHelp
from sim.model.opening import DayClosed, start_opening_hours
from sim.model.record import (
    ABANDONED,
    IN_SERVICE,
    SENT_HOME,
    SERVED,
    WAITING,
    WALK_IN,
    RunRecord,
    Visits,
    desk_logs,
    guidance_logs,
)
from sim.model.returns import ComingBack, TripDraws
from sim.model.run_citizens import run_citizens
from sim.model.second_visits import SecondVisits, back_office_feeds_visits
from sim.model.streams import streams
from sim.model.tickets import install_queues
from sim.model.visitors import Visitors, visitor_slots
from sim.scenario.schema import Scenario

ONLINE, BACKLOG = (SOURCES.index(s) for s in ("online", "backlog"))


def simulate(scenario: Scenario, seed: int, visits_only: bool = False) -> RunRecord:
    """Run one replication of a scenario with the given seed (the cycle collector paused).
    `visits_only` leaves the back office out where it cannot change a visit: the same visits
    and desk logs for about three quarters of the cost, but no dossier is processed."""
    with collector_paused():
        return _CentreRun(scenario, seed, visits_only).run()


class _CentreRun:
    """State of one run; only `simulate` creates it. It drives the visits itself, and offers
    `serve_queue` and `close_for_day` to the opening-hours processes (`sim.model.opening.Centre`),
    `serve_queue` to the counters' back-office help and `come_back` to the counter outcome."""

    def __init__(self, scenario: Scenario, seed: int, visits_only: bool = False):
        self.scenario = scenario
        self.seed = seed
        self.back_office_runs = not visits_only or back_office_feeds_visits(scenario)
        self.env = simpy.Environment()
        self.timeline = build_timeline(scenario.calendar)
        self.horizon_end = self.timeline.closings[-1]
        self.working = working_calendar(scenario.calendar)
        self.intensity: Intensity = build_intensity(scenario.arrivals, scenario.calendar,
                                                    self.timeline)
        rngs = streams(seed)
        self.pool_intensity, self.citizens, self.no_show_slots = run_citizens(
            scenario, self.timeline, self.intensity, rngs)
        self.plan: DisruptionPlan = plan_disruptions(scenario, self.timeline, seed)
        self.slowed = bool(self.plan.slow_edges)
        self.serve_all = scenario.at_closing == "serve_all"
        self.day_closed = DayClosed(self.timeline)
        self._set_up_desks()
        self._set_up_back_office()
        self._set_up_citizens()
        self._set_up_visits()
        self._set_up_second_visits(rngs)
        self.groups = counter_groups(scenario, self.pools, self.desks, self.visits,
                                     Serving(self.env, self._start, self._counter_free,
                                             self.serve_queue))
        self.plain = not self.classed and self.groups is None  # FCFS, one desk per queue

    def _set_up_desks(self) -> None:
        """Counter pools (a desk at a site) and one guidance team per site."""
        scenario = self.scenario
        self.pools = counter_pools(scenario)
        single = scenario.sites is None
        self.desk_names = [pool.label(single) for pool in self.pools]
        self.desks = [Desk() for _ in self.pools]
        self.site_names = list(scenario.site_desks())
        self.guides = ([Desk(guidance=True) for _ in self.site_names] if scenario.guidance
                       else [])

    def _set_up_back_office(self) -> None:
        """The back office, the counters' help under counter_first, the dossiers filed without
        a visit, and what a visit at the counter comes to."""
        scenario, timeline, working = self.scenario, self.timeline, self.working
        spec = scenario.back_office
        self.back_office = BackOffice(self.env, scenario, timeline, working, self.horizon_end,
                                      works=self.back_office_runs)
        self.counter_help = (
            CounterHelp(self.env, self.back_office, self.desks, spec.chunk_minutes,
                        self.horizon_end, self.serve_queue)
            if spec is not None and spec.policy == "counter_first" else None)
        self.online, self.backlog = dossiers_without_visit(scenario, timeline, working, self.seed,
                                                           drawn=self.back_office_runs)
        self.counter_outcome = CounterOutcome(self.env, scenario, self.citizens, self.plan,
                                              self.back_office, working, self.come_back)
        # Procedures whose visits always end served skip counter_outcome.outcome.
        self.always_served = self.counter_outcome.always_served

    def _set_up_citizens(self) -> None:
        """Per-visitor columns (`sim.model.visitors`), each also bound to the run."""
        visitors = self.visitors = Visitors(self.citizens)
        self.pool_of, self.site_of = visitors.pool, visitors.site
        self.procedure_of, self.service = visitors.procedure, visitors.service
        self.guided, self.guidance_time = visitors.guided, visitors.guidance_time
        self.first_added = visitors.first_added  # visitors from this number on: about a dossier

    def _set_up_second_visits(self, rngs: dict[str, np.random.Generator]) -> None:
        """Patience and returns of every trip, coming back, collectors and inquiries."""
        scenario, citizens = self.scenario, self.citizens
        trips = (len(citizens), scenario.max_trips)
        lags = (rngs["return_lags"].random(trips) if scenario.return_lag_days is not None
                else np.zeros(trips))
        self.draws = TripDraws(scenario, citizens, lags)
        self.coming_back = ComingBack(self.env, scenario, self.timeline, self.draws,
                                      lambda c: self.pool_intensity[self.pool_of[c]],
                                      self._arrive)
        self.second = SecondVisits(self.env, scenario, self.timeline, self.working,
                                   self.back_office, self.counter_outcome, self.visitors,
                                   self.draws, self.pool_intensity, self._arrive,
                                   rngs["pickup"], self.seed)

    def _set_up_visits(self) -> None:
        """The visit columns, each also bound to the run: the per-citizen code reaches it in
        one step."""
        visits = self.visits = Visits()
        self.v_citizen, self.v_trip, self.v_arrival = visits.citizen, visits.trip, visits.arrival
        self.v_start, self.v_end, self.v_outcome = visits.start, visits.end, visits.outcome
        self.v_wait, self.v_guidance_wait = visits.wait, visits.guidance_wait
        self.v_joined, self.v_desk = visits.joined, visits.desk
        # Patience timers restarted after guidance, by visit: the timer started at arrival
        # no longer counts for these visits.
        self.counter_timers: dict[int, simpy.Event] = {}
        self.v_class = visits.ticket_class
        self.classed = install_queues(self.scenario, self.desks, [p.desk for p in self.pools],
                                      self.guides, (self.v_outcome, self.v_joined, self.v_class))
        if self.classed:
            self.first_ticket = self.citizens.ticket.tolist()
            self.later_ticket = self.citizens.later_ticket.tolist()

    def run(self) -> RunRecord:
        env = self.env
        FirstTrips(env, self.citizens.arrival, self._arrive).start()
        for dossiers, source, told in ((self.online, ONLINE, None),
                                       (self.backlog, BACKLOG, self.second.backlog_filed)):
            if len(dossiers.time):
                env.process(file_dossiers(env, self.back_office, dossiers, source, told))
        start_opening_hours(env, self, self.scenario, self.timeline, self.pools, self.desks,
                            self.guides, self.plan.stops)
        if self.counter_help is not None:
            self.back_office.on_new_work.append(self.counter_help.offer_everywhere)
        if self.back_office_runs:
            self.back_office.start()
        env.run()
        return self._record()

    # --- arrivals -------------------------------------------------------------------------------
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
        if self.classed:  # visitors added during the run (about a dossier) walk in
            tickets = self.first_ticket if trip == 1 else self.later_ticket
            self.v_class.append(tickets[citizen] if citizen < self.first_added else WALK_IN)
        if trip == 1 and self.guides and self.guided[citizen]:
            self._join(visit, self.guides[self.site_of[citizen]])
        else:
            self._join(visit, self.desks[self.pool_of[citizen]])

    def _server_at_once(self, visit: int, desk: Desk) -> Desk | None:
        """With ticket classes the queue decides whether an arrival is called at once (a
        reserved counter may be free while others wait); with counter groups, other desks' free
        counters may take it when nobody waits (`sim check` keeps the two apart)."""
        if self.classed:
            return desk if self._counter_free(desk) and desk.queue.call_at_once(visit) else None
        return None if desk.waiting else self.groups.free_server(desk)

    def _join(self, visit: int, desk: Desk) -> None:
        # The plain centre decides inline: one call fewer per visit on the hot path.
        server = ((desk if not desk.waiting and self._counter_free(desk) else None)
                  if self.plain else self._server_at_once(visit, desk))
        if server is not None:
            self._start(visit, server)
            return
        self.v_joined[visit] = self.env.now
        self.v_desk[visit] = desk
        desk.queue.append(visit)
        desk.waiting += 1
        desk.record(self.env.now)
        if self.citizens.patience is not None:  # patience covers the time in queues only
            self._start_patience(visit, desk)

    def _start_patience(self, visit: int, desk: Desk) -> None:
        """A visit that queues gives up when its trip's patience, less its time in earlier
        queues (a guide's), runs out: 0 or more, for help may start in the very minute it
        runs out. A visit served at once needs no timer. After guidance the new timer is the
        one that counts: `_give_up` ignores the guide queue's."""
        patience = self.draws.patience(self.v_citizen[visit], self.v_trip[visit])
        timer = self.env.timeout(max(patience - self.v_wait[visit], 0.0), visit)
        timer.callbacks.append(self._give_up)
        if not desk.guidance and not math.isnan(self.v_guidance_wait[visit]):
            self.counter_timers[visit] = timer

    # --- service --------------------------------------------------------------------------------
    def _start(self, visit: int, desk: Desk) -> None:
        now = self.env.now
        self.v_wait[visit] += now - self.v_joined[visit]
        self.v_outcome[visit] = IN_SERVICE
        self.v_desk[visit] = desk  # the counters that serve it
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
        self.serve_queue(guide)
        guide.record(self.env.now)
        desk = self.desks[self.pool_of[citizen]]
        if self.day_closed.at(self.env.now):
            if not self.serve_all:
                self._leave(visit, SENT_HOME)
                self._maybe_return(visit)
                return
            desk.overtime = True  # serve_all: a counter stays open for this citizen
            desk.set_scheduled(max(desk.scheduled, 1))
        self.v_outcome[visit] = WAITING
        self.v_joined[visit] = self.env.now
        self._join(visit, desk)

    def _leave(self, visit: int, outcome: int) -> None:
        """The visit ends now without (further) service."""
        self.v_outcome[visit] = outcome
        self.v_end[visit] = self.env.now

    def _finish(self, event: simpy.Event) -> None:
        visit = event.value
        now = self.env.now
        self.v_end[visit] = now
        citizen = self.v_citizen[visit]
        procedure = self.procedure_of[citizen]
        if citizen >= self.first_added:  # came for a result, or to ask
            self.v_outcome[visit] = self.second.outcome(citizen, self.v_trip[visit],
                                                        self.v_start[visit])
        else:
            self.v_outcome[visit] = (
                SERVED if self.always_served[procedure]
                else self.counter_outcome.outcome(visit, citizen, procedure, self.v_trip[visit]))
        desk = self.v_desk[visit]
        desk.busy -= 1
        if not self.serve_queue(desk):
            desk.record(now)

    def serve_queue(self, desk: Desk) -> bool:
        """Start service for waiting citizens while counters are free, in arrival order; under
        counter_first, free counters then take pieces of back-office work.

        True when the desk's last log row is already its state afterwards (the last start
        logged it and nothing changed since), so the caller need not log the same row again.
        """
        outcome = self.v_outcome
        logged = False
        if self.groups is not None and not desk.guidance:  # the loop below then finds nothing
            logged = self.groups.serve(desk)
        while desk.waiting and self._counter_free(desk):
            visit = desk.queue.popleft()
            if visit is None:  # the free counters are reserved for visits not waiting
                break
            if outcome[visit] == WAITING:
                desk.waiting -= 1
                self._start(visit, desk)
                logged = True
        if desk.overtime and not desk.waiting:
            desk.overtime = False
            desk.set_scheduled(0)
            logged = False
        if self.counter_help is not None and not desk.guidance:
            self.counter_help.offer(desk)
            logged = False
        return logged

    def _counter_free(self, desk: Desk) -> bool:
        """Whether a citizen can be served now: fewer open counters serve citizens than are
        open. Under counter_first a counter doing back-office work is recalled for them, so
        citizens are served exactly when they would be under `dedicated`."""
        if desk.busy >= desk.open:
            return False
        if desk.busy + desk.helping >= desk.open:
            self.counter_help.recall(desk)
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
        self.serve_queue(desk)
        desk.record(now)
        self._maybe_return(visit)

    # --- coming back ---------------------------------------------------------------------------
    def _maybe_return(self, visit: int) -> None:
        """Who gave up or was sent home may come back, after the return lag."""
        self.coming_back.maybe_return(self.v_citizen[visit], self.v_trip[visit])

    def come_back(self, visit: int, after: float) -> None:
        """The citizen's next trip, on the first opening day after the day of ``after``."""
        self.coming_back.come_back(self.v_citizen[visit], self.v_trip[visit], after)

    # --- closing --------------------------------------------------------------------------------
    def close_for_day(self, desk: Desk) -> None:
        """The day's last closing: the desk's waiting citizens are sent home (and may come
        back), or under serve_all its counters stay open until its queue is empty."""
        if self.serve_all and desk.waiting:
            desk.overtime = True  # counters stay open until the queue is empty
            if self.classed:  # reserved counters idle beside a queue now serve anyone
                self.serve_queue(desk)
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
        return RunRecord(
            seed=self.seed,
            desk_names=tuple(self.desk_names),
            visits=self.visits.columns(self.visitors.columns(),
                                      visitor_slots(self.citizens, self.visitors)),
            desk_logs=desk_logs(self.desk_names, self.desks),
            guidance_logs=guidance_logs(self.site_names, self.guides),
            back_office_log=self.back_office.log_array(),
            dossiers=self.back_office.columns(),
            timeline=self.timeline,
            warmup_end=self.scenario.warmup_minutes,
            horizon_end=self.horizon_end,
            no_show_slots=self.no_show_slots,
        )
