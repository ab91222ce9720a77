"""Checks of the tickets and appointments sections against the rest of the scenario: the
procedures that book and the desks with reserved counters must exist, and a desk must keep a
counter for everyone else."""

from __future__ import annotations

from collections.abc import Callable

from sim.scenario.errors import Problem
from sim.scenario.schema import Scenario

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
        sizes = [desks[desk].counters for desks in scenario.site_desks().values()
                 if desk in desks]
        if not sizes:
            problems.append(Problem(at("appointments", "reserved", desk), desk,
                                    "a desk: " + ", ".join(scenario.desk_names())))
        elif counters >= min(sizes):
            problems.append(Problem(at("appointments", "reserved", desk), counters,
                                    f"fewer than the desk's {min(sizes)} counters (one at "
                                    "least serves the citizens without a booking)"))
    return problems
