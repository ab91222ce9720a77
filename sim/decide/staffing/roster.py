"""A roster: how many of a centre's people take each role in each time block.

The roles are the desks' counters (one role per desk, a results counter or a feedback desk too),
the guidance team (with several sites, each site's: ``<site>.guidance``) and the back office. A
roster is what the headcount search changes one person at a time, and what it writes into the
scenario as an option: each desk's ``schedule``, the guidance ``schedule`` (a site's
``sites.<site>.guidance.schedule``) and the back office's ``schedule``. This module knows the
rules a roster must keep (no more people than the headcount in a block, no more counters than a
desk's positions, each person in a role they are skilled for) and nothing of how a roster is
judged.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from sim.analysis.staffing.blocks import Block
from sim.decide.staffing.result import compact_schedule
from sim.scenario.skills import BACK_OFFICE, GUIDANCE, StaffGroup


def guidance_site(role: str) -> str | None:
    """The site of a guidance role (None for the one team of a centre with one site)."""
    return role.removesuffix("." + GUIDANCE) if role.endswith("." + GUIDANCE) else None


def is_guidance(role: str) -> bool:
    return role == GUIDANCE or role.endswith("." + GUIDANCE)


@dataclass(frozen=True)
class Move:
    """One person from role `source` to role `target` in block `block` (every block: None)."""

    source: str
    target: str
    block: int | None


@dataclass(frozen=True)
class Rules:
    """What every roster must keep: the headcount, each role's most people at a time (a desk's
    positions), the fewest (a guidance team of at least one), and the people's skills."""

    headcount: int
    roles: tuple[str, ...]
    most: dict[str, int]
    fewest: dict[str, int]
    groups: tuple[StaffGroup, ...]

    def allows(self, counts: Sequence[int]) -> bool:
        """Whether one block's counts (in the order of `roles`) fit the rules: each role
        within its bounds, and no deficit."""
        return all(self.fewest[r] <= n <= self.most[r]
                   for r, n in zip(self.roles, counts, strict=True)) and not self.deficit(counts)

    def deficit(self, counts: Sequence[int]) -> int:
        """People missing for one block's counts: those beyond the headcount, or the most by
        which a set of roles asks for more people than the groups who can take one of them,
        whichever is more (by Hall's theorem, none missing exactly when each person can get a
        role they are skilled for)."""
        over = max(sum(counts) - self.headcount, 0)
        wanted = [i for i, n in enumerate(counts) if n > 0]
        short = 0
        for size in range(1, len(wanted) + 1):
            for subset in itertools.combinations(wanted, size):
                names = {self.roles[i] for i in subset}
                able = sum(g.count for g in self.groups if g.skills & names)
                short = max(short, sum(counts[i] for i in subset) - able)
        return max(over, short)


@dataclass(frozen=True)
class Roster:
    """People per role and block: ``counts[role][block]``."""

    roles: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]  # in the order of roles

    def of(self, role: str) -> tuple[int, ...]:
        return self.counts[self.roles.index(role)]

    def block(self, block: int) -> tuple[int, ...]:
        return tuple(row[block] for row in self.counts)

    @property
    def blocks(self) -> int:
        return len(self.counts[0])

    def plus(self, role: str, block: int | None, people: int) -> Roster:
        """The roster with `people` more (fewer when negative) in a role, in one block or in
        every block (None)."""
        index = self.roles.index(role)
        where = range(self.blocks) if block is None else [block]
        row = [n + people if b in where else n for b, n in enumerate(self.counts[index])]
        return Roster(self.roles, tuple(tuple(row) if i == index else counts
                                        for i, counts in enumerate(self.counts)))

    def moved(self, move: Move) -> Roster:
        """The roster after a move (in one block, or in every block)."""
        return self.plus(move.source, move.block, -1).plus(move.target, move.block, 1)

    def keeps(self, rules: Rules) -> bool:
        return all(rules.allows(self.block(b)) for b in range(self.blocks))

    def switches(self) -> int:
        """People who change role from one block to the next, over the day: half the sum of
        the changes of every role's count (each person leaving a role arrives in another)."""
        total = sum(abs(b - a) for row in self.counts for a, b in itertools.pairwise(row))
        return total // 2

    def uniform(self) -> bool:
        """Whether every block has the same split."""
        return all(len(set(row)) == 1 for row in self.counts)


def roster_changes(roster: Roster, blocks: Sequence[Block], paths: dict[str, str]
                   ) -> dict[str, object]:
    """The dotted-path changes that put a roster into a scenario: for each desk its most open
    counters and its schedule, for each guidance team (a site's under its ``guidance``) and
    the back office their staff and schedule. A team with nobody in any block keeps one
    member on paper (the schema's least) with a schedule of 0 (the back office may have 0
    staff)."""
    changes: dict[str, object] = {}
    for role in roster.roles:
        counts = roster.of(role)
        if is_guidance(role):
            site = guidance_site(role)
            path = "guidance" if site is None else f"sites.{site}.guidance"
            field, least = "staff", 1
        elif role == BACK_OFFICE:
            path, field, least = "back_office", "staff", 0
        else:
            path, field, least = paths[role], "counters", 1
        changes[f"{path}.{field}"] = max(least, *counts)
        changes[f"{path}.schedule"] = compact_schedule(blocks, counts)
    return changes
