"""Opening hours as SimPy processes: counters and guides follow their schedules, outages stop
counters, and at each day's last closing every desk closes for the day.

Contract with the centre (`Centre`): the processes change how many counters a desk has open,
then call the centre's `serve_queue(desk)` so that waiting citizens are served (or counters take
back-office work), and log the desk; at the day's last closing they call the centre's
`close_for_day(desk)`, which sends the waiting citizens home or keeps the counters open for
them (`serve_all`).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Protocol

import simpy

from sim.model.calendar import Timeline, counter_changes
from sim.model.citizens import Pool
from sim.model.desk import Desk
from sim.model.disruptions import Stop
from sim.scenario.schema import Desk as DeskSpec
from sim.scenario.schema import Scenario


class Centre(Protocol):
    """What the opening-hours processes need of the centre they drive."""

    def serve_queue(self, desk: Desk) -> bool: ...

    def close_for_day(self, desk: Desk) -> None: ...


def start_opening_hours(env: simpy.Environment, centre: Centre, scenario: Scenario,
                        timeline: Timeline, pools: Sequence[Pool], desks: Sequence[Desk],
                        guides: Sequence[Desk], stops: Sequence[Stop]) -> None:
    """Start the processes, in this order: each desk's schedule, each guidance team's, each
    outage, the closings (the order of processes acting in the same instant)."""
    site_desks = scenario.site_desks()
    for pool, desk in zip(pools, desks, strict=True):
        changes = counter_changes(timeline, site_desks[pool.site][pool.desk])
        env.process(follow_schedule(env, centre, desk, changes))
    for site, guide in zip(site_desks, guides, strict=False):  # no guides: no guidance
        staff, schedule = scenario.site_guidance(site)
        team = DeskSpec(counters=staff, schedule=schedule)
        env.process(follow_schedule(env, centre, guide, counter_changes(timeline, team)))
    for stop in stops:
        hit = [desk for desk, pool in zip(desks, pools, strict=True)
               if stop.desks is None or pool.desk in stop.desks]
        env.process(outage(env, centre, stop, hit))
    env.process(closings(env, centre, timeline.closings, [*desks, *guides]))


def follow_schedule(env: simpy.Environment, centre: Centre, desk: Desk,
                    changes: list[tuple[float, int]]):
    """The desk's open counters follow its schedule: (time, counters) changes."""
    for time, level in changes:
        yield env.timeout(time - env.now)
        desk.set_scheduled(level)
        desk.overtime = False
        centre.serve_queue(desk)
        desk.record(env.now)


def outage(env: simpy.Environment, centre: Centre, stop: Stop, hit: Sequence[Desk]):
    """The counters of the desks hit stop from the stop's start to its end."""
    yield env.timeout(stop.start - env.now)  # the plan starts every stop at 0 or later
    for desk in hit:
        desk.stopped += 1
        desk.set_scheduled(desk.scheduled)
        desk.record(env.now)
    yield env.timeout(stop.end - env.now)
    for desk in hit:
        desk.stopped -= 1
        desk.set_scheduled(desk.scheduled)
        centre.serve_queue(desk)
        desk.record(env.now)


def closings(env: simpy.Environment, centre: Centre, times: Sequence[float],
             desks: Sequence[Desk]):
    """At each day's last closing, every desk (counters, then guides) closes for the day."""
    for time in times:
        yield env.timeout(time - env.now)
        for desk in desks:
            centre.close_for_day(desk)
            desk.record(env.now)


class DayClosed:
    """Whether the day's last session has closed (and the next day not yet opened)."""

    def __init__(self, timeline: Timeline) -> None:
        self.periods = timeline.periods
        self.period_starts = [start for start, _ in timeline.periods]
        self.closing_times = set(timeline.closings)

    def at(self, now: float) -> bool:
        index = bisect.bisect_right(self.period_starts, now) - 1
        return index >= 0 and now >= self.periods[index][1] and (
            self.periods[index][1] in self.closing_times)
