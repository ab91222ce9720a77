"""Counters that serve several desks' queues: a desk's `serves` and `pick`.

A desk's counters serve its own queue by default. With `serves` they take citizens from the
queues of the named desks of the same site, in that order of preference (`pick:
first_in_order`), or from whichever of them has waited longest at the head of its queue (`pick:
longest_waiting`). A desk that no procedure names is then a named group of counters without a
queue of its own. The fields are declared on `sim.scenario.schema.Desk`; this module holds
their type and descriptions, and the checks of them against the desks of the site.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import Field

from sim.scenario.errors import Problem
from sim.scenario.types import Identifier

Pick = Literal["first_in_order", "longest_waiting"]

Serves = Annotated[list[Identifier], Field(min_length=1)]
SERVES_DESCRIPTION = (
    "desks of the same site whose queues these counters serve, in order of preference (this "
    "desk's own name among them when a procedure uses it); default: its own queue only")
PICK_DESCRIPTION = (
    "with serves, which queue a free counter takes its next citizen from: first_in_order (the "
    "first in serves with someone waiting) or longest_waiting (the head that has waited "
    "longest); default first_in_order")


def serving_problems(site_desks: dict[str, dict], procedure_desks: set[str], single_site: bool,
                     at: Callable[..., str]) -> list[Problem]:
    """Every desk's `serves` and `pick`, with the path of the field to change."""
    problems = []
    for site, desks in site_desks.items():
        where = ["desks"] if single_site else ["sites", site, "desks"]
        for name, desk in desks.items():
            problems += _desk_problems(name, desk, list(desks), name in procedure_desks,
                                       lambda *parts, w=(*where, name): at(*w, *parts))
    return problems


def _desk_problems(name: str, desk, site_desks: list[str], has_procedures: bool,
                   at: Callable[..., str]) -> list[Problem]:
    """The desks named in `serves` exist at the same site, each once; a desk that procedures
    use serves its own queue (else nobody would); `pick` goes with `serves`."""
    if desk.serves is None:
        return ([Problem(at("pick"), desk.pick, "no pick without serves (the queues to pick "
                                                "from): give serves too, or leave pick out")]
                if desk.pick is not None else [])
    problems = []
    for position, served in enumerate(desk.serves):
        if served not in site_desks:
            problems.append(Problem(at("serves", position), served,
                                    "a desk at this site: " + ", ".join(site_desks)))
        elif served in desk.serves[:position]:
            problems.append(Problem(at("serves", position), served,
                                    f"each desk once ({served!r} is already at serves"
                                    f"[{desk.serves.index(served)}])"))
    if has_procedures and name not in desk.serves:
        problems.append(Problem(
            at("serves"), desk.serves,
            f"a list that includes {name!r} itself: procedures queue at this desk, and its "
            "own counters serve its queue (first, or after the desks it prefers)"))
    return problems


def uses_groups(site_desks: dict[str, dict]) -> bool:
    """Whether any desk's counters serve other queues than their own."""
    return any(desk.serves is not None and desk.serves != [name]
               for desks in site_desks.values() for name, desk in desks.items())


def served_together(site_desks: dict[str, dict]) -> list[tuple[str, list[str]]]:
    """(site, desks) of each set of two or more desks linked by `serves` (one serving
    another's queue, directly or through others), in the order of the desks.

    >>> from types import SimpleNamespace as Desk
    >>> served_together({"main": {"a": Desk(serves=["a", "b"]), "b": Desk(serves=None),
    ...                           "c": Desk(serves=None)}})
    [('main', ['a', 'b'])]
    """
    groups = []
    for site, desks in site_desks.items():
        group_of = {name: {name} for name in desks}
        for name, desk in desks.items():
            for served in desk.serves or []:
                merged = group_of[name] | group_of[served]
                for member in merged:
                    group_of[member] = merged
        seen: list[set[str]] = []
        for group in group_of.values():
            if len(group) > 1 and group not in seen:
                seen.append(group)
                groups.append((site, [name for name in desks if name in group]))
    return groups
