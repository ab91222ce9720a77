"""Tickets and bookings of the pre-sampled citizens: who holds a priority ticket, who books a
slot, which slot, when they then arrive and who does not come.

How booked citizens are drawn keeps the demand and the common random numbers. The citizens are
sampled exactly as without appointments (`sim.model.citizens`); then each citizen of a procedure
that takes bookings books with the procedure's share (a uniform of the `appointments` stream,
drawn for every citizen whether or not they book). A booking citizen takes the first slot with
room at their desk from the moment they would have walked in, at most `days_ahead` opening days
later (or walks in as planned when there is none), in the order in which they would have come.
They then arrive at the slot's start plus their punctuality, or do not come at all (no-show:
their slot stays empty, nobody else takes it). A citizen more than `late_limit` minutes late
loses the booking and takes a walk-in ticket. Nobody is added or removed but the no-shows, and
the draws depend on the citizens and the appointments section only, never on the counters: every
staffing option sees the same citizens with the same bookings.

Priority tickets are a uniform of the `tickets` stream per citizen: a citizen is in a priority
class on every trip; a booking is for the first trip only (a citizen who comes back walks in).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from sim.model.calendar import Timeline
from sim.model.citizens import Citizens
from sim.model.record import BOOKED, PRIORITY, WALK_IN
from sim.scenario.distributions import as_distribution
from sim.scenario.schema import Scenario
from sim.scenario.tickets import Appointments
from sim.scenario.types import session_minutes


def assign_tickets(scenario: Scenario, timeline: Timeline, citizens: Citizens,
                   rngs: dict[str, np.random.Generator]) -> tuple[Citizens, np.ndarray]:
    """The citizens with their ticket classes (and booked arrivals, sorted by arrival), and the
    slot starts left empty by no-shows; the citizens unchanged without either section."""
    if scenario.tickets is None and scenario.appointments is None:
        return citizens, np.zeros(0)
    count = len(citizens)
    later = np.full(count, WALK_IN, dtype=np.int8)
    if scenario.tickets is not None:
        priority_share = sum(scenario.tickets.priority.values())
        later[rngs["tickets"].random(count) < priority_share] = PRIORITY
    with_tickets = dataclasses.replace(citizens, ticket=later.copy(), later_ticket=later,
                                       slot=np.full(count, np.nan))
    if scenario.appointments is None:
        return with_tickets, np.zeros(0)
    return _book(scenario, timeline, with_tickets, rngs["appointments"].random((count, 3)))


def _book(scenario: Scenario, timeline: Timeline, citizens: Citizens,
          uniforms: np.ndarray) -> tuple[Citizens, np.ndarray]:
    """Bookings, arrivals at the booked slots, no-shows and cancelled bookings."""
    booking: Appointments = scenario.appointments
    share = np.array([booking.shares.get(p.id, 0.0) for p in scenario.procedures])
    books = uniforms[:, 0] < share[citizens.procedure]
    slot = _assign_slots(booking, timeline, citizens, books)
    has_slot = ~np.isnan(slot)
    no_show = has_slot & (uniforms[:, 1] < booking.no_show)
    offset = as_distribution(booking.punctuality).ppf(uniforms[:, 2])
    cancelled = has_slot & (offset > booking.late_limit if booking.late_limit is not None
                            else np.zeros(len(slot), dtype=bool))
    arrival = np.where(has_slot, np.maximum(slot + offset, 0.0), citizens.arrival)
    ticket = np.where(has_slot & ~cancelled, BOOKED, citizens.ticket).astype(np.int8)
    kept = dataclasses.replace(citizens, arrival=arrival, ticket=ticket, slot=slot)
    order = np.flatnonzero(~no_show)
    order = order[np.argsort(arrival[order], kind="stable")]
    return _rows(kept, order), slot[no_show]


def _rows(citizens: Citizens, order: np.ndarray) -> Citizens:
    """The citizens of rows ``order``, in that order (every per-citizen column)."""
    count = len(citizens)
    return dataclasses.replace(citizens, **{
        field.name: getattr(citizens, field.name)[order]
        for field in dataclasses.fields(citizens)
        if isinstance(getattr(citizens, field.name), np.ndarray)
        and len(getattr(citizens, field.name)) == count})


def slot_starts(booking: Appointments, timeline: Timeline) -> np.ndarray:
    """Start of every slot of the run (minutes), in time order: each opening day, each booking
    period, slots back to back that end within it."""
    starts = []
    for day in timeline.days:
        for period in booking.hours:
            opens, closes = session_minutes(period)
            slots = int((closes - opens) // booking.slot_minutes)
            starts.extend(day.midnight + opens + booking.slot_minutes * np.arange(slots))
    return np.sort(np.asarray(starts, dtype=float))


def _assign_slots(booking: Appointments, timeline: Timeline, citizens: Citizens,
                  books: np.ndarray) -> np.ndarray:
    """Each booking citizen's slot start (nan for the others and for those who found none):
    the first slot with room at their counter pool from when they would have come, in the
    order they would have come (citizens are sorted by arrival)."""
    starts = slot_starts(booking, timeline)
    midnights = np.array([day.midnight for day in timeline.days])
    slot_day = np.searchsorted(midnights, starts, side="right") - 1
    slot = np.full(len(citizens), np.nan)
    for pool in np.unique(citizens.pool[books]):
        mine = np.flatnonzero(books & (citizens.pool == pool))
        wanted = citizens.arrival[mine]
        first = np.searchsorted(starts, wanted, side="left")
        last_day = np.searchsorted(midnights, wanted, side="right") - 1 + booking.days_ahead
        taken = _first_free(first, np.searchsorted(slot_day, last_day, side="right"),
                            len(starts), booking.per_slot)
        found = taken >= 0
        slot[mine[found]] = starts[taken[found]]
    return slot


def _first_free(first: np.ndarray, limit: np.ndarray, slots: int, per_slot: int) -> np.ndarray:
    """For each request in turn, the first slot index from ``first`` below ``limit`` with room
    (-1: none), each slot taking ``per_slot`` requests. Full slots are skipped by pointer
    jumping (union-find), so the whole is about linear in requests and slots."""
    room = [per_slot] * slots
    next_free = list(range(slots + 1))

    def find(index: int) -> int:
        root = index
        while next_free[root] != root:
            root = next_free[root]
        while next_free[index] != root:
            next_free[index], index = root, next_free[index]
        return root

    taken = np.full(len(first), -1, dtype=np.int64)
    for request, (start, end) in enumerate(zip(first.tolist(), limit.tolist(), strict=True)):
        index = find(start)
        if index < min(end, slots):
            taken[request] = index
            room[index] -= 1
            if room[index] == 0:
                next_free[index] = index + 1
    return taken
