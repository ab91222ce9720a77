"""Counters that serve several desks' queues (a desk's `serves` and `pick` in the scenario).

Each desk keeps its own queue and its own counters. With `serves`, a desk's free counter takes
its next citizen from the first queue of `serves` that has someone waiting, or (`pick:
longest_waiting`) from the queue whose head has waited longest. A citizen who arrives at an
empty queue goes to a free counter of their own desk if there is one, else to a free counter
of the other desks that serve the queue, in the scenario's order of desks.

Contract with the centre (`Serving`): the centre asks `free_server(queue)` for the counters a
newly arrived citizen can go to, and calls `serve(desk)` whenever counters of a desk may be
free (where it would serve the desk's own queue); `serve` starts citizens with the centre's
`start(visit, desk)` after its `counter_free(desk)`, and calls the centre's `serve_queue` for
another desk whose queue it took from (so that the desk's overtime ends with its queue). Each
queue's `waiting` count and log are kept as the centre keeps them. The run builds a
`CounterGroups` only when some desk serves another desk's queue, so a centre without groups
runs exactly as before.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import simpy

from sim.model.citizens import Pool
from sim.model.desk import Desk
from sim.model.record import Visits
from sim.scenario.counter_groups import uses_groups
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Serving:
    """What the counter groups need of the centre that owns them."""

    env: simpy.Environment
    start: Callable[[int, Desk], None]  # start serving a visit at a desk's counter
    counter_free: Callable[[Desk], bool]  # a counter of the desk can serve a citizen now
    serve_queue: Callable[[Desk], bool]  # True when the desk's last log row is its state


class CounterGroups:
    """Which desks' counters serve which queues in one run."""

    __slots__ = ("centre", "joined", "longest", "servers", "serves")

    def __init__(self, serves: dict[Desk, list[Desk]], longest: dict[Desk, bool],
                 visits: Visits, centre: Serving) -> None:
        self.serves = serves  # a desk -> the queues its counters serve, in order of preference
        self.longest = longest  # a desk -> True under pick: longest_waiting
        self.joined = visits.joined  # when each visit joined its current queue
        self.centre = centre
        self.servers = servers_of(serves)

    def free_server(self, queue: Desk) -> Desk | None:
        """The desk whose free counter serves a citizen arriving at an empty queue, if any."""
        counter_free = self.centre.counter_free
        for server in self.servers.get(queue, (queue,)):
            if counter_free(server):
                return server
        return None

    def serve(self, desk: Desk) -> bool:
        """Free counters of the desk take citizens from the queues it serves. True when a
        citizen was started (the start logged the desk)."""
        centre, logged = self.centre, False
        while (queue := self.next_queue(desk)) is not None and centre.counter_free(desk):
            visit = queue.queue.popleft()
            queue.waiting -= 1
            centre.start(visit, desk)
            logged = True
            if queue is not desk and not centre.serve_queue(queue):
                queue.record(centre.env.now)
        return logged

    def next_queue(self, server: Desk) -> Desk | None:
        """The queue a free counter of `server` takes its next citizen from; None when every
        queue it serves is empty."""
        if not self.longest[server]:
            for queue in self.serves[server]:
                if queue.waiting and queue.queue.peek() is not None:
                    return queue
            return None
        best, since, joined = None, math.inf, self.joined
        for queue in self.serves[server]:
            if queue.waiting:
                head = queue.queue.peek()
                if head is not None and joined[head] < since:
                    best, since = queue, joined[head]
        return best


def servers_of(serves: dict[Desk, list[Desk]]) -> dict[Desk, list[Desk]]:
    """For each queue, the desks whose counters serve it: its own first, then the others in
    the order of the desks."""
    servers: dict[Desk, list[Desk]] = {}
    for server, queues in serves.items():
        if server in queues:
            servers.setdefault(server, []).append(server)
    for server, queues in serves.items():
        for queue in queues:
            if queue is not server:
                servers.setdefault(queue, []).append(server)
    return servers


def counter_groups(scenario: Scenario, pools: Sequence[Pool], desks: Sequence[Desk],
                   visits: Visits, centre: Serving) -> CounterGroups | None:
    """The run's counter groups; None when every desk serves only its own queue."""
    site_desks = scenario.site_desks()
    if not uses_groups(site_desks):
        return None
    by_pool = {(pool.site, pool.desk): desk for pool, desk in zip(pools, desks, strict=True)}
    serves, longest = {}, {}
    for pool, desk in zip(pools, desks, strict=True):
        spec = site_desks[pool.site][pool.desk]
        serves[desk] = [by_pool[pool.site, name] for name in spec.serves or [pool.desk]]
        longest[desk] = spec.pick == "longest_waiting"
    return CounterGroups(serves, longest, visits, centre)
