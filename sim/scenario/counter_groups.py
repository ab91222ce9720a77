"""Counters that serve several desks' queues: a desk's `serves` and `pick`.

A desk's counters serve its own queue by default. With `serves` they take citizens from the
queues of the named desks of the same site, in that order of preference (`pick:
first_in_order`), or from whichever of them has waited longest at the head of its queue (`pick:
longest_waiting`). A desk that no procedure names is then a named group of counters without a
queue of its own. The fields are declared on `sim.scenario.schema.Desk`; this module holds
their type, the checks of one desk, and the checks that span the desks of a site.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import Field

from sim.scenario.errors import Problem
from sim.scenario.types import Identifier

Pick = Literal["first_in_order", "longest_waiting"]
FIRST_IN_ORDER: Pick = "first_in_order"

Serves = Annotated[list[Identifier], Field(min_length=1)]
SERVES_DESCRIPTION = (
    "desks of the same site whose queues these counters serve, in order of preference (this "
    "desk's own name among them when a procedure uses it); default: its own queue only")
PICK_DESCRIPTION = (
    "with serves, which queue a free counter takes its next citizen from: first_in_order (the "
    "first in serves with someone waiting) or longest_waiting (the head that has waited "
    "longest); default first_in_order")


def check_serving(serves: list[str] | None, pick: str | None) -> None:
    """What one desk's `serves` and `pick` must be on their own.

    >>> check_serving(["land", "land"], None)
    Traceback (most recent call last):
    ...
    ValueError: serves names 'land' twice; name each desk once
    """
    if pick is not None and serves is None:
        raise ValueError("pick goes with serves (the queues to pick from); give serves too")
    for name in set(serves or []):
        if serves.count(name) > 1:
            raise ValueError(f"serves names {name!r} twice; name each desk once")


def serving_problems(site_desks: dict[str, dict], procedure_desks: set[str], single_site: bool,
                     at: Callable[..., str]) -> list[Problem]:
    """Every desk named in a `serves` exists at the same site, and a desk that procedures use
    serves its own queue (else nobody would)."""
    problems = []
    for site, desks in site_desks.items():
        where = ["desks"] if single_site else ["sites", site, "desks"]
        for name, desk in desks.items():
            if desk.serves is None:
                continue
            for position, served in enumerate(desk.serves):
                if served not in desks:
                    problems.append(Problem(at(*where, name, "serves", position), served,
                                            "a desk at this site: " + ", ".join(desks)))
            if name in procedure_desks and name not in desk.serves:
                problems.append(Problem(
                    at(*where, name, "serves"), desk.serves,
                    f"a list that includes {name!r} itself: procedures queue at this desk, and "
                    "its own counters serve its queue (first, or after the desks it prefers)"))
    return problems


def uses_groups(site_desks: dict[str, dict]) -> bool:
    """Whether any desk's counters serve other queues than their own."""
    return any(desk.serves is not None and desk.serves != [name]
               for desks in site_desks.values() for name, desk in desks.items())
