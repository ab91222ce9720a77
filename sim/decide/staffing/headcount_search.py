"""The local search of `sim staff --headcount`: one person moved between roles at a time.

Each round proposes a few moves (one person from one role to another in one block, or in every
block for a uniform split), simulates them together with the roster they start from (common
random numbers: the same seed every round), and keeps the best if it beats the roster (by
`Judged.key`: every target met, then the mean shortfall, overtime, switches). Moves are
proposed where they should help: while a desk falls short, a person for its worst block from the
role that theory says can spare one best; while dossiers fall short, a person for the back office
from the counters with most to spare; once every target is met, moves that smooth the day (fewer
switches). The search stops when a round finds nothing better or its rounds are spent.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from sim.analysis.staffing.theory_plan import TheoryPlan
from sim.decide.staffing.headcount_judge import CENTRE, Judge, Judged
from sim.decide.staffing.roster import Move, Roster, Rules, is_guidance, roster_changes
from sim.scenario.load import scenario_from_document
from sim.scenario.paths import with_change
from sim.scenario.schema import Scenario
from sim.scenario.skills import BACK_OFFICE

MOVES_PER_ROUND = 3
_GUIDE_HARM = 0.5  # a guide is taken only where no counter can spare a person more cheaply
_SHORT_HARM = 10.0  # above any harm of a role that meets its targets


@dataclass
class HeadcountSearch:
    """The rounds of moves, their simulations and what they found."""

    document: dict
    judge: Judge
    plan: TheoryPlan
    rules: Rules
    replications: int
    seed: int
    uniform: bool
    max_rounds: int
    say: Callable[[str], None]
    rounds: int = 0
    history: list[str] = field(default_factory=list)
    _tried: set = field(default_factory=set)
    _judged: dict = field(default_factory=dict)

    def note(self, text: str) -> None:
        self.history.append(text)
        self.say(text)

    def scenario(self, roster: Roster) -> Scenario:
        """The scenario with the roster in place of its own staffing."""
        document = self.document
        for change, value in roster_changes(roster, self.plan.blocks, self.plan.paths).items():
            document = with_change(document, change, value)
        return scenario_from_document(document, self.judge.source, options=["baseline"]).baseline

    def evaluate(self, rosters: list[Roster]) -> list[Judged]:
        """The rosters simulated together on the search's seed, each judged (once: a roster's
        replications do not depend on the others simulated beside it)."""
        new = [r for r in dict.fromkeys(rosters) if r not in self._judged]
        if new:
            names = [f"r{i}" for i in range(len(new))]
            results = self.judge.run({n: self.scenario(r) for n, r in zip(names, new,
                                                                         strict=True)},
                                     self.replications, self.seed)
            for name, roster in zip(names, new, strict=True):
                self._judged[roster] = self.judge.judge(results, name, roster.switches())
        return [self._judged[r] for r in rosters]

    def run(self, starts: list[Roster]) -> tuple[Roster, Judged]:
        """Rounds of moves from the best of `starts` until none helps or the rounds are spent;
        each round also tries its moves all at once."""
        found = self.evaluate(starts)
        best = min(range(len(starts)), key=lambda i: found[i].key())
        roster, judged = starts[best], found[best]
        self.note(self._line("start" if best == 0 else "start (the scenario's own split)",
                             judged))
        while self.rounds < self.max_rounds:
            moves = self.moves(roster, judged)
            if not moves:
                break
            self.rounds += 1
            self._tried.update((roster.counts, move) for move in moves)
            trials = [roster.moved(move) for move in moves]
            together = _together(roster, moves)
            if len(moves) > 1 and together.keeps(self.rules):
                trials.append(together)  # all of them at once: far from the targets, faster
            found = self.evaluate(trials)
            best = min(range(len(trials)), key=lambda i: found[i].key())
            if found[best].key() < judged.key():
                roster, judged = trials[best], found[best]
                chosen = moves[best:best + 1] or moves
                self.note(self._line(f"round {self.rounds}: " + ", ".join(
                    _move_text(m, self) for m in chosen), judged))
            else:
                self.note(f"round {self.rounds}: none of {len(moves)} moves helped")
        return roster, judged

    def _line(self, what: str, judged: Judged) -> str:
        state = ("every target met" if judged.met
                 else "short: " + "; ".join(judged.problems()))
        return (f"{what}: {state}; overtime {judged.overtime:.1f} staff-hours, "
                f"{judged.switches} switches")

    def moves(self, roster: Roster, judged: Judged) -> list[Move]:
        """The moves this round tries: for what falls short, or else to smooth the day."""
        failing = judged.failing()
        if failing:
            wanted = [m for label in failing for m in self._moves_for(label, roster, judged)]
        else:
            wanted = self._smoothing(roster)
        fresh = [m for m in dict.fromkeys(wanted) if (roster.counts, m) not in self._tried
                 and roster.moved(m).keeps(self.rules)]
        return fresh[:MOVES_PER_ROUND]

    def _moves_for(self, label: str, roster: Roster, judged: Judged) -> list[Move]:
        """A desk short of people gets one in its worst blocks; the centre's dossier targets
        get one more in the back office where someone can best be spared."""
        if label == CENTRE:
            if BACK_OFFICE not in roster.roles:
                return []
            return [Move(source, BACK_OFFICE, block)
                    for _, source, block in self._donors(roster, judged, BACK_OFFICE)]
        moves = []  # the best donor of each block first, then the others
        for rank in range(len(roster.roles)):
            for block in self._worst_blocks(label, judged)[:MOVES_PER_ROUND]:
                donors = self._donors(roster, judged, label, block)
                moves += [Move(donors[rank][1], label, block)] if rank < len(donors) else []
        return moves

    def _worst_blocks(self, label: str, judged: Judged) -> list[int | None]:
        """The desk's blocks by how much they add to its shortfall (visits times the excess
        over each limit, or over the limits themselves when no block exceeds one)."""
        if self.uniform:
            return [None]
        found = judged.blocks[label]
        limits = np.array([c.limit for c in self.judge.criteria])
        excess = (np.maximum(found.mean - limits, 0.0) / limits).sum(axis=1)
        if not np.any(excess > 0):
            excess = (found.mean / limits).sum(axis=1)
        score = found.visits * excess
        return [int(b) for b in np.argsort(-score, kind="stable") if score[b] > 0]

    def _donors(self, roster: Roster, judged: Judged, target: str, block: int | None = None
                ) -> list[tuple[float, str, int | None]]:
        """(harm, role, block) for taking one person from each other role, least harm first:
        a desk's harm is theory's violation with one counter fewer (below 0: still within
        every limit), the back office's -1, a guide's a fixed middle value; a role that falls
        short itself (the back office while the dossiers do) comes after every other, so that
        when everything falls short the simulation still weighs one shortfall against another."""
        blocks = [None] if self.uniform else ([block] if block is not None
                                              else range(roster.blocks))
        failing = set(judged.failing()) | ({BACK_OFFICE} if CENTRE in judged.failing() else set())
        found = []
        for role in roster.roles:
            if role == target:
                continue
            for where in blocks:
                harm = self._harm(role, roster, where, -1.0)
                if math.isfinite(harm):
                    found.append((harm + (_SHORT_HARM if role in failing else 0.0), role, where))
        return sorted(found, key=lambda entry: entry[0])

    def _harm(self, role: str, roster: Roster, block: int | None, office: float) -> float:
        """How much taking one person from a role should hurt (see `_donors`; the back
        office's is `office`); infinite where the role has none to spare."""
        where = range(roster.blocks) if block is None else [block]
        counts = roster.of(role)
        if any(counts[b] - 1 < self.rules.fewest[role] for b in where):
            return math.inf
        if role == BACK_OFFICE:
            return office
        if is_guidance(role):
            return _GUIDE_HARM
        return self._violation(role, roster, block, -1)

    def _violation(self, role: str, roster: Roster, block: int | None, people: int) -> float:
        """Theory's worst violation of a desk's limits with `people` more counters (in one
        block, or the worst block)."""
        where = range(roster.blocks) if block is None else [block]
        counts, theories = roster.of(role), self.plan.block_theory[role]
        return max(theories[b].violation(counts[b] + people) for b in where)

    def fitted(self, roster: Roster) -> Roster:
        """The roster made to keep the rules, block by block (or the whole day at once for a
        uniform split): people taken from the roles theory minds least until none is missing,
        then the people left over given to the back office, or else to the desks that need
        them most."""
        for block in [None] if self.uniform else range(roster.blocks):
            roster = self._fill(self._trim(roster, block), block)
        return roster

    def _trim(self, roster: Roster, block: int | None) -> Roster:
        where = range(roster.blocks) if block is None else [block]

        def missing(candidate: Roster) -> int:
            return sum(self.rules.deficit(candidate.block(b)) for b in where)

        while missing(roster):
            cuts = [(self._harm(role, roster, block, _GUIDE_HARM), role)
                    for role in roster.roles]
            cuts = [(harm, role) for harm, role in cuts if math.isfinite(harm)
                    and missing(roster.plus(role, block, -1)) < missing(roster)]
            if not cuts:
                raise ValueError("no roster fits the headcount, the skills and one person at "
                                 "each desk and guide: check the skills file")
            roster = roster.plus(min(cuts)[1], block, -1)
        return roster

    def _fill(self, roster: Roster, block: int | None) -> Roster:
        where = range(roster.blocks) if block is None else [block]
        while True:
            desks = sorted((r for r in roster.roles if r in self.plan.block_theory),
                           key=lambda r: -self._violation(r, roster, block, 0))
            order = [*([BACK_OFFICE] if BACK_OFFICE in roster.roles else []), *desks]
            room = [r for r in order if all(self.rules.allows(roster.plus(r, block, 1).block(b))
                                            for b in where)]
            if not room:
                return roster
            roster = roster.plus(room[0], block, 1)

    def _smoothing(self, roster: Roster) -> list[Move]:
        """Moves that leave fewer switches: one person from a role whose count in a block
        stands above its neighbours' to one whose count stands below them."""
        if self.uniform:
            return []
        moves = []
        for block in range(roster.blocks):
            sides = [b for b in (block - 1, block + 1) if 0 <= b < roster.blocks]
            above = [r for r in roster.roles
                     if all(roster.of(r)[block] > roster.of(r)[b] for b in sides)]
            below = [r for r in roster.roles
                     if all(roster.of(r)[block] < roster.of(r)[b] for b in sides)]
            moves += [Move(a, b, block) for a in above for b in below]
        return [m for m in moves if roster.moved(m).switches() < roster.switches()]


def _together(roster: Roster, moves: list[Move]) -> Roster:
    for move in moves:
        roster = roster.moved(move)
    return roster


def _move_text(move: Move, search: HeadcountSearch) -> str:
    where = ("every block" if move.block is None
             else search.plan.blocks[move.block].label)
    return f"one person from {move.source} to {move.target} at {where}"
