"""The staffing search: from the theory plan to counts that meet every target in simulation.

`staff` is the entry point: it reads the scenario and targets, asks the theory step for a plan,
runs the simulation rounds that add and take away counters (`_Search`), confirms the answer on
fresh replications, and writes the staffed copy. The rounds size units (`units.py`): a desk, or
desks whose counters serve each other's queues (`serves`), whose counters are counted together
and whose every queue is judged.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.staffing.blocks import DEFAULT_BLOCK_MINUTES
from sim.analysis.staffing.check import Evaluation, block_frame, check_frame, per_desk_metrics
from sim.analysis.staffing.criteria import target_criterion
from sim.analysis.targets import Target, target_minutes
from sim.decide.staffing.option_writer import write_staffed_copy
from sim.decide.staffing.request import checked_how, search_targets
from sim.decide.staffing.result import StaffingResult, option_changes
from sim.decide.staffing.units import SearchPlan, search_plan
from sim.experiment.plan import DEFAULT_SEED, fresh_seed
from sim.experiment.runner import DEFAULT_REPLICATIONS, run_experiment
from sim.model.calendar import build_timeline
from sim.scenario.load import ScenarioSet, scenario_from_document
from sim.scenario.paths import with_change
from sim.scenario.schema import Scenario
from sim.scenario.yaml_loader import read_yaml_file

DEFAULT_OPTION = "staffed"
DEFAULT_MAX_EVALUATIONS = 25
#: A counter is taken away only where the prediction with one fewer stays this far inside every
#: limit: "clearly over-served", so that no simulation is spent on a knife edge.
_SPARE_MARGIN = 0.9


def staff(
    scenario_path: str | Path,
    targets: Sequence[Target | str] = (),
    desks: Sequence[str] | None = None,
    *,
    seed: int = DEFAULT_SEED,
    replications: int = DEFAULT_REPLICATIONS,
    out: str | Path | None = None,
    block_minutes: int | None = DEFAULT_BLOCK_MINUTES,
    option: str = DEFAULT_OPTION,
    conservative: bool = True,
    max_evaluations: int = DEFAULT_MAX_EVALUATIONS,
    progress: Callable[[str], None] | None = None,
) -> StaffingResult:
    """Find the fewest counters per desk and block that meet `targets` in simulation.

    `targets` are Target objects or texts such as ``"wait_p90<=30"``; none: the scenario's own
    `targets`. `desks` names desks (every site's) or ``site.desk`` pools; none: all. With `out`,
    a copy of the scenario with the new option is written there (see `write_staffed_copy`).
    Raises ValueError for targets or desks that cannot be searched.

    Longer than most functions because it only runs the steps one after the other and hands
    their results on (each step is a function or method of its own).
    """
    started = time.perf_counter()
    say = progress or (lambda _: None)
    path = Path(scenario_path)
    document = read_yaml_file(path)
    scenario = scenario_from_document(document, str(path), options=["baseline"]).baseline
    targets = search_targets(scenario, targets)
    if replications < 1 or max_evaluations < 1:
        raise ValueError("replications and max_evaluations must be at least 1")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", option) or option == "baseline":
        raise ValueError(f"option name {option!r}: lower-case letters, digits and _, "
                         "starting with a letter, and not 'baseline'")
    searched = search_plan(scenario, targets, desks, block_minutes)
    plan = searched.plan
    say(f"theory ({plan.model}, busiest day {plan.busiest_day}): "
        + "; ".join(f"{label} {list(c)}" for label, c in plan.counters.items()))
    search = _Search(document, str(path), scenario, targets, searched, seed, replications,
                     conservative, max_evaluations, say)
    counts, evaluation, met = search.run()
    confirmation, confirmation_seed, unconfirmed = search.confirm(counts)
    changes = option_changes(plan.paths, plan.blocks, searched.per_desk(counts))
    written, kept, name = None, True, option
    if out is not None:
        comment = (f"sim staff: {', '.join(map(str, targets))}; {plan.model} per "
                   + checked_how(block_minutes, replications, seed, met, not unconfirmed,
                                 confirmation_seed))
        written, kept, name = write_staffed_copy(path, out, option, changes, comment)
    return StaffingResult(
        source=str(path), targets=targets, blocks=plan.blocks,
        theory=searched.per_desk(plan.counters), counters=searched.per_desk(counts), met=met,
        check=evaluation.check, summary=evaluation.summary, option=name, changes=changes,
        written=written, comments_kept=kept, model=plan.model, busiest_day=plan.busiest_day,
        replications=replications, seed=seed, evaluations=search.evaluations,
        history=tuple(search.history), runtime_seconds=time.perf_counter() - started,
        confirmation=confirmation.check, confirmation_seed=confirmation_seed,
        unconfirmed=tuple(unconfirmed))


@dataclass(frozen=True)
class _Tried:
    """Counts a failing desk had in one round of additions, how far they fell short, and the
    simulation that showed it."""

    gap: float
    counts: list[int]
    evaluation: Evaluation


class _Search:
    """Simulation rounds: add counters while a unit (a desk, or desks linked by `serves`)
    fails, then take away what is not needed."""

    def __init__(self, document: dict, source: str, scenario: Scenario,
                 targets: tuple[Target, ...], searched: SearchPlan, seed: int,
                 replications: int, conservative: bool, max_evaluations: int,
                 say: Callable[[str], None]):
        self.document, self.source, self.scenario = document, source, scenario
        self.targets, self.plan, self.searched = targets, searched.plan, searched
        self.criteria = tuple(target_criterion(t, target_minutes(scenario)) for t in targets)
        self.seed, self.replications, self.conservative = seed, replications, conservative
        self.max_evaluations, self.say = max_evaluations, say
        self.timeline = build_timeline(scenario.calendar)
        self.labels = list(self.plan.counters)
        self.cache: dict[tuple, Evaluation] = {}
        self.history: list[str] = []
        self.evaluations = 0

    def _note(self, text: str) -> None:
        self.history.append(text)
        self.say(text)

    def evaluate(self, counts: dict[str, list[int]]) -> Evaluation:
        """The counts simulated on the search's own seed (once per counts)."""
        key = tuple(tuple(counts[label]) for label in self.labels)
        if key in self.cache:
            return self.cache[key]
        evaluation = self._simulate(counts, self.seed)
        self.evaluations += 1
        self.cache[key] = evaluation
        problems = self._problems(evaluation)
        self._note(f"simulation {self.evaluations}: "
                   + ("every target met" if not problems else "short: " + "; ".join(problems)))
        return evaluation

    def confirm(self, counts: dict[str, list[int]]) -> tuple[Evaluation, int, list[str]]:
        """The final counts simulated again on fresh replications, none of whose seeds the
        search tuned on: the counts were kept because they passed on the search's seeds, so
        only other seeds tell whether they pass without that luck. Returns the simulation, its
        root seed and what falls short there (empty: every target confirmed)."""
        seed = fresh_seed(self.seed, self.replications)
        evaluation = self._simulate(counts, seed)
        problems = self._problems(evaluation)
        self._note(f"confirmation on {self.replications} fresh replications (seed {seed}): "
                   + ("every target met" if not problems else "short: " + "; ".join(problems)))
        return evaluation, seed, problems

    def _simulate(self, counts: dict[str, list[int]], seed: int) -> Evaluation:
        document = self.document
        per_desk = self.searched.per_desk(counts)
        for change, value in option_changes(self.plan.paths, self.plan.blocks, per_desk).items():
            document = with_change(document, change, value)
        scenario = scenario_from_document(document, self.source, options=["baseline"]).baseline
        results = run_experiment(ScenarioSet(self.source, self.scenario, {"staffed": scenario}),
                                 self.replications, seed)
        queues = self.searched.queues
        metrics = per_desk_metrics(results.visits, scenario.warmup_minutes,
                                   target_minutes(scenario), queues)
        evaluation = Evaluation(
            check=check_frame(metrics, self.targets, queues, self.conservative),
            blocks=block_frame(self.searched.by_unit(results.visits), scenario.warmup_minutes,
                               self.timeline, self.plan.blocks, self.criteria, self.labels),
            summary=results.summary.drop(columns="option"))
        return evaluation

    def _problems(self, evaluation: Evaluation) -> list[str]:
        """What falls short in a simulation: targets by their bound, blocks clearly short
        (empty exactly when every desk is `_ok`)."""
        problems = [f"{r.desk} {r.target} (mean {r.mean:.3g}, bound {r.bound:.3g})"
                    for r in evaluation.check[~evaluation.check["met"]].itertuples()]
        for label in self.labels:
            failing = np.flatnonzero(self._block_fails(label, evaluation))
            if len(failing):
                problems.append(f"{label} clearly short in " + ", ".join(
                    self.plan.blocks[b].label for b in failing))
        return problems

    def _block_fails(self, label: str, evaluation: Evaluation) -> np.ndarray:
        """Blocks whose own visits are clearly (the whole 95% interval) beyond a limit: the
        desk-level check already guards the desk as a whole, so a block only fails when the
        simulation leaves no doubt, not whenever one of many noisy block means strays."""
        found = evaluation.blocks[label]
        limits = np.array([c.limit for c in self.criteria])
        return (found.visits > 0) & np.any(found.low > limits, axis=1)

    def _ok(self, label: str, evaluation: Evaluation) -> bool:
        checked = self._checked(label, evaluation)
        return bool(checked["met"].all()) and not self._block_fails(label, evaluation).any()

    def _checked(self, label: str, evaluation: Evaluation) -> pd.DataFrame:
        """The check's rows of a unit's desks that had visits (a desk nobody came to has
        nothing to fall short of), desk by desk and target by target."""
        check = evaluation.check
        return check[check["desk"].isin(self.searched.unit(label).desks)
                     & check["mean"].notna()]

    def _caps(self, label: str) -> np.ndarray:
        theory = np.array(self.plan.counters[label])
        return np.minimum(self.plan.positions[label], np.maximum(3 * theory, theory + 10))

    def run(self) -> tuple[dict[str, list[int]], Evaluation, bool]:
        """Add, then take away, until a whole-schedule simulation meets every target (or the
        budget of simulations is spent, or more counters stop helping)."""
        counts = {label: list(c) for label, c in self.plan.counters.items()}
        tried: set[tuple[str, int]] = set()
        gave_up: set[str] = set()
        while True:
            evaluation = self.evaluate(counts)
            # Units share no counters (desks linked by serves are one unit), so each unit is
            # judged by the last simulation in which it had its present counts.
            latest = dict.fromkeys(self.labels, evaluation)
            self._add(counts, latest, gave_up)
            if all(self._ok(label, latest[label]) for label in self.labels):
                self._take_away(counts, latest, tried)
            final = self.evaluate(counts)
            met = all(self._ok(label, final) for label in self.labels)
            failing = {label for label in self.labels if not self._ok(label, final)}
            if met or failing <= gave_up or self.evaluations >= self.max_evaluations:
                if not met and self.evaluations >= self.max_evaluations:
                    self._note(f"stopped after {self.evaluations} simulations "
                               "(max_evaluations) without meeting every target")
                return counts, final, met

    def _add(self, counts: dict[str, list[int]], latest: dict[str, Evaluation],
             gave_up: set[str]) -> None:
        """Add counters to failing desks until every desk meets its targets."""
        tried: dict[str, list[_Tried]] = {label: [] for label in self.labels}
        while self.evaluations < self.max_evaluations:
            changed = False
            for label in self.labels:
                evaluation = latest[label]
                if label in gave_up or self._ok(label, evaluation):
                    continue
                history = tried[label]
                history.append(_Tried(self._gap(label, evaluation), list(counts[label]),
                                      evaluation))
                where = self._where_to_add(label, evaluation, counts[label])
                if _stalled([entry.gap for entry in history]) or not where:
                    # Keep the counts that came closest, not the counters that did not help.
                    best = min(history, key=lambda entry: entry.gap)
                    counts[label][:] = best.counts
                    latest[label] = best.evaluation
                    gave_up.add(label)
                    self._note(f"{label}: " + self._out_of_reach(label, counts[label]))
                    continue
                for block in where:
                    counts[label][block] += 1
                changed = True
                self._note(f"{label}: one more counter at "
                           + ", ".join(self.plan.blocks[b].label for b in where))
            if not changed:
                return
            evaluation = self.evaluate(counts)
            latest.update(dict.fromkeys(self.labels, evaluation))

    def _out_of_reach(self, label: str, counts: list[int]) -> str:
        """Why a desk's additions stopped: every position open in some block, or more counters
        stopped helping."""
        if max(counts) >= self.plan.positions[label]:
            return (f"every one of its {self.plan.positions[label]} positions is open; the "
                    "targets cannot be met within its positions")
        return "more counters no longer help; the targets are out of reach"

    def _take_away(self, counts: dict[str, list[int]], latest: dict[str, Evaluation],
                   tried: set[tuple[str, int]]) -> None:
        """Take away one counter per desk and round where theory says a block can spare it;
        keep each removal that the simulation confirms. One simulation is kept in reserve for
        the final check."""
        while self.evaluations < self.max_evaluations - 1:
            proposal = {}
            for label in self.labels:
                block = self._spare(label, latest[label], counts[label], tried)
                if block is not None:
                    proposal[label] = block
            if not proposal:
                return
            trial = {label: list(c) for label, c in counts.items()}
            for label, block in proposal.items():
                trial[label][block] -= 1
                tried.add((label, block))
            result = self.evaluate(trial)
            for label, block in proposal.items():
                kept = self._ok(label, result)
                if kept:
                    counts[label][block] -= 1
                    latest[label] = result
                self._note(f"{label}: counter at {self.plan.blocks[block].label} "
                           + ("taken away" if kept else "needed"))

    def _gap(self, label: str, evaluation: Evaluation, blocks: bool = True) -> float:
        """Total relative shortfall of a unit: targets by their bounds (at each of its desks),
        and (with `blocks`) blocks by their means."""
        check = self._checked(label, evaluation)
        targets = {str(target): target for target in self.targets}
        gap = 0.0
        for name, bound in zip(check["target"], check["bound"], strict=True):
            target = targets[name]
            if not math.isfinite(bound):
                return math.inf
            gap += target.shortfall(bound) / target.value
        if not blocks:
            return gap
        found = evaluation.blocks[label]
        visits, values = found.visits, found.mean
        limits = np.array([c.limit for c in self.criteria])
        share = visits / max(visits.sum(), 1.0)
        return gap + float(share @ (np.maximum(values - limits, 0.0) / limits).sum(axis=1))

    def _where_to_add(self, label: str, evaluation: Evaluation, counts: list[int]) -> list[int]:
        """Blocks clearly short on their own; or else the blocks that contribute most to the
        desk's shortfall per minute, more of them the further the desk is from its targets
        (a third of the blocks for a bound 100% beyond its target), among those below their
        cap."""
        caps = self._caps(label)
        room = np.array(counts) < caps
        failing = np.flatnonzero(self._block_fails(label, evaluation) & room)
        if len(failing):
            return failing.tolist()
        found = evaluation.blocks[label]
        limits = np.array([c.limit for c in self.criteria])
        lengths = np.array([b.end - b.start for b in self.plan.blocks], dtype=float)
        check = self._checked(label, evaluation)
        failed = [i for i, target in enumerate(self.targets)
                  if not check.loc[check["target"] == str(target), "met"].all()]
        columns = failed or list(range(len(self.targets)))
        score = (found.visits[:, None] * found.mean[:, columns] / limits[columns]).sum(axis=1)
        score = np.where(room & (found.visits > 0), score / lengths, -np.inf)
        excess = min(self._gap(label, evaluation, blocks=False), 3.0)
        many = max(1, min(math.ceil(excess * len(counts) / 3), int(np.isfinite(score).sum())))
        order = np.argsort(-score, kind="stable")[:many]
        return [int(block) for block in order if np.isfinite(score[block])]

    def _spare(self, label: str, evaluation: Evaluation, counts: list[int],
               tried: set[tuple[str, int]]) -> int | None:
        """The block most likely to meet every criterion with one counter fewer, if it is
        predicted to stay clearly (``_SPARE_MARGIN``) inside every limit.

        The prediction is theory's value for ``c - 1`` counters, scaled by how the simulation
        compared with theory over the whole desk (theory plans for the busiest day; the
        simulation covers every day). A single block's simulated value is too noisy to scale
        by, and an hour short of counters can look fine in it only because the queue has not
        had time to grow.
        """
        found = evaluation.blocks[label]
        visits, values = found.visits, found.mean
        theories = self.plan.block_theory[label]
        now = np.array([t.statistics(c) for t, c in zip(theories, counts, strict=True)])
        floors = 0.05 * np.array([c.limit for c in self.criteria])
        usable = np.isfinite(now).all(axis=1) & (visits > 0)  # theory gave a number to scale
        weight = visits * usable
        ratio = ((weight @ values + floors * weight.sum())
                 / (weight @ np.where(usable[:, None], now, 0.0) + floors * weight.sum()))
        best, best_score = None, _SPARE_MARGIN
        for block, theory in enumerate(theories):
            if counts[block] <= len(self.searched.unit(label).desks) or (label, block) in tried:
                continue
            fewer = theory.statistics(counts[block] - 1)
            if not np.all(np.isfinite(fewer)):
                continue
            score = max(fewer[k] * ratio[k] / c.limit for k, c in enumerate(self.criteria))
            if score < best_score:
                best, best_score = block, score
        return best


def _stalled(gaps: list[float]) -> bool:
    """Whether the last three rounds of additions brought the desk no closer than it was
    before them."""
    return len(gaps) > 3 and gaps[-1] >= min(gaps[:-3]) - 1e-3
