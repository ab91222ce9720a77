"""Checks of the tickets and appointments sections against the rest of the scenario: the
procedures that book and the desks with reserved counters must exist, and a desk must keep a
counter for everyone else."""

from __future__ import annotations

from collections.abc import Callable

from sim.scenario.errors import Problem
from sim.scenario.schema import Desk, Scenario
from sim.scenario.types import level_at, schedule_points, session_minutes

At = Callable[..., str]


def appointment_problems(scenario: Scenario, at: At) -> list[Problem]:
    """Every problem of the appointments section (none without one)."""
    booking = scenario.appointments
    if booking is None:
        return []
    ids = {p.id: p.desk for p in scenario.procedures}
    problems = [Problem(at("appointments", "shares", name), name,
                        "a procedure id: " + ", ".join(ids))
                for name in booking.shares if name not in ids]
    problems += _closed_booking_problems(scenario, {ids[name] for name, share in
                                                    booking.shares.items()
                                                    if name in ids and share > 0}, at)
    if booking.rule != "reserved":
        return problems
    booked_desks = sorted({ids[name] for name, share in booking.shares.items()
                           if name in ids and share > 0})
    problems += [Problem(at("appointments", "reserved"), dict(booking.reserved),
                         f"reserved counters for desk {desk}, where citizens book")
                 for desk in booked_desks if desk not in booking.reserved]
    return problems + _reserved_counter_problems(scenario, at)


def _reserved_counter_problems(scenario: Scenario, at: At) -> list[Problem]:
    """Reserved counters name a desk and leave at least one counter of it for everyone else."""
    reserved = scenario.appointments.reserved
    problems = []
    for desk, counters in reserved.items():
        sizes = [_fewest_open(desks[desk]) for desks in scenario.site_desks().values()
                 if desk in desks]
        if not sizes:
            problems.append(Problem(at("appointments", "reserved", desk), desk,
                                    "a desk: " + ", ".join(scenario.desk_names())))
        elif counters >= min(sizes):
            problems.append(Problem(at("appointments", "reserved", desk), counters,
                                    f"fewer than the desk's {min(sizes)} counters open at "
                                    "any time its schedule opens it (one at least serves the "
                                    "citizens without a booking)"))
    return problems


def _fewest_open(desk: Desk) -> int:
    """The fewest counters the desk has open whenever it is open (its schedule's smallest
    level above 0, or all its counters)."""
    return min([desk.counters, *(level for level in (desk.schedule or {}).values() if level)])


def _closed_booking_problems(scenario: Scenario, booked: set[str], at: At) -> list[Problem]:
    """Booking periods lie where the booked desks have a counter open: a citizen booked at an
    hour their desk is closed would only be sent home."""
    problems = []
    for position, period in enumerate(scenario.appointments.hours):
        opens, closes = session_minutes(period)
        for site, desks in scenario.site_desks().items():
            for name in sorted(booked & set(desks)):
                points = schedule_points(desks[name].schedule)
                clocks = [opens, *(t for t, _ in points if opens < t < closes)]
                if any(level_at(points, clock, desks[name].counters) == 0 for clock in clocks):
                    where = name if scenario.sites is None else f"{site}.{name}"
                    problems.append(Problem(
                        at("appointments", "hours", position), period,
                        f"hours when desk {where} has a counter open (its schedule closes it "
                        "within this period)"))
    return problems
