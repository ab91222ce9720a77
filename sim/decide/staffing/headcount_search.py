"""The local search of `sim staff --headcount`: one person moved between roles at a time.

Each round proposes a few moves (one person from one role to another in one block, or in every
block for a uniform split), simulates them together with the roster they start from (common
random numbers: the same seed every round), and keeps the best only if it beats the roster
beyond the noise of the replications (`Judged.beats`: it meets every target where the roster
does not, or its paired shortfall difference has a one-sided 95% bound below 0). Moves are
proposed where they should help: while a desk falls short, a person for its worst block from the
role that theory says can spare one best; while dossiers fall short, a person for the back office
from the counters with most to spare; once every target is met, moves that smooth the day (fewer
switches); a round whose moves all fail tries the next ones. A phase stops when no untried move
is left or the rounds (of both phases together) are spent, the whole-day phase also when two
rounds in a row find nothing (`PATIENCE`).

The search runs in two phases. The first moves people for the whole day: the best uniform split,
which is all that `uniform=True` asks for. The second starts from that split (or from theory's
block-by-block roster or the scenario's own, only if one beats it) and moves people in one block.
Why: a change that helps the whole day (a person more at the busiest desk) takes one whole-day
move but one move per block otherwise, so a search of one-block moves alone spends its rounds
crossing the distance a few whole-day moves cover, and ends (as it did on the mid-size ward)
worse than the uniform split that lies inside its own search space. Started from that split, it
ends no worse on its own replications; and as it keeps only moves that beat the roster
beyond noise, not the luckiest of many on the same few replications, what it finds is likely to
hold on fresh ones (on the mid-size ward it does: benchmarks/README.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
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
#: The whole-day phase ends after this many rounds in a row find nothing: its moves are few (one
#: per pair of roles) and come best first (where theory says they help most), so those left
#: after two failed rounds seldom help. The block phase has a move per block for each of those
#: and a good one may come late (on the mid-size ward, after three failed rounds): it goes on
#: until its rounds are spent or no untried move is left.
PATIENCE = 2
_START_WORDS = {True: "start", False: "block by block from"}
_OTHER_START = " (another start)"
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
    whole_day: bool = True  # the phase: moves act on every block at once
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

    def run(self, starts: list[Roster], block_starts: Sequence[Roster] = ()
            ) -> tuple[Roster, Judged]:
        """The whole-day phase from the best of the uniform `starts`; then, unless the search
        is uniform, the block phase from the best of its result and `block_starts`."""
        roster, judged = self._phase(starts, whole_day=True)
        if self.uniform:
            return roster, judged
        return self._phase([roster, *block_starts], whole_day=False)

    def _phase(self, starts: Sequence[Roster], whole_day: bool) -> tuple[Roster, Judged]:
        """Rounds of moves (acting on the whole day or on one block) from the first of
        `starts`, or another that beats it, until no untried move is left, the rounds are
        spent or (for the whole day) `PATIENCE` rounds in a row find nothing; each round also
        tries its moves all at once."""
        self.whole_day = whole_day
        found = self.evaluate(list(starts))
        best = _winner(found[0], found)
        roster, judged = starts[best], found[best]
        self.note(self._line(_START_WORDS[whole_day] + ("" if best == 0 else _OTHER_START),
                             judged))
        failed = 0
        while self.rounds < self.max_rounds and not (whole_day and failed >= PATIENCE):
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
            best = _winner(judged, found)
            if best is None:
                self.note(f"round {self.rounds}: none of {len(moves)} moves helped")
                failed += 1
                continue
            failed = 0
            roster, judged = trials[best], found[best]
            chosen = moves[best:best + 1] or moves
            self.note(self._line(f"round {self.rounds}: " + ", ".join(
                _move_text(m, self) for m in chosen), judged))
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
        if self.whole_day:
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
        blocks = [None] if self.whole_day else ([block] if block is not None
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

    def fitted(self, roster: Roster, whole_day: bool) -> Roster:
        """The roster made to keep the rules, block by block (or the whole day at once for a
        uniform split, `whole_day`): people taken from the roles theory minds least until none
        is missing, then the people left over given to the back office, or else to the desks
        that need them most."""
        for block in [None] if whole_day else range(roster.blocks):
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
        if self.whole_day:
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


def _winner(incumbent: Judged, found: list[Judged]) -> int | None:
    """The index of the best of `found` (by `Judged.key`) if it beats the incumbent beyond the
    noise of the replications (`Judged.beats`), else None (the incumbent itself: index 0)."""
    best = min(range(len(found)), key=lambda i: found[i].key())
    if found[best].beats(incumbent):
        return best
    return 0 if found[0] is incumbent else None


def _together(roster: Roster, moves: list[Move]) -> Roster:
    for move in moves:
        roster = roster.moved(move)
    return roster


def _move_text(move: Move, search: HeadcountSearch) -> str:
    where = ("every block" if move.block is None
             else search.plan.blocks[move.block].label)
    return f"one person from {move.source} to {move.target} at {where}"
